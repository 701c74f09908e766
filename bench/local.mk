# SPDX-License-Identifier: MIT
# bench/: `make bench` runs every measurement and writes bench/RESULTS.md;
# `make bench-quick` (or BENCH_QUICK=1) runs the same rows briefly, for CI.  The helpers are
# built for the benchmark only, never installed.
BENCH_HELPERS = bench/bench-ceiling bench/bench-hold bench/bench-probe
EXTRA_PROGRAMS = $(BENCH_HELPERS)
bench_bench_ceiling_SOURCES = bench/ceiling.c
bench_bench_ceiling_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS)
# The exporter's libraries, each loaded even where unused, so that the ceiling's memory is that of
# the same libraries, and what the exporter has above it is its own.
bench_bench_ceiling_LDFLAGS = -Wl,--no-as-needed
bench_bench_ceiling_LDADD = $(MHD_LIBS) $(ZLIB_LIBS) $(YAML_LIBS) $(GNUTLS_LIBS) $(LIBCRYPT_LIBS) -lm
bench_bench_hold_SOURCES = bench/hold.c
bench_bench_hold_LDADD =
bench_bench_probe_SOURCES = bench/probe.c
bench_bench_probe_LDADD = common/libidle.la -lm

BENCH_RUN = WRK="$(WRK)" $(BENCH_PYTHON) $(srcdir)/bench/bench.py \
	--srcdir=$(srcdir) --builddir=$(builddir)

bench: all $(BENCH_HELPERS)
	$(BENCH_RUN) --out=$(srcdir)/bench/RESULTS.md

bench-quick: all $(BENCH_HELPERS)
	$(BENCH_RUN) --quick --out=$(builddir)/bench/results-quick.md

.PHONY: bench bench-quick
CLEANFILES += $(BENCH_HELPERS) bench/results-quick.md
EXTRA_DIST += bench/bench.m4 bench/bench.py bench/RESULTS.md
