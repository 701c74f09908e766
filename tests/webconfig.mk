# tests/: --web.config.file: Check suites of the config parser and of basic auth, and the
# integration test with curl, openssl and a real Prometheus over HTTPS.
check_PROGRAMS += tests/check_webconfig tests/check_auth
TESTS += tests/check_webconfig tests/check_auth

tests_check_webconfig_SOURCES = tests/check_webconfig.c \
	bridge/webconfig.c bridge/webconfig.h
tests_check_webconfig_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/bridge
tests_check_webconfig_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(YAML_CFLAGS)
tests_check_webconfig_LDADD = $(CHECK_LIBS) $(YAML_LIBS)

tests_check_auth_SOURCES = tests/check_auth.c \
	bridge/auth.c bridge/auth.h bridge/webconfig.h
tests_check_auth_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/bridge
tests_check_auth_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GNUTLS_CFLAGS) $(LIBCRYPT_CFLAGS)
tests_check_auth_LDADD = $(CHECK_LIBS) $(GNUTLS_LIBS) $(LIBCRYPT_LIBS)

TESTS += tests/webconfig.test
dist_noinst_SCRIPTS += tests/webconfig.test
