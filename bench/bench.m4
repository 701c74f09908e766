dnl SPDX-License-Identifier: MIT
dnl Benchmarks (make bench): the driver's Python and wrk, both optional at configure time.
dnl A missing wrk marks the scrape rows missing with a note; nothing here fails the build.
dnl Debian's /usr/bin/python3 comes first: it is the one python3-prometheus-client is installed
dnl for, and a pyenv or venv python3 first on PATH may not see it (bench.py re-executes itself
dnl with /usr/bin/python3 when it exists, whatever runs it).
AC_ARG_VAR([BENCH_PYTHON], [Python 3 running bench/bench.py (make bench; default /usr/bin/python3)])
AC_ARG_VAR([WRK], [wrk, the HTTP load generator of make bench (Debian: wrk)])
AC_PATH_PROGS([BENCH_PYTHON], [python3], [python3], [/usr/bin$PATH_SEPARATOR$PATH])
AC_PATH_PROG([WRK], [wrk], [wrk])
