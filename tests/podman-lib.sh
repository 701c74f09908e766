# SPDX-License-Identifier: MIT
# Shared helpers for the tests that run real containers with podman (sourced after tests/lib.sh).
#
# Every test gets its own podman: a containers.conf and a storage root under its tmpdir, so tests
# that run at once never see each other's containers or images, and nothing is left behind.
# podman here needs runc and no default ulimits (crun and the default nofile limit fail in this
# sandbox); the conf file says both.
#
#   podman_setup               checks the tools, writes the conf, exports CONTAINERS_CONF; skips (77)
#                              when podman, runc or buildah is missing or cannot run a container
#   podman_cmd ARGS...         podman with the test's private storage
#   buildah_cmd ARGS...        buildah with the same storage
#   podman_base_image          builds (once per test) a from-scratch image holding busybox (sh, mount,
#                              sleep, cat, ...), /bin/tick (prints a line a second: output, no
#                              input) and a passwd with alice (1000); prints its name
#   podman_start POD_UID NAME [CMD...]
#                              starts a container of the base image under kubelet's cgroupfs
#                              path /kubepods/burstable/pod<POD_UID>, named NAME, running CMD (default:
#                              sleep), and prints its full id
#   podman_tty ID PIPE [CMD...]
#                              opens `podman exec -it ID CMD` (default /bin/sh) held by a pty, as
#                              kubectl exec -it does; whatever is written to
#                              the fifo PIPE is typed into it, what it prints goes to PIPE.out;
#                              sets PODMAN_TTY_PID to the holder (call it directly, not in $(...))
#   podman_tty_pts ID          prints the pts numbers open in the container's own devpts; fails
#                              when there is none (so `idle_wait_until 30 podman_tty_pts ID` waits)
#   podman_pid ID              prints the host pid of the container's first process
#   podman_remove ID           removes the container at once (its exec terminals die with it)
#   podman_logdir DIR POD NS CONTAINER ID
#                              writes DIR/<pod>_<ns>_<container>-<id>.log -> the /var/log/pods
#                              path kubelet would link to (the target need not exist)
#   podman_cleanup             removes every container and image the test made, and the storage;
#                              run by the EXIT trap set up by podman_setup

PODMAN_ROOT=""
PODMAN_BASE=""
PODMAN_TTY_PID=""

# Checks the tools and writes the private configuration; skips when containers cannot run here.
podman_setup() {
	local tool
	for tool in podman runc buildah; do
		command -v "$tool" >/dev/null 2>&1 ||
			idle_skip "$tool is not installed (Debian packages podman runc buildah)"
	done
	[ -x /bin/busybox ] || idle_skip "the test image needs a static busybox (Debian package busybox-static)"
	ldd /bin/busybox 2>&1 | grep -q 'not a dynamic' ||
		idle_skip "/bin/busybox is not statically linked (install busybox-static)"
	[ -n "$IDLE_TMP" ] || idle_tmpdir
	PODMAN_ROOT="$IDLE_TMP/podman"
	mkdir -p "$PODMAN_ROOT/root" "$PODMAN_ROOT/run" || idle_fail "mkdir $PODMAN_ROOT"
	printf '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\n' \
		>"$PODMAN_ROOT/containers.conf" || idle_fail "write containers.conf"
	export CONTAINERS_CONF="$PODMAN_ROOT/containers.conf"
	trap 'podman_cleanup; idle_cleanup' EXIT
	podman_base_image >/dev/null
	podman_cmd run --rm --network=none "$PODMAN_BASE" true >"$IDLE_TMP/podman-probe" 2>&1 ||
		idle_skip "podman cannot run a container here: $(tail -3 "$IDLE_TMP/podman-probe")"
}

podman_cmd() {
	podman --root "$PODMAN_ROOT/root" --runroot "$PODMAN_ROOT/run" "$@"
}

buildah_cmd() {
	buildah --root "$PODMAN_ROOT/root" --runroot "$PODMAN_ROOT/run" "$@"
}

