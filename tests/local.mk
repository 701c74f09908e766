# SPDX-License-Identifier: MIT
# tests/: Check unit suites of common/ and of the front ends' pure parts, and integration tests
# that drive the real programs through one harness (tests/lib.sh and the Python modules below).
# A program ./install-deps.sh --test installs is required: its absence fails the test; a test
# skips (exit 77, saying why) only where it cannot check (no pty, not root, valgrind on ASan).
AM_TESTS_ENVIRONMENT = top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)'; export top_builddir top_srcdir;
TEST_EXTENSIONS = .test

# Every Check program links the same way (the default LDADD; the others name their own), and a
# suite of a front end's module compiles that module with the front end's headers in view.
CHECK_BRIDGE_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/bridge
CHECK_PLUGIN_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugin
CHECK_UNIT_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
CHECK_UNIT_LDADD = common/libidle.la $(CHECK_LIBS) -lm
LDADD = $(CHECK_UNIT_LDADD)
AM_DEFAULT_SOURCE_EXT = .c
FIXTURE_SRC = tests/fixture.c tests/fixture.h

# The library's modules.
CHECK_COMMON = tests/check_window tests/check_pts tests/check_expo tests/check_utmp \
	tests/check_publisher tests/check_proc tests/check_sessions tests/check_users \
	tests/check_array tests/check_cgroup tests/check_podlog tests/check_passwd \
	tests/check_containers tests/check_kept_dir
tests_check_window_SOURCES = tests/check_window.c
tests_check_publisher_SOURCES = tests/check_publisher.c
tests_check_pts_SOURCES = tests/check_pts.c $(FIXTURE_SRC)
tests_check_expo_SOURCES = tests/check_expo.c
tests_check_utmp_SOURCES = tests/check_utmp.c $(FIXTURE_SRC)
tests_check_proc_SOURCES = tests/check_proc.c $(FIXTURE_SRC)
tests_check_sessions_SOURCES = tests/check_sessions.c $(FIXTURE_SRC)
tests_check_users_SOURCES = tests/check_users.c
tests_check_array_SOURCES = tests/check_array.c
tests_check_cgroup_SOURCES = tests/check_cgroup.c
tests_check_podlog_SOURCES = tests/check_podlog.c $(FIXTURE_SRC)
tests_check_passwd_SOURCES = tests/check_passwd.c tests/check_mounts.c tests/check_mounts.h \
	$(FIXTURE_SRC)
tests_check_containers_SOURCES = tests/check_containers.c tests/check_mounts.c \
	tests/check_mounts.h $(FIXTURE_SRC)
tests_check_kept_dir_SOURCES = tests/check_kept_dir.c tests/check_mounts.c tests/check_mounts.h \
	$(FIXTURE_SRC)

# The exporter's pure parts: flags, log lines, the web config file, basic auth, the landing page,
# the process stats, the listening address's text.
CHECK_BRIDGE = tests/check_options tests/check_log tests/check_webconfig tests/check_auth \
	tests/check_landing tests/check_procstat tests/check_listen
tests_check_options_SOURCES = tests/check_options.c bridge/options.c bridge/options.h \
	bridge/log.c bridge/log.h
tests_check_options_CPPFLAGS = $(CHECK_BRIDGE_CPPFLAGS)
tests_check_log_SOURCES = tests/check_log.c bridge/log.c bridge/log.h
tests_check_log_CPPFLAGS = $(CHECK_BRIDGE_CPPFLAGS)
# Without --web.config.file support (configure --disable-web-config) its suites skip (77).
if WEB_CONFIG
tests_check_webconfig_SOURCES = tests/check_webconfig.c bridge/webconfig.c bridge/webconfig.h \
	bridge/smallfile.c bridge/smallfile.h
tests_check_auth_SOURCES = tests/check_auth.c bridge/auth.c bridge/auth.h bridge/webconfig.h
else
tests_check_webconfig_SOURCES = tests/skip-web-config.c
tests_check_auth_SOURCES = tests/skip-web-config.c
endif
tests_check_webconfig_CPPFLAGS = $(CHECK_BRIDGE_CPPFLAGS)
tests_check_webconfig_CFLAGS = $(CHECK_UNIT_CFLAGS) $(YAML_CFLAGS)
tests_check_webconfig_LDADD = $(CHECK_UNIT_LDADD) $(YAML_LIBS)
tests_check_auth_CPPFLAGS = $(CHECK_BRIDGE_CPPFLAGS)
tests_check_auth_CFLAGS = $(CHECK_UNIT_CFLAGS) $(GNUTLS_CFLAGS) $(LIBCRYPT_CFLAGS)
tests_check_auth_LDADD = $(CHECK_UNIT_LDADD) $(GNUTLS_LIBS) $(LIBCRYPT_LIBS)
tests_check_landing_SOURCES = tests/check_landing.c bridge/landing.c bridge/landing.h
tests_check_landing_CPPFLAGS = $(CHECK_BRIDGE_CPPFLAGS)
tests_check_procstat_SOURCES = tests/check_procstat.c bridge/procstat.c bridge/procstat.h \
	$(FIXTURE_SRC)
tests_check_procstat_CPPFLAGS = $(CHECK_BRIDGE_CPPFLAGS)
tests_check_listen_SOURCES = tests/check_listen.c bridge/listen.c bridge/listen.h
tests_check_listen_CPPFLAGS = $(CHECK_BRIDGE_CPPFLAGS)

