dnl SPDX-License-Identifier: MIT
dnl --web.config.file (bridge/webconfig.c, auth.c, tls.c): libyaml for the YAML, GnuTLS for
dnl HTTPS and the cache's keyed hashes, libxcrypt for bcrypt ($2a$, $2b$, $2y$).
PKG_CHECK_MODULES([YAML], [yaml-0.1], [],
  [AC_MSG_ERROR([libyaml not found: install the Debian package libyaml-dev])])
PKG_CHECK_MODULES([GNUTLS], [gnutls >= 3.4.6], [],
  [AC_MSG_ERROR([GnuTLS 3.4.6 or later not found: install the Debian package libgnutls28-dev])])
PKG_CHECK_MODULES([LIBCRYPT], [libcrypt >= 4.1], [],
  [AC_MSG_ERROR([libxcrypt (libcrypt) not found: install the Debian package libcrypt-dev])])
idle_save_CFLAGS=$CFLAGS
idle_save_LIBS=$LIBS
CFLAGS="$CFLAGS $LIBCRYPT_CFLAGS"
LIBS="$LIBCRYPT_LIBS $LIBS"
AC_MSG_CHECKING([whether libcrypt verifies bcrypt hashes])
AC_RUN_IFELSE([AC_LANG_PROGRAM([[#include <crypt.h>
#include <string.h>]], [[
static struct crypt_data data;
/* OpenBSD's vector for "U*U"; \044 is a dollar sign, which the shell would expand. */
const char *hash = "\0442a\04405\044CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
const char *out = crypt_r("U*U", hash, &data);
return out == NULL || strcmp(out, hash) != 0;
]])], [idle_bcrypt=yes], [idle_bcrypt=no], [idle_bcrypt=cross])
CFLAGS=$idle_save_CFLAGS
LIBS=$idle_save_LIBS
AC_MSG_RESULT([$idle_bcrypt])
AS_IF([test "x$idle_bcrypt" = xno],
  [AC_MSG_ERROR([libcrypt cannot verify bcrypt hashes: install libxcrypt (Debian package libcrypt-dev)])])
