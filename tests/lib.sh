# SPDX-License-Identifier: MIT
# The integration tests' one harness (sourced by every tests/*.test, bash): temporary dirs,
# bounded waits, the fixture, the exporter and collectd started and stopped, login sessions on
# real ptys and their utmp records.  Every wait is bounded; idle_cleanup stops what was started.

# Python with Debian's python3 packages: on PATH, python3 may be an interpreter without them.
PYTHON=${PYTHON:-/usr/bin/python3}
# The modules are imported from the source tree, which distcheck makes read-only.
export PYTHONDONTWRITEBYTECODE=1
IDLE_TESTS="${top_srcdir:-.}/tests"
EXPORTER="${top_builddir:-.}/bridge/idle-exporter"
COLLECTD_PLUGIN="${top_builddir:-.}/plugin/.libs/idle.so"
COLLECTD_SYSTEM_PLUGINS=${COLLECTD_SYSTEM_PLUGINS:-/usr/lib/collectd}
COLLECTD_TYPESDB=${COLLECTD_TYPESDB:-/usr/share/collectd/types.db}
IDLE_PIDS=""
IDLE_TMP=""
IDLE_FX=""
EXPORTER_PID=""
EXPORTER_PORT=""
EXPORTER_URL=""
COLLECTD_PID=""

# ---- Outcomes and waits

# Prints a message on stderr and fails the test.
idle_fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# Ends the test as skipped (automake's exit code 77), saying what it could not check and why.
idle_skip() {
	echo "SKIP (exit 77): $*" >&2
	exit 77
}

# idle_need COMMAND PACKAGE: fails unless COMMAND is installed.  For what the README's test
# command (./install-deps.sh --test) installs: its absence is a broken setup, not a skip.
idle_need() {
	command -v "$1" >/dev/null ||
		idle_fail "$1 is needed (Debian package $2, installed by ./install-deps.sh --test)"
}

# Fails unless $PYTHON runs: the fixtures, clients and free ports are made with it.
idle_need_python() {
	"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 9))' 2>/dev/null ||
		idle_fail "$PYTHON (3.9 or later) is needed (Debian package python3; or set PYTHON)"
}

# Skips unless this host can open a pty (a container without devpts cannot).
idle_need_ptys() {
	[ -e /dev/ptmx ] && "$PYTHON" -c 'import os; os.openpty()' 2>/dev/null ||
		idle_skip "no ptys here: cannot open /dev/ptmx"
}

# Makes a private temporary directory in $IDLE_TMP, removed at exit.
idle_tmpdir() {
	IDLE_TMP=$(mktemp -d "${TMPDIR:-/tmp}/idle-test.XXXXXX") || idle_fail "mktemp"
	trap idle_cleanup EXIT
	trap 'exit 143' TERM INT
}

# Remembers a background pid so idle_cleanup stops it.
idle_track() {
	IDLE_PIDS="$IDLE_PIDS $1"
}

idle_cleanup() {
	for pid in $IDLE_PIDS; do
		kill "$pid" 2>/dev/null
	done
	for pid in $IDLE_PIDS; do
		idle_wait_gone "$pid" 5 || kill -9 "$pid" 2>/dev/null
	done
	[ -n "$IDLE_TMP" ] && rm -rf "$IDLE_TMP"
}

# idle_wait_until SECONDS CMD...: runs CMD every 50 ms until it succeeds; fails after SECONDS.
idle_wait_until() {
	local limit=$1
	shift
	local deadline=$(($(date +%s%N) + limit * 1000000000))
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s%N)" -lt "$deadline" ] || return 1
		sleep 0.05
	done
	return 0
}

# idle_wait_gone PID SECONDS: waits until PID has exited.
idle_wait_gone() {
	idle_wait_until "$2" sh -c "! kill -0 $1 2>/dev/null"
}

# idle_stop PID SECONDS WHAT: SIGTERM to a child of this shell, which must exit 0 within SECONDS.
idle_stop() {
	local rc
	kill -TERM "$1" 2>/dev/null || idle_fail "$3 died before it was stopped"
	idle_wait_gone "$1" "$2" || idle_fail "$3 still running $2 s after SIGTERM"
	wait "$1"
	rc=$?
	[ "$rc" = 0 ] || idle_fail "$3 exited $rc after SIGTERM"
}

# idle_near ACTUAL WANT SLACK: true when |ACTUAL - WANT| <= SLACK.
idle_near() {
	awk -v a="$1" -v w="$2" -v s="$3" 'BEGIN {d = a - w; if (d < 0) d = -d; exit !(a != "" && d <= s)}'
}

# ---- Ports, connections, processes

