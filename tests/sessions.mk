# tests/: the sessions sampler (utmp, proc, w's rules) and its comparison with procps w.
check_PROGRAMS += tests/check_utmp tests/check_proc tests/check_sessions
TESTS += tests/check_utmp tests/check_proc tests/check_sessions tests/w-compat.test
dist_noinst_SCRIPTS += tests/w-compat.test

tests_check_utmp_SOURCES = tests/check_utmp.c tests/fixture.c tests/fixture.h
tests_check_utmp_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_utmp_LDADD = common/libidle.la $(CHECK_LIBS)

tests_check_proc_SOURCES = tests/check_proc.c tests/fixture.c tests/fixture.h
tests_check_proc_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_proc_LDADD = common/libidle.la $(CHECK_LIBS)

tests_check_sessions_SOURCES = tests/check_sessions.c tests/fixture.c tests/fixture.h
tests_check_sessions_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_sessions_LDADD = common/libidle.la $(CHECK_LIBS)