# Builds the busybox image once; prints its name.
podman_base_image() {
	local ctr mnt app
	if [ -z "$PODMAN_BASE" ]; then
		ctr=$(buildah_cmd from scratch) || idle_fail "buildah from scratch"
		mnt=$(buildah_cmd mount "$ctr") || idle_fail "buildah mount"
		mkdir -p "$mnt/bin" "$mnt/etc" "$mnt/tmp" || idle_fail "mkdir in image"
		cp /bin/busybox "$mnt/bin/busybox" || idle_fail "copy busybox"
		for app in sh sleep cat echo ls stat date true printf mount umount rm ln mkdir touch mknod; do
			ln -s busybox "$mnt/bin/$app" || idle_fail "link $app"
		done
		printf 'root:x:0:0:root:/:/bin/sh\nalice:x:1000:1000:Alice:/tmp:/bin/sh\n' >"$mnt/etc/passwd"
		printf '#!/bin/sh\nwhile :; do echo tick; sleep 1; done\n' >"$mnt/bin/tick"
		chmod 755 "$mnt/bin/tick" || idle_fail "chmod tick"
		buildah_cmd config --cmd '["/bin/sleep", "3600"]' "$ctr" || idle_fail "buildah config"
		buildah_cmd commit -q --rm "$ctr" localhost/idle-test-base:latest >/dev/null ||
			idle_fail "buildah commit"
		PODMAN_BASE=localhost/idle-test-base:latest
	fi
	echo "$PODMAN_BASE"
}

# podman_start POD_UID NAME [CMD...]: a container in kubelet's cgroupfs layout; prints its id.
podman_start() {
	local uid=$1 name=$2
	shift 2
	[ $# -gt 0 ] || set -- sleep 3600
	podman_cmd run -d --network=none --name "$name" \
		--cgroup-parent="/kubepods/burstable/pod$uid" "$(podman_base_image)" "$@" ||
		idle_fail "podman run $name"
}

# podman_tty ID PIPE: a terminal in the container's own devpts, as kubectl exec -it opens one.
# The pty holder copies the fifo to the terminal, so `echo ls >PIPE` types a line.
podman_tty() {
	local id=$1 pipe=$2
	shift 2
	[ $# -gt 0 ] || set -- /bin/sh
	[ -p "$pipe" ] || mkfifo "$pipe" || idle_fail "mkfifo $pipe"
	python3 - "$pipe" "$PODMAN_ROOT" "$id" "$@" >"$pipe.out" 2>&1 <<'EOF' &
import os, pty, select, sys
pipe, root, ctr = sys.argv[1:4]
pid, fd = pty.fork()
if pid == 0:
    os.execvp("podman", ["podman", "--root", root + "/root", "--runroot", root + "/run",
                         "exec", "-it", ctr] + sys.argv[4:])
src = os.open(pipe, os.O_RDWR)  # O_RDWR: never sees EOF when a writer closes
while True:
    ready, _, _ = select.select([fd, src], [], [])
    if fd in ready:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    if src in ready:
        os.write(fd, os.read(src, 4096))
EOF
	PODMAN_TTY_PID=$!
	idle_track "$PODMAN_TTY_PID"
}

# podman_tty_pts ID: the terminals open in the container's devpts (excluding ptmx).
podman_tty_pts() {
	podman_cmd exec "$1" ls /dev/pts | grep -v '^ptmx$'
}

podman_pid() {
	podman_cmd inspect --format '{{.State.Pid}}' "$1"
}

podman_remove() {
	podman_cmd rm -f -t 0 "$1" >/dev/null || idle_fail "podman rm $1"
}

# podman_logdir DIR POD NS CONTAINER ID: the symlink kubelet keeps for every container.
podman_logdir() {
	local dir=$1 pod=$2 ns=$3 ctr=$4 id=$5
	mkdir -p "$dir" || idle_fail "mkdir $dir"
	ln -sf "/var/log/pods/${ns}_${pod}_00000000-0000-0000-0000-000000000000/$ctr/0.log" \
		"$dir/${pod}_${ns}_${ctr}-${id}.log" || idle_fail "symlink in $dir"
}

# Removes the test's containers, images and storage (overlay mounts first, then the files).
podman_cleanup() {
	[ -n "$PODMAN_ROOT" ] && [ -d "$PODMAN_ROOT/root" ] || return 0
	podman_cmd rm -a -f -t 0 >/dev/null 2>&1
	buildah_cmd rm -a >/dev/null 2>&1
	podman_cmd rmi -a -f >/dev/null 2>&1
	# A podman exec still ending may mount the storage again after a first pass: retry (bounded).
	idle_wait_until 20 podman_unmount_remove || echo "podman_cleanup: $PODMAN_ROOT not removed" >&2
}

# Whatever podman left mounted under the private root must go before rm -rf.
podman_unmount_remove() {
	grep -o " $PODMAN_ROOT/[^ ]*" /proc/self/mounts | sort -r | while read -r m; do
		umount -l "$m" 2>/dev/null
	done
	rm -rf "$PODMAN_ROOT" 2>/dev/null
	[ ! -e "$PODMAN_ROOT" ]
}