# Prints a TCP port on 127.0.0.1 that nothing listens on now.
idle_free_port() {
	"$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# idle_port_open PORT [HOST]: true when something accepts connections there.
idle_port_open() {
	(exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null
}

# idle_conns PORT: TCP connections of the server side of PORT that still hold a socket
# (neither LISTEN nor TIME_WAIT), from /proc/net/tcp.
idle_conns() {
	awk -v p="$(printf '%04X' "$1")" 'NR > 1 {split($2, a, ":"); if (a[2] == p && $4 != "0A" && $4 != "06") n++} END {print n + 0}' /proc/net/tcp
}

idle_no_conns() {
	[ "$(idle_conns "$1")" -eq 0 ]
}

# idle_settle PORT: waits (5 s at most) until the server has closed every connection of PORT.
idle_settle() {
	idle_wait_until 5 idle_no_conns "$1"
}

# idle_fds PID: open file descriptors.
idle_fds() {
	ls "/proc/$1/fd" | wc -l
}

# idle_rss_kb PID: resident set size in KiB.
idle_rss_kb() {
	awk '$1 == "VmRSS:" {print $2}' "/proc/$1/status"
}

# idle_sanitized FILE: true when FILE was built with AddressSanitizer (valgrind cannot run it).
idle_sanitized() {
	grep -q __asan_init "$1" 2>/dev/null
}

# ---- The fixture, login sessions, utmp records

# idle_fixture [TERMINALS]: makes $IDLE_FX ($IDLE_TMP/fx): pts/ with ptmx (1700000000) and
# TERMINALS (2) terminals 0, 1, ... whose times are 1700000100, 1700000050, ...; an empty dev/
# and proc/; an empty utmp (no session).
idle_fixture() {
	local i
	IDLE_FX="$IDLE_TMP/fx"
	mkdir -p "$IDLE_FX/pts" "$IDLE_FX/dev" "$IDLE_FX/proc" || idle_fail "mkdir fixture"
	idle_pts_entry "$IDLE_FX/pts/ptmx" -d '@1700000000'
	for i in $(seq 0 $((${1:-2} - 1))); do
		idle_pts_entry "$IDLE_FX/pts/$i" -d "@$((1700000100 - 50 * i))"
	done
	: >"$IDLE_FX/utmp"
}

# idle_pts_entry PATH [TOUCH-ARG...]: a fake terminal as devpts holds one, a character device
# (with /dev/null's numbers: harmless if opened), its times set by touch.  Only character
# devices count as terminals, so a regular file will not do.
idle_pts_entry() {
	local path=$1
	shift
	[ -e "$path" ] || mknod -m 620 "$path" c 1 3 2>/dev/null ||
		idle_skip "cannot make device nodes (needs root or CAP_MKNOD) for the pts fixture"
	touch "$@" "$path" || idle_fail "cannot set the times of $path"
}

# idle_session NAME ARGV0 [PROGRAM ARG...]: a login session: PROGRAM (/bin/sleep) run as ARGV0,
# session leader of a new real pty, held until the test ends.  Sets NAME_pid and NAME_tty
# (its utmp line, "pts/N").
idle_session() {
	local name=$1 ready="$IDLE_TMP/session-$1" pid tty
	shift
	"$PYTHON" "$IDLE_TESTS/pty_sessions.py" hold "$ready" "$@" &
	idle_track $!
	idle_wait_until 10 test -s "$ready" || idle_fail "session $name did not start"
	read -r pid tty <"$ready"
	idle_track "$pid"
	printf -v "${name}_pid" %s "$pid"
	printf -v "${name}_tty" %s "$tty"
}

# idle_utmp FILE [PID LINE USER]...: writes FILE with one login record (USER_PROCESS) per
# triple, through a rename; LINE and USER take Python byte escapes (\xff).
idle_utmp() {
	"$PYTHON" "$IDLE_TESTS/pty_sessions.py" utmp "$@" || idle_fail "cannot write utmp $1"
}

# ---- The exporter

# Fails unless the exporter was built and what its tests drive it with (python, curl) is here.
idle_exporter_require() {
	[ -x "$EXPORTER" ] || idle_fail "no $EXPORTER: build it first"
	idle_need_python
	idle_need curl curl
}

# Skips where no loopback address but 127.0.0.1 can be bound: the HTTP clients play an honest
# scraper from 127.0.0.2, an attacker from 127.0.0.3 and load from 127.0.1.x.
idle_need_loopbacks() {
	"$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.2", 0))' 2>/dev/null ||
		idle_skip "cannot bind 127.0.0.2: no second loopback address for the HTTP clients"
}