# The plugin's pure parts, built only with collectd's headers.
CHECK_PLUGIN = tests/check_plugin_options tests/check_plugin_map
tests_check_plugin_options_SOURCES = tests/check_plugin_options.c \
	plugin/options.c plugin/options.h
tests_check_plugin_options_CPPFLAGS = $(CHECK_PLUGIN_CPPFLAGS) $(COLLECTD_CPPFLAGS)
tests_check_plugin_map_SOURCES = tests/check_plugin_map.c \
	plugin/map.c plugin/map.h
tests_check_plugin_map_CPPFLAGS = $(CHECK_PLUGIN_CPPFLAGS)

CHECK_SUITES = $(CHECK_COMMON) $(CHECK_BRIDGE)
if BUILD_PLUGIN
CHECK_SUITES += $(CHECK_PLUGIN)
endif
if HAVE_CHECK
check_PROGRAMS += $(CHECK_SUITES)
TESTS += $(CHECK_SUITES)
else
# A plain build needs no Check; make check does, and says so rather than run without its suites.
check-local:
	@echo "make check: the unit tests need Check: install the Debian package check and rerun configure" >&2
	@exit 1
endif
EXTRA_DIST += tests/check_run.h

# Integration tests, by what they drive.
EXPORTER_TESTS = tests/exporter.test tests/logs.test tests/webconfig.test \
	tests/webconfig-hostile.test tests/w-compat.test tests/http-slowloris.test \
	tests/http-load.test tests/http-malformed.test tests/http-limit.test tests/http-listen.test \
	tests/http-landing.test tests/http-large.test
COLLECTD_TESTS = tests/collectd-values.test tests/collectd-average.test \
	tests/collectd-config.test tests/collectd-prometheus.test tests/collectd-snmp.test
FAULT_TESTS = tests/hostile-output.test tests/hostile-collision.test tests/hostile-systemd.test \
	tests/faults-pts.test tests/faults-utmp.test tests/faults-proc.test \
	tests/faults-permission.test tests/faults-blocking.test \
	tests/faults-pause.test tests/no-utmp.test
MEMORY_TESTS = tests/valgrind-exporter.test tests/valgrind-collectd.test
SHIPPED_TESTS = tests/prometheus-rules.test tests/manpages.test tests/kubernetes-manifests.test
CONTAINER_TESTS = tests/containers-discovery.test tests/image.test tests/image-sidecar.test \
	tests/kubernetes-privileges.test tests/containerfile.test tests/containers.test \
	tests/containers-hostile.test
INTEGRATION_TESTS = $(EXPORTER_TESTS) $(COLLECTD_TESTS) $(FAULT_TESTS) $(MEMORY_TESTS) \
	$(SHIPPED_TESTS) $(CONTAINER_TESTS)
# What the container tests run: the library's discovery, printed.
check_PROGRAMS += tests/containers_list
tests_containers_list_SOURCES = tests/containers_list.c
tests_containers_list_LDADD = common/libidle.la
TESTS += $(INTEGRATION_TESTS)
dist_noinst_SCRIPTS += $(INTEGRATION_TESTS) tests/soak.test tests/run-all.sh
# The harness: shell helpers, sessions on ptys and utmp records, a strict exposition reader,
# HTTP clients, the races and the soak, hostile names, podman containers, the manifest
# validator, and valgrind's library suppressions.
dist_noinst_DATA += tests/lib.sh tests/pty_sessions.py tests/expo_strict.py \
	tests/http_clients.py tests/races.py tests/hostile_names.py tests/podman-lib.sh \
	tests/kubernetes-validate.js tests/valgrind-exporter.supp
EXTRA_DIST += contrib/prometheus/idle-alerts.yml contrib/prometheus/idle-alerts.test.yml \
	contrib/prometheus/prometheus.yml contrib/systemd/idle-exporter.service \
	contrib/systemd/idle-exporter.socket

# The soak: an hour by default; `make check-soak SOAK_SECONDS=120` for a short proof.
SOAK_SECONDS = 3600
check-soak: all
	top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
		SOAK_SECONDS='$(SOAK_SECONDS)' $(SHELL) $(srcdir)/tests/soak.test
.PHONY: check-soak

# The Debian packages: built in a fresh Debian 12 chroot, linted, installed, run and purged in a
# second one (root and the Debian mirror needed, else it skips).  `make check-deb`; not in
# `make check`: it takes minutes and the network.
DEBIAN_FILES = debian/changelog debian/control debian/copyright debian/rules \
	debian/source/format \
	debian/prometheus-idle-exporter.install debian/prometheus-idle-exporter.examples \
	debian/prometheus-idle-exporter.default debian/prometheus-idle-exporter.service \
	debian/prometheus-idle-exporter.postinst debian/prometheus-idle-exporter.lintian-overrides \
	debian/collectd-plugin-idle.install debian/collectd-plugin-idle.examples \
	debian/collectd-plugin-idle.lintian-overrides
EXTRA_DIST += $(DEBIAN_FILES)
dist_noinst_SCRIPTS += tests/debian-packages.test
# Says PASS, SKIP or FAIL as make check does (run-all.sh counts those lines); a skip is no failure.
check-deb: all
	@rc=0; top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
		bash $(srcdir)/tests/debian-packages.test || rc=$$?; \
	case $$rc in \
	0) echo "PASS: tests/debian-packages.test" ;; \
	77) echo "SKIP: tests/debian-packages.test" ;; \
	*) echo "FAIL: tests/debian-packages.test"; exit 1 ;; \
	esac
.PHONY: check-deb
