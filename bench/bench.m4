dnl SPDX-License-Identifier: MIT
dnl Benchmarks (make bench): the driver's Python and wrk, both optional at configure time.
dnl A missing wrk skips the scrape rows with a note; nothing here fails the build.
AC_ARG_VAR([BENCH_PYTHON], [Python 3 running bench/bench.py (make bench)])
AC_ARG_VAR([WRK], [wrk, the HTTP load generator of make bench (Debian: wrk)])
AC_PATH_PROGS([BENCH_PYTHON], [python3], [python3])
AC_PATH_PROG([WRK], [wrk], [wrk])
