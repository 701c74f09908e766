# SPDX-License-Identifier: MIT
# Helpers for the collectd plugin's integration tests (sourced after tests/lib.sh).
# Runs the real collectd in the foreground from a private PluginDir holding copies of the built
# idle.so and of Debian's plugins: collectd refuses a symlinked plugin.

CD_SYSTEM_PLUGINS=${CD_SYSTEM_PLUGINS:-/usr/lib/collectd}
CD_TYPESDB=${CD_TYPESDB:-/usr/share/collectd/types.db}
CD_PLUGIN_SO="${top_builddir:-.}/plugin/.libs/idle.so"
CD_PID=""

# Skips the test unless collectd, the given Debian plugins and the built idle.so are there.
cd_require() {
	local p
	command -v collectd >/dev/null || idle_skip "collectd is not installed (Debian: collectd-core)"
	command -v curl >/dev/null || idle_skip "curl is not installed"
	[ -f "$CD_TYPESDB" ] || idle_skip "no $CD_TYPESDB (Debian: collectd-core)"
	[ -f "$CD_PLUGIN_SO" ] || idle_skip "the plugin was not built (configure found no collectd-dev)"
	for p in "$@"; do
		[ -f "$CD_SYSTEM_PLUGINS/$p.so" ] || idle_skip "no $CD_SYSTEM_PLUGINS/$p.so"
		! ldd "$CD_SYSTEM_PLUGINS/$p.so" | grep -q 'not found' ||
			idle_skip "$p.so lacks a library: $(ldd "$CD_SYSTEM_PLUGINS/$p.so" | grep 'not found')"
	done
}

# Makes $IDLE_TMP/plugins with copies of idle.so and of the named Debian plugins.
cd_plugindir() {
	local p
	mkdir -p "$IDLE_TMP/plugins" || idle_fail "mkdir plugins"
	cp "$CD_PLUGIN_SO" "$IDLE_TMP/plugins/idle.so" || idle_fail "copy idle.so"
	for p in "$@"; do
		cp "$CD_SYSTEM_PLUGINS/$p.so" "$IDLE_TMP/plugins/" || idle_fail "copy $p.so"
	done
}

# Makes a fixture under $IDLE_TMP/fx: a pts dir (ptmx and pts/0, pts/1 with set times), an
# empty dev dir, an empty utmp (no session) and an empty proc dir.
cd_fixture() {
	local fx="$IDLE_TMP/fx"
	mkdir -p "$fx/pts" "$fx/dev" "$fx/proc" || idle_fail "mkdir fixture"
	idle_pts_entry "$fx/pts/ptmx" -d '@1700000000'
	idle_pts_entry "$fx/pts/0" -d "@$(($(date +%s) - 100))"
	idle_pts_entry "$fx/pts/1" -d "@$(($(date +%s) - 300))"
	: >"$fx/utmp"
}

# cd_conf FILE PORT INTERVAL: the global part of a collectd.conf, logging to $IDLE_TMP/log,
# with write_prometheus on 127.0.0.1:PORT.  Append LoadPlugin and Plugin blocks after it.
cd_conf() {
	cat >"$1" <<EOF
BaseDir "$IDLE_TMP"
PIDFile "$IDLE_TMP/collectd.pid"
PluginDir "$IDLE_TMP/plugins"
TypesDB "$CD_TYPESDB"
Hostname "idle-test"
Interval $3
AutoLoadPlugin false
LoadPlugin logfile
<Plugin logfile>
	LogLevel info
	File "$IDLE_TMP/log"
	Timestamp true
</Plugin>
LoadPlugin write_prometheus
<Plugin write_prometheus>
	Host "127.0.0.1"
	Port "$2"
</Plugin>
EOF
}

# cd_preload: prints the LD_PRELOAD a sanitizer build of idle.so needs inside an uninstrumented
# collectd (ASan's runtime must come first), or nothing for a normal build.
cd_preload() {
	grep -q __asan_init "$CD_PLUGIN_SO" 2>/dev/null || return 0
	ldd "$CD_PLUGIN_SO" | awk '$1 ~ /^libasan\.so/ {print $3}'
}

# cd_start CONF PORT: starts collectd in the foreground and waits for write_prometheus.  With a
# sanitizer build, collectd runs with ASan preloaded: an error in the plugin aborts collectd and
# fails the test (leak checking stays with the valgrind test: collectd itself is not clean).
cd_start() {
	LD_PRELOAD="$(cd_preload)" ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
		collectd -f -C "$1" >>"$IDLE_TMP/stdout" 2>&1 &
	CD_PID=$!
	idle_track "$CD_PID"
	idle_wait_until 10 idle_port_open "$2" || {
		cat "$IDLE_TMP/log" "$IDLE_TMP/stdout" >&2
		idle_fail "collectd did not serve write_prometheus on port $2"
	}
}

# cd_scrape PORT: prints write_prometheus' text, without comments.
cd_scrape() {
	curl -sf --max-time 5 "http://127.0.0.1:$1/metrics" | grep -v '^#'
}

# cd_has PORT REGEX: true when a scraped line matches REGEX (for idle_wait_until).
cd_has() {
	cd_scrape "$1" | grep -qE -- "$2"
}

# cd_value PORT NAME LABELS: the value of the series NAME{LABELS,instance="idle-test"}.
cd_value() {
	cd_scrape "$1" | awk -v want="$2{$3${3:+,}instance=\"idle-test\"}" '$1 == want {print $2}'
}

# near ACTUAL WANT SLACK: true when |ACTUAL - WANT| <= SLACK.
near() {
	awk -v a="$1" -v w="$2" -v s="$3" 'BEGIN {d = a - w; if (d < 0) d = -d; exit !(a != "" && d <= s)}'
}
