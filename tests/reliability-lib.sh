# SPDX-License-Identifier: MIT
# Helpers of the reliability tests (sourced after tests/lib.sh): the exporter on a fixture,
# its fds and memory, the Python clients.

REL_EXPORTER="${top_builddir:-.}/bridge/idle-exporter"
REL_PY="${top_srcdir:-.}/tests"
REL_PID=""
REL_PORT=""
REL_URL=""

# Skips unless the exporter was built and python3 and curl are here.
rel_require() {
	[ -x "$REL_EXPORTER" ] || idle_fail "no $REL_EXPORTER"
	command -v python3 >/dev/null || idle_skip "python3 is needed"
	command -v curl >/dev/null || idle_skip "curl is needed"
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.2", 0))' 2>/dev/null ||
		idle_skip "cannot bind 127.0.0.2: no second loopback address for the honest client"
}

# Makes $IDLE_TMP/fx: a pts dir with ptmx and two terminals of known times, an empty utmp.
rel_fixture() {
	local fx="$IDLE_TMP/fx"
	mkdir -p "$fx/pts" "$fx/dev" || idle_fail "mkdir fixture"
	idle_pts_entry "$fx/pts/ptmx" -d '@1700000000'
	idle_pts_entry "$fx/pts/0" -d '@1700000100'
	idle_pts_entry "$fx/pts/1" -d '@1700000050'
	: >"$fx/utmp"
}

# rel_start [FLAG...]: starts the exporter on a free port of 127.0.0.1 reading the fixture
# (later flags override), logging to $IDLE_TMP/stderr; sets REL_PID, REL_PORT, REL_URL.
rel_start() {
	REL_PORT=$(idle_free_port)
	REL_URL="http://127.0.0.1:$REL_PORT"
	${REL_WRAP:-} "$REL_EXPORTER" --web.listen-address="127.0.0.1:$REL_PORT" \
		--pts-dir="$IDLE_TMP/fx/pts" --dev-dir="$IDLE_TMP/fx/dev" \
		--utmp-file="$IDLE_TMP/fx/utmp" "$@" 2>>"$IDLE_TMP/stderr" &
	REL_PID=$!
	idle_track "$REL_PID"
	idle_wait_until "${REL_START_WAIT:-5}" idle_port_open "$REL_PORT" || {
		cat "$IDLE_TMP/stderr" >&2
		idle_fail "the exporter did not listen on $REL_PORT"
	}
}

# rel_stop: SIGTERM, and the exporter must exit 0 within REL_STOP_WAIT (5) seconds.
rel_stop() {
	local rc
	kill -TERM "$REL_PID" 2>/dev/null || idle_fail "the exporter died before the end"
	idle_wait_gone "$REL_PID" "${REL_STOP_WAIT:-5}" || idle_fail "no exit after SIGTERM"
	wait "$REL_PID"
	rc=$?
	[ "$rc" = 0 ] || idle_fail "the exporter exited $rc"
}

# rel_fds PID: open file descriptors.
rel_fds() {
	ls "/proc/$1/fd" | wc -l
}

# rel_rss_kb PID: resident set size in KiB.
rel_rss_kb() {
	awk '$1 == "VmRSS:" {print $2}' "/proc/$1/status"
}

# rel_http ARGS...: the Python HTTP clients (see tests/reliability_http.py).
rel_http() {
	python3 "$REL_PY/reliability_http.py" "$@"
}

# rel_check_page FILE [--openmetrics]: strict syntax, UTF-8 and no duplicate series.
rel_check_page() {
	python3 "$REL_PY/reliability_expo.py" check "$@" >/dev/null
}

# rel_sanitized: true when the exporter was built with AddressSanitizer (valgrind cannot run it).
rel_sanitized() {
	grep -q __asan_init "$REL_EXPORTER" 2>/dev/null
}

# rel_metric NAME_WITH_LABELS: its value in a fresh scrape (empty when absent).
rel_metric() {
	curl -sf --max-time 5 "$REL_URL/metrics" | awk -v n="$1" '$1 == n {print $2}'
}

# rel_conns PORT: TCP connections of the server side of PORT that still hold a socket
# (neither LISTEN nor TIME_WAIT), from /proc/net/tcp.
rel_conns() {
	awk -v p="$(printf '%04X' "$1")" 'NR > 1 {split($2, a, ":"); if (a[2] == p && $4 != "0A" && $4 != "06") n++} END {print n + 0}' /proc/net/tcp
}

# rel_no_conns PORT: true when the server holds no connection of PORT.
rel_no_conns() {
	[ "$(rel_conns "$1")" -eq 0 ]
}

# rel_settle PORT: waits (5 s at most) until the server has closed every connection of PORT.
rel_settle() {
	idle_wait_until 5 rel_no_conns "$1"
}
