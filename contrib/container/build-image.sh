#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds the idle-exporter OCI image offline: from scratch, the built binary, exactly the libraries it links.
#
# Usage: build-image.sh BINARY VERSION IMAGE
# Environment: BUILDAH (default "buildah"; e.g. "buildah --root R --runroot RR" for a private store),
# IMAGE_SOURCE (the org.opencontainers.image.source label: where the source is; default the dist tarball).
#
# Why not the Containerfile: it starts FROM debian:12, and where no base image can be pulled
# (this project's build machines) nothing FROM a registry builds. The image made here has what
# the binary needs to start, and nothing else: the dynamic loader, the libraries ldd lists, and an
# /etc/passwd naming the non-root user it runs as. No shell, no package manager.
set -eu
[ $# -eq 3 ] || { echo "usage: $0 BINARY VERSION IMAGE" >&2; exit 2; }
bin=$1 version=$2 image=$3
BUILDAH=${BUILDAH:-buildah}
source=${IMAGE_SOURCE:-idle-$version.tar.gz}
# 65532: the "nonroot" uid of distroless images; numeric, so kubelet can check runAsNonRoot.
uid=65532

[ -x "$bin" ] || { echo "build-image: $bin is not built (run make first)" >&2; exit 1; }
# A libtool wrapper script would copy a shell script, not the program.
head -c 4 "$bin" | grep -q 'ELF' || { echo "build-image: $bin is not an ELF program" >&2; exit 1; }
command -v "${BUILDAH%% *}" >/dev/null ||
	{ echo "build-image: buildah is needed (Debian package buildah)" >&2; exit 1; }

ctr=$($BUILDAH from scratch)
trap '$BUILDAH rm "$ctr" >/dev/null 2>&1 || :' EXIT
root=$($BUILDAH mount "$ctr")

mkdir -p "$root/usr/bin" "$root/etc" "$root/tmp"
cp "$bin" "$root/usr/bin/idle-exporter"
strip --strip-unneeded "$root/usr/bin/idle-exporter" 2>/dev/null || :
# ldd prints "name => /path (addr)" for each library and "/path (addr)" for the loader; each is
# copied (dereferenced) to the path it was found at, which is where the loader looks again.
libs=$(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
[ -n "$libs" ] || { echo "build-image: ldd listed no libraries for $bin" >&2; exit 1; }
for lib in $libs; do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
printf 'root:x:0:0:root:/:/sbin/nologin\nidle:x:%s:%s:idle-exporter:/:/sbin/nologin\n' \
	"$uid" "$uid" >"$root/etc/passwd"
printf 'root:x:0:\nidle:x:%s:\n' "$uid" >"$root/etc/group"
chmod 1777 "$root/tmp"

$BUILDAH config \
	--entrypoint '["/usr/bin/idle-exporter"]' --cmd '[]' \
	--user "$uid:$uid" --port 3003/tcp --stop-signal SIGTERM \
	--label org.opencontainers.image.title=idle-exporter \
	--label org.opencontainers.image.description="Terminal idle time as Prometheus metrics" \
	--label org.opencontainers.image.version="$version" \
	--label org.opencontainers.image.source="$source" \
	--label org.opencontainers.image.licenses=MIT \
	"$ctr"
$BUILDAH unmount "$ctr" >/dev/null
$BUILDAH commit -q --rm "$ctr" "$image" >/dev/null
trap - EXIT
size=$($BUILDAH images --format '{{.Size}}' "$image" | head -1)
echo "image $image: $size"
