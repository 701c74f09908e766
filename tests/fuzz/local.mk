# SPDX-License-Identifier: MIT
# Fuzzing: a libFuzzer target per parser of untrusted bytes.  Every build replays the
# committed corpus (tests/fuzz/corpus/TARGET/) through each target with the normal
# compiler; --enable-fuzzing also builds the targets with clang's libFuzzer, ASan and UBSan,
# runs each for FUZZ_SMOKE_SECONDS in make check, and for FUZZ_SECONDS in `make fuzz`.
FUZZ_TARGETS = utmp proc expo options log cgroup podlog passwd
if BUILD_PLUGIN
FUZZ_TARGETS += plugin_options
endif
FUZZ_SMOKE_SECONDS = 5
FUZZ_SECONDS = 300

# Replay programs: the targets with a main() that reads files, built like the unit tests.
check_PROGRAMS += tests/fuzz/replay_utmp tests/fuzz/replay_proc tests/fuzz/replay_expo \
	tests/fuzz/replay_options tests/fuzz/replay_log tests/fuzz/replay_cgroup \
	tests/fuzz/replay_podlog tests/fuzz/replay_passwd
if BUILD_PLUGIN
check_PROGRAMS += tests/fuzz/replay_plugin_options
endif
FUZZ_REPLAY_SRC = tests/fuzz/replay.c tests/fuzz/fuzz.h
tests_fuzz_replay_utmp_SOURCES = tests/fuzz/fuzz_utmp.c $(FUZZ_REPLAY_SRC)
tests_fuzz_replay_utmp_LDADD = common/libidle.la
tests_fuzz_replay_proc_SOURCES = tests/fuzz/fuzz_proc.c $(FUZZ_REPLAY_SRC)
tests_fuzz_replay_proc_LDADD = common/libidle.la
tests_fuzz_replay_expo_SOURCES = tests/fuzz/fuzz_expo.c $(FUZZ_REPLAY_SRC)
tests_fuzz_replay_expo_LDADD = common/libidle.la -lm
tests_fuzz_replay_options_SOURCES = tests/fuzz/fuzz_options.c bridge/options.c bridge/options.h \
	bridge/log.c bridge/log.h $(FUZZ_REPLAY_SRC)
tests_fuzz_replay_options_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/bridge
tests_fuzz_replay_options_LDADD = common/libidle.la -lm
tests_fuzz_replay_log_SOURCES = tests/fuzz/fuzz_log.c bridge/log.c bridge/log.h \
	$(FUZZ_REPLAY_SRC)
tests_fuzz_replay_log_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/bridge
tests_fuzz_replay_log_LDADD = common/libidle.la
tests_fuzz_replay_cgroup_SOURCES = tests/fuzz/fuzz_cgroup.c $(FUZZ_REPLAY_SRC)
tests_fuzz_replay_cgroup_LDADD = common/libidle.la
tests_fuzz_replay_podlog_SOURCES = tests/fuzz/fuzz_podlog.c $(FUZZ_REPLAY_SRC)
tests_fuzz_replay_podlog_LDADD = common/libidle.la
tests_fuzz_replay_passwd_SOURCES = tests/fuzz/fuzz_passwd.c $(FUZZ_REPLAY_SRC)
tests_fuzz_replay_passwd_LDADD = common/libidle.la
tests_fuzz_replay_plugin_options_SOURCES = tests/fuzz/fuzz_plugin_options.c \
	plugin/options.c plugin/options.h $(FUZZ_REPLAY_SRC)
tests_fuzz_replay_plugin_options_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugin $(COLLECTD_CPPFLAGS)
tests_fuzz_replay_plugin_options_LDADD = common/libidle.la -lm

TESTS += tests/fuzz/fuzz.test
dist_noinst_SCRIPTS += tests/fuzz/fuzz.test tests/fuzz/run.sh
EXTRA_DIST += tests/fuzz/fuzz.m4 tests/fuzz/config.sh.in tests/fuzz/corpus

# libFuzzer builds: clang compiles the library's sources itself, instrumented.
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I$(top_srcdir)/common -I$(top_srcdir)/tests/fuzz
FUZZ_LIBSRC = $(addprefix $(top_srcdir)/,$(filter %.c,$(common_libidle_la_SOURCES)))
FUZZ_EXTRA_options = $(top_srcdir)/bridge/options.c $(top_srcdir)/bridge/log.c \
	-I$(top_srcdir)/bridge
FUZZ_EXTRA_log = $(top_srcdir)/bridge/log.c -I$(top_srcdir)/bridge
FUZZ_EXTRA_plugin_options = $(top_srcdir)/plugin/options.c -I$(top_srcdir)/plugin \
	$(COLLECTD_CPPFLAGS)
FUZZ_BINARIES = $(FUZZ_TARGETS:%=tests/fuzz/fuzz_%)
if ENABLE_FUZZING
check_SCRIPTS = $(FUZZ_BINARIES)
endif
CLEANFILES += $(FUZZ_BINARIES)

tests/fuzz/fuzz_%: $(top_srcdir)/tests/fuzz/fuzz_%.c $(top_srcdir)/tests/fuzz/fuzz.h $(FUZZ_LIBSRC)
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_EXTRA_$*) $(FUZZ_LIBSRC) -lm
tests/fuzz/fuzz_options: $(top_srcdir)/bridge/options.c $(top_srcdir)/bridge/options.h \
	$(top_srcdir)/bridge/log.c $(top_srcdir)/bridge/log.h
tests/fuzz/fuzz_log: $(top_srcdir)/bridge/log.c $(top_srcdir)/bridge/log.h
tests/fuzz/fuzz_plugin_options: $(top_srcdir)/plugin/options.c

# Longer runs; new inputs go to tests/fuzz/work/TARGET, crashes to tests/fuzz/artifacts/.
fuzz:
	@if test "x$(enable_fuzzing)" != xyes; then \
		echo "make fuzz: configure with --enable-fuzzing (Debian: clang, libclang-rt-14-dev)" >&2; \
		exit 1; \
	fi
	$(MAKE) $(AM_MAKEFLAGS) $(FUZZ_BINARIES)
	top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
		$(SHELL) $(top_srcdir)/tests/fuzz/run.sh libfuzzer $(FUZZ_SECONDS) $(FUZZ_TARGETS)
.PHONY: fuzz
clean-fuzz:
	rm -rf tests/fuzz/work tests/fuzz/artifacts
.PHONY: clean-fuzz
