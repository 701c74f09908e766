#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh replay TARGET...            replays each target's committed corpus (the replay_
#                                    programs)
# run.sh libfuzzer SECONDS TARGET... runs each libFuzzer target for SECONDS, starting from the
#                                    corpus; new inputs go to tests/fuzz/work/TARGET, crashes
#                                    to tests/fuzz/artifacts/.  Exits non-zero on a finding.
set -u
mode=$1
shift
src=${top_srcdir:-.}/tests/fuzz
build=${top_builddir:-.}/tests/fuzz
status=0
case $mode in
replay)
	for t in "$@"; do
		"$build/replay_$t" "$src/corpus/$t" || status=1
	done
	;;
libfuzzer)
	seconds=$1
	shift
	for t in "$@"; do
		mkdir -p "$build/work/$t" "$build/artifacts"
		log="$build/work/$t.log"
		"$build/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
			-print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" \
			"$build/work/$t" "$src/corpus/$t" >"$log" 2>&1
		rc=$?
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "fuzz_$t: ${execs:-?} runs in $seconds s, exit $rc," \
			"corpus $(ls "$build/work/$t" | wc -l) new + $(ls "$src/corpus/$t" | wc -l) committed"
		if [ "$rc" != 0 ]; then
			tail -40 "$log"
			status=1
		fi
	done
	;;
*)
	echo "usage: run.sh replay TARGET... | run.sh libfuzzer SECONDS TARGET..." >&2
	exit 2
	;;
esac
exit $status
