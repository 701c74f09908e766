# Reliability tests (issue 6): HTTP limits, hostile input, sampling faults, valgrind, the
# systemd unit; `make check-soak` for the long soak, `make fuzz` for longer fuzzing runs.
REL_TESTS = \
	tests/http-slowloris.test \
	tests/http-load.test \
	tests/http-malformed.test \
	tests/hostile-output.test \
	tests/hostile-collision.test \
	tests/hostile-systemd.test \
	tests/faults-pts.test \
	tests/faults-utmp.test \
	tests/faults-proc.test \
	tests/faults-permission.test \
	tests/valgrind-exporter.test \
	tests/valgrind-collectd.test
TESTS += $(REL_TESTS)
dist_noinst_SCRIPTS += $(REL_TESTS) tests/soak.test
dist_noinst_DATA += tests/reliability-lib.sh tests/reliability_http.py tests/reliability_expo.py \
	tests/reliability_fixture.py tests/reliability_hostile.py \
	tests/reliability_faults.py tests/valgrind-exporter.supp
EXTRA_DIST += contrib/systemd/idle-exporter.service

# The soak: an hour by default; `make check-soak SOAK_SECONDS=120` for a short proof.
SOAK_SECONDS = 3600
check-soak: all
	top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
		SOAK_SECONDS='$(SOAK_SECONDS)' $(SHELL) $(srcdir)/tests/soak.test
.PHONY: check-soak