# idle_exporter_start [FLAG...]: starts the exporter on a free port of 127.0.0.1, reading the
# fixture when there is one (later flags override), under $EXPORTER_WRAP when set, its stderr
# appended to $EXPORTER_LOG ($IDLE_TMP/stderr); waits until it accepts connections
# ($EXPORTER_START_WAIT, 5 s).  Sets EXPORTER_PID, EXPORTER_PORT and EXPORTER_URL.
idle_exporter_start() {
	local log=${EXPORTER_LOG:-$IDLE_TMP/stderr}
	local -a fixture=()
	[ -n "$IDLE_FX" ] && fixture=(--pts-dir="$IDLE_FX/pts" --dev-dir="$IDLE_FX/dev"
		--utmp-file="$IDLE_FX/utmp")
	EXPORTER_PORT=$(idle_free_port) || idle_fail "no free port"
	EXPORTER_URL="http://127.0.0.1:$EXPORTER_PORT"
	${EXPORTER_WRAP:-} "$EXPORTER" --web.listen-address="127.0.0.1:$EXPORTER_PORT" \
		"${fixture[@]}" "$@" 2>>"$log" &
	EXPORTER_PID=$!
	idle_track "$EXPORTER_PID"
	idle_wait_until "${EXPORTER_START_WAIT:-5}" idle_exporter_up ||
		idle_fail "the exporter did not listen on $EXPORTER_PORT: $(cat "$log")"
	kill -0 "$EXPORTER_PID" 2>/dev/null || idle_fail "the exporter exited: $(cat "$log")"
}

# True once the exporter listens, or has exited (so a failed start is not waited out).
idle_exporter_up() {
	idle_port_open "$EXPORTER_PORT" || ! kill -0 "$EXPORTER_PID" 2>/dev/null
}

# idle_exporter_stop: SIGTERM; the exporter must exit 0 within $EXPORTER_STOP_WAIT (5) s.
idle_exporter_stop() {
	idle_stop "$EXPORTER_PID" "${EXPORTER_STOP_WAIT:-5}" "the exporter"
}

# idle_metric SERIES: its value in a fresh scrape of the exporter (empty when absent).
idle_metric() {
	curl -sf --max-time 5 "$EXPORTER_URL/metrics" | awk -v n="$1" '$1 == n {print $2}'
}

# idle_metric_above SERIES VALUE: true when SERIES is in a fresh scrape and above VALUE.
idle_metric_above() {
	awk -v a="$(idle_metric "$1")" -v b="$2" 'BEGIN {exit !(a != "" && a + 0 > b + 0)}'
}

# idle_metric_steady SERIES POLLS: true when SERIES has the same value after POLLS new polls.
idle_metric_steady() {
	local before
	before=$(idle_metric "$1")
	idle_exporter_polls "$2"
	[ "$(idle_metric "$1")" = "$before" ]
}

# idle_exporter_polls N: waits (10 s at most) until the exporter has published N new polls.
# The page is rendered once per poll and its ages move with the clock, so each new page is a
# new poll: a bounded wait on that, not a sleep, comes before asserting that nothing changed.
idle_exporter_polls() {
	local n=0 last page
	last=$(curl -sf --max-time 5 "$EXPORTER_URL/metrics")
	while [ "$n" -lt "$1" ]; do
		idle_wait_until 10 idle_page_differs "$last" ||
			idle_fail "the exporter published no new poll in 10 s"
		page=$(curl -sf --max-time 5 "$EXPORTER_URL/metrics")
		[ "$page" != "$last" ] && n=$((n + 1))
		last=$page
	done
}

idle_page_differs() {
	[ "$(curl -sf --max-time 5 "$EXPORTER_URL/metrics")" != "$1" ]
}

# idle_check_page FILE [--openmetrics]: strict syntax, UTF-8 and no duplicate series.
idle_check_page() {
	"$PYTHON" "$IDLE_TESTS/expo_strict.py" check "$@" >/dev/null
}

# idle_http ARGS...: the HTTP clients of tests/http_clients.py (honest, hostile, load).
idle_http() {
	"$PYTHON" "$IDLE_TESTS/http_clients.py" "$@"
}

# ---- collectd with the plugin
# The real collectd in the foreground, from a private PluginDir holding copies of the built
# idle.so and of Debian's plugins: collectd refuses a symlinked plugin.

# idle_collectd_require PLUGIN...: skips where configure built no plugin (no collectd headers);
# otherwise fails unless collectd, its types.db, curl and the named Debian plugins are here.
idle_collectd_require() {
	local p
	[ -f "$COLLECTD_PLUGIN" ] ||
		idle_skip "the plugin was not built: configure found no collectd headers (collectd-dev)"
	idle_need collectd collectd-core
	idle_need curl curl
	idle_need_python
	[ -f "$COLLECTD_TYPESDB" ] || idle_fail "no $COLLECTD_TYPESDB (Debian package collectd-core)"
	for p in "$@"; do
		[ -f "$COLLECTD_SYSTEM_PLUGINS/$p.so" ] ||
			idle_fail "no $COLLECTD_SYSTEM_PLUGINS/$p.so (Debian package collectd-core)"
		! ldd "$COLLECTD_SYSTEM_PLUGINS/$p.so" | grep -q 'not found' ||
			idle_fail "$p.so lacks a library: $(ldd "$COLLECTD_SYSTEM_PLUGINS/$p.so" | grep 'not found')"
	done
}

