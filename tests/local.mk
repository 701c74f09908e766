# tests/: Check unit tests of common/ and the bridge's pure parts, and integration tests.
AM_TESTS_ENVIRONMENT = top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)'; export top_builddir top_srcdir;
TEST_EXTENSIONS = .test
dist_noinst_DATA += tests/lib.sh

check_PROGRAMS += tests/check_window tests/check_pts tests/check_expo tests/check_options
TESTS += tests/check_window tests/check_pts tests/check_expo tests/check_options

tests_check_window_SOURCES = tests/check_window.c
tests_check_window_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_window_LDADD = common/libidle.la $(CHECK_LIBS)

tests_check_pts_SOURCES = tests/check_pts.c tests/fixture.c tests/fixture.h
tests_check_pts_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_pts_LDADD = common/libidle.la $(CHECK_LIBS)

tests_check_expo_SOURCES = tests/check_expo.c
tests_check_expo_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_expo_LDADD = common/libidle.la $(CHECK_LIBS)

tests_check_options_SOURCES = tests/check_options.c bridge/options.c bridge/options.h
tests_check_options_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/bridge
tests_check_options_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_options_LDADD = common/libidle.la $(CHECK_LIBS) -lm

TESTS += tests/exporter.test
dist_noinst_SCRIPTS += tests/exporter.test

TESTS += tests/prometheus-rules.test
dist_noinst_SCRIPTS += tests/prometheus-rules.test
EXTRA_DIST += contrib/prometheus/idle-alerts.yml contrib/prometheus/idle-alerts.test.yml \
	contrib/prometheus/prometheus.yml

TESTS += tests/manpages.test
dist_noinst_SCRIPTS += tests/manpages.test

EXTRA_DIST += tests/check_run.h
dist_noinst_SCRIPTS += tests/run-all.sh
