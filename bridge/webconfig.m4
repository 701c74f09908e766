dnl SPDX-License-Identifier: MIT
dnl --web.config.file (bridge/webconfig.c, auth.c, tls.c): libyaml for the YAML, GnuTLS for
dnl HTTPS and the cache's keyed hashes, libxcrypt for bcrypt ($2a$, $2b$, $2y$).  Built when all
dnl three are found; skipped with a notice when one is missing and nobody asked for it; an error
dnl when --enable-web-config asked for it.  Without it the exporter refuses --web.config.file.
AC_ARG_ENABLE([web-config],
  [AS_HELP_STRING([--disable-web-config],
    [build the exporter without --web.config.file (TLS, basic auth, headers), which needs libyaml, GnuTLS and libxcrypt @<:@default: when they are found@:>@])],
  [], [enable_web_config=check])

idle_web_config=no
idle_web_config_missing=
AS_IF([test "x$enable_web_config" != xno], [
  PKG_CHECK_MODULES([YAML], [yaml-0.1], [],
    [idle_web_config_missing="$idle_web_config_missing libyaml-dev"])
  PKG_CHECK_MODULES([GNUTLS], [gnutls >= 3.4.6], [],
    [idle_web_config_missing="$idle_web_config_missing libgnutls28-dev"])
  PKG_CHECK_MODULES([LIBCRYPT], [libcrypt >= 4.1], [idle_libcrypt=yes],
    [idle_libcrypt=no; idle_web_config_missing="$idle_web_config_missing libcrypt-dev"])
  AS_IF([test "x$idle_libcrypt" = xyes], [
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
      [idle_web_config_missing="$idle_web_config_missing libcrypt-dev (this libcrypt has no bcrypt)"])
  ])
  AS_IF([test -z "$idle_web_config_missing"], [idle_web_config=yes],
    [test "x$enable_web_config" = xyes],
    [AC_MSG_ERROR([--enable-web-config: missing libraries: install the Debian packages$idle_web_config_missing (libyaml, GnuTLS 3.4.6 or later, libxcrypt with bcrypt)])],
    [AC_MSG_NOTICE([--web.config.file support (TLS, basic auth) skipped: install the Debian packages$idle_web_config_missing to build it])])
])
AC_MSG_CHECKING([whether to build --web.config.file support])
AC_MSG_RESULT([$idle_web_config])
AM_CONDITIONAL([WEB_CONFIG], [test "x$idle_web_config" = xyes])
