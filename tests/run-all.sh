#!/bin/bash
# SPDX-License-Identifier: MIT
# The whole test suite, as CI runs it: the build and `make check` with warnings as errors and
# each libFuzzer target run for a few seconds, the Debian packages built, linted, installed and
# purged in fresh Debian 12 chroots (make check-deb), a quick run of the benchmark (to keep it
# working; its figures judge nothing here), then
# `make distcheck` (a VPATH build from the tarball, read-only sources, install and uninstall)
# with ASan and UBSan, so every test runs a second time under the sanitizers.  Ends with one
# line, "N passed, N failed", over every test of both runs.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
jobs=${IDLE_JOBS:-2}
log=$(mktemp "${TMPDIR:-/tmp}/idle-run-all.XXXXXX") || exit 1
trap 'rm -f "$log"' EXIT
status=0

step() {
	echo "run-all: $*"
	"$@"
}

step ./autogen.sh >/dev/null || exit 1
step ./configure --enable-werror --enable-fuzzing --quiet || exit 1
step make -j"$jobs" >/dev/null || exit 1
if ! step make -j"$jobs" check 2>&1 | tee -a "$log"; then
	status=1
	tail -n 300 test-suite.log 2>/dev/null
fi
# The Debian packages, built and installed in fresh chroots (minutes; skips without the mirror).
step make check-deb 2>&1 | tee -a "$log" || status=1
step make bench-quick || status=1
if ! step make -j"$jobs" distcheck \
	DISTCHECK_CONFIGURE_FLAGS="--enable-werror --enable-sanitizers" 2>&1 | tee -a "$log"; then
	status=1
	find . -path './idle-*/_build/*' -name test-suite.log -exec tail -n 300 {} + 2>/dev/null
fi
passed=$(grep -c -E '^(PASS|XFAIL): ' "$log")
failed=$(grep -c -E '^(FAIL|ERROR|XPASS): ' "$log")
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] || status=1
exit $status
