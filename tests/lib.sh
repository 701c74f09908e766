# SPDX-License-Identifier: MIT
# Shared helpers for the integration tests (sourced, POSIX sh + bash features used sparingly).
# Every wait is bounded; every server a test starts is stopped by idle_cleanup.

IDLE_PIDS=""
IDLE_TMP=""

# Prints a message on stderr and fails the test.
idle_fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# Skips the test (automake's exit code 77) with a reason.
idle_skip() {
	echo "SKIP: $*" >&2
	exit 77
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

# Prints a TCP port on 127.0.0.1 that nothing listens on now.
idle_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# idle_port_open PORT [HOST]: true when something accepts connections there.
idle_port_open() {
	(exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null
}

# idle_pts_entry PATH [TOUCH-ARG...]: a fake terminal as devpts holds one, a character device
# (with /dev/null's numbers: harmless if opened), its times set by touch.  Only character
# devices count as terminals, so a regular file will not do.
idle_pts_entry() {
	local path=$1
	shift
	[ -e "$path" ] || mknod -m 620 "$path" c 1 3 2>/dev/null ||
		idle_skip "cannot make device nodes (needs root or CAP_MKNOD) for the pts fixture"
	touch "$@" "$path"
}
