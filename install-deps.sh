#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs, on Debian 12 as root, what building idle needs; with --test, what its test suite needs.
set -eu
build="autoconf automake libtool pkg-config make gcc libc6-dev libmicrohttpd-dev zlib1g-dev
       libgnutls28-dev libyaml-dev libcrypt-dev"
# collectd-core runs the plugin; write_prometheus needs libprotobuf-c1, which it does not pull.
# podman runs the image tests with runc (see tests/podman-lib.sh); busybox-static fills their test image.
# check runs the unit suites: make check needs it, a plain build does not.
tests="check curl python3 procps bsdutils util-linux openssl mandoc prometheus debootstrap prometheus-node-exporter
       collectd-core collectd-dev libprotobuf-c1 snmpd snmp valgrind clang libclang-rt-14-dev
       systemd wrk python3-prometheus-client chromium python3-cryptography
       podman runc buildah busybox-static containernetworking-plugins iptables"
want=$build
[ "${1:-}" = "--test" ] && want="$build $tests"
# The manifest test installs its schema packages with npm; a Node.js from elsewhere brings its own npm.
[ "${1:-}" = "--test" ] && ! command -v npm >/dev/null && want="$want nodejs npm"
missing=""
for pkg in $want; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