# idle_collectd_plugindir PLUGIN...: makes $IDLE_TMP/plugins with copies of idle.so and of
# the named Debian plugins.
idle_collectd_plugindir() {
	local p
	mkdir -p "$IDLE_TMP/plugins" || idle_fail "mkdir plugins"
	cp "$COLLECTD_PLUGIN" "$IDLE_TMP/plugins/idle.so" || idle_fail "copy idle.so"
	for p in "$@"; do
		cp "$COLLECTD_SYSTEM_PLUGINS/$p.so" "$IDLE_TMP/plugins/" || idle_fail "copy $p.so"
	done
}

# idle_collectd_conf FILE PORT INTERVAL: the global part of a collectd.conf, logging to
# $IDLE_TMP/log, with write_prometheus on 127.0.0.1:PORT (PORT "" for none).  Append LoadPlugin
# and Plugin blocks after it.
idle_collectd_conf() {
	cat >"$1" <<EOF
BaseDir "$IDLE_TMP"
PIDFile "$IDLE_TMP/collectd.pid"
PluginDir "$IDLE_TMP/plugins"
TypesDB "$COLLECTD_TYPESDB"
Hostname "idle-test"
Interval $3
AutoLoadPlugin false
LoadPlugin logfile
<Plugin logfile>
	LogLevel info
	File "$IDLE_TMP/log"
	Timestamp true
</Plugin>
EOF
	[ -z "$2" ] || cat >>"$1" <<EOF
LoadPlugin write_prometheus
<Plugin write_prometheus>
	Host "127.0.0.1"
	Port "$2"
</Plugin>
EOF
}

# idle_collectd_preload: prints the LD_PRELOAD a sanitizer build of idle.so needs inside an
# uninstrumented collectd (ASan's runtime must come first), or nothing for a normal build.
idle_collectd_preload() {
	idle_sanitized "$COLLECTD_PLUGIN" || return 0
	ldd "$COLLECTD_PLUGIN" | awk '$1 ~ /^libasan\.so/ {print $3}'
}

# idle_collectd_start CONF PORT: starts collectd in the foreground and waits for
# write_prometheus on PORT; sets COLLECTD_PID.  With a sanitizer build, collectd runs with ASan
# preloaded: an error in the plugin aborts collectd and fails the test (leak checking stays
# with the valgrind test: collectd itself is not clean).
idle_collectd_start() {
	LD_PRELOAD="$(idle_collectd_preload)" ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
		collectd -f -C "$1" >>"$IDLE_TMP/stdout" 2>&1 &
	COLLECTD_PID=$!
	idle_track "$COLLECTD_PID"
	idle_wait_until 10 idle_port_open "$2" || {
		cat "$IDLE_TMP/log" "$IDLE_TMP/stdout" >&2
		idle_fail "collectd did not serve write_prometheus on port $2"
	}
}

# idle_collectd_scrape PORT: prints write_prometheus' text, without comments.
idle_collectd_scrape() {
	curl -sf --max-time 5 "http://127.0.0.1:$1/metrics" | grep -v '^#'
}

# idle_collectd_has PORT REGEX: true when a scraped line matches REGEX (for idle_wait_until).
idle_collectd_has() {
	idle_collectd_scrape "$1" | grep -qE -- "$2"
}

# idle_collectd_value PORT NAME LABELS: the value of the series NAME{LABELS,instance="idle-test"}.
idle_collectd_value() {
	idle_collectd_scrape "$1" | awk -v want="$2{$3${3:+,}instance=\"idle-test\"}" '$1 == want {print $2}'
}

# idle_collectd_stamp PORT REGEX: the timestamp write_prometheus gives the first series
# matching REGEX (it moves at each read of that series' plugin).
idle_collectd_stamp() {
	idle_collectd_scrape "$1" | grep -E -- "$2" | awk 'NR == 1 {print $3}'
}

# idle_collectd_reads PORT REGEX N: waits (N * 5 s at most) until the plugin of the series
# matching REGEX has been read N more times.
idle_collectd_reads() {
	local i stamp
	for i in $(seq "$3"); do
		stamp=$(idle_collectd_stamp "$1" "$2")
		[ -n "$stamp" ] || idle_fail "no series $2 in collectd's write_prometheus"
		idle_wait_until 5 idle_collectd_stamp_moved "$1" "$2" "$stamp" ||
			idle_fail "collectd read no new $2 in 5 s"
	done
}

idle_collectd_stamp_moved() {
	[ "$(idle_collectd_stamp "$1" "$2")" != "$3" ]
}
