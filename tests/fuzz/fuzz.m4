dnl SPDX-License-Identifier: MIT
dnl Fuzzing (tests/fuzz/): --enable-fuzzing builds libFuzzer targets with clang, whatever CC is
dnl (Debian: clang and libclang-rt-14-dev).  Without it the committed corpus is still replayed.
AC_ARG_ENABLE([fuzzing],
  [AS_HELP_STRING([--enable-fuzzing],
    [build the libFuzzer targets with clang (FUZZ_CC) and run them briefly in make check])],
  [], [enable_fuzzing=no])
AC_ARG_VAR([FUZZ_CC], [clang used for the libFuzzer targets])
AS_IF([test "x$enable_fuzzing" = xyes], [
  AC_PATH_PROGS([FUZZ_CC], [clang clang-16 clang-15 clang-14], [no])
  AS_IF([test "x$FUZZ_CC" = xno],
    [AC_MSG_ERROR([--enable-fuzzing needs clang: install the Debian package clang])])
  AC_MSG_CHECKING([whether $FUZZ_CC links -fsanitize=fuzzer,address,undefined])
  idle_save_CC=$CC
  idle_save_CFLAGS=$CFLAGS
  idle_save_LDFLAGS=$LDFLAGS
  CC=$FUZZ_CC
  CFLAGS="-fsanitize=fuzzer,address,undefined"
  LDFLAGS=
  AC_LINK_IFELSE([AC_LANG_SOURCE([[
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { (void)data; (void)size; return 0; }
]])], [idle_fuzz_links=yes], [idle_fuzz_links=no])
  CC=$idle_save_CC
  CFLAGS=$idle_save_CFLAGS
  LDFLAGS=$idle_save_LDFLAGS
  AC_MSG_RESULT([$idle_fuzz_links])
  AS_IF([test "x$idle_fuzz_links" = xno],
    [AC_MSG_ERROR([$FUZZ_CC cannot link -fsanitize=fuzzer: install the Debian package libclang-rt-14-dev (the compiler-rt of your clang)])])
])
AM_CONDITIONAL([ENABLE_FUZZING], [test "x$enable_fuzzing" = xyes])
AC_SUBST([enable_fuzzing])
AC_CONFIG_FILES([tests/fuzz/config.sh])
