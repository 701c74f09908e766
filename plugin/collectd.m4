dnl SPDX-License-Identifier: MIT
dnl collectd plugin (plugin/): built when collectd's headers are found (Debian: collectd-dev).
dnl Skipped with a notice when they are absent and nobody asked for the plugin; an error when
dnl --with-collectd-includedir or --with-collectd-plugindir asked for it.
AC_ARG_WITH([collectd-includedir],
  [AS_HELP_STRING([--with-collectd-includedir=DIR],
    [collectd headers, holding core/daemon/plugin.h @<:@/usr/include/collectd@:>@; no: skip the plugin])],
  [], [with_collectd_includedir=check])
AC_ARG_WITH([collectd-plugindir],
  [AS_HELP_STRING([--with-collectd-plugindir=DIR],
    [where collectd loads plugins from @<:@LIBDIR/collectd@:>@])],
  [], [with_collectd_plugindir=check])

idle_collectd_required=no
AS_CASE([$with_collectd_includedir],
  [check], [idle_collectd_dir=/usr/include/collectd],
  [yes], [idle_collectd_dir=/usr/include/collectd; idle_collectd_required=yes],
  [no], [idle_collectd_dir=],
  [idle_collectd_dir=$with_collectd_includedir; idle_collectd_required=yes])
AS_CASE([$with_collectd_plugindir],
  [check|yes], [collectd_plugindir='$(libdir)/collectd'],
  [no], [idle_collectd_dir=; collectd_plugindir='$(libdir)/collectd'],
  [collectd_plugindir=$with_collectd_plugindir
   AS_IF([test "x$with_collectd_includedir" != xno], [idle_collectd_required=yes])])
AS_IF([test "x$with_collectd_plugindir" = xyes], [idle_collectd_required=yes])

dnl Debian's headers include "collectd/core/config.h" from the parent directory, and expect
dnl HAVE_CONFIG_H so that collectd's own config.h (not ours) describes the daemon.
idle_have_collectd=no
COLLECTD_CPPFLAGS=
AS_IF([test -n "$idle_collectd_dir"], [
  COLLECTD_CPPFLAGS="-DHAVE_CONFIG_H -I$idle_collectd_dir -I$idle_collectd_dir/core -I$idle_collectd_dir/core/daemon"
  idle_collectd_parent=`AS_DIRNAME(["$idle_collectd_dir"])`
  AS_IF([test "x$idle_collectd_parent" != x/usr/include],
    [COLLECTD_CPPFLAGS="$COLLECTD_CPPFLAGS -I$idle_collectd_parent"])
  AC_MSG_CHECKING([for collectd plugin headers in $idle_collectd_dir])
  idle_save_CPPFLAGS=$CPPFLAGS
  CPPFLAGS="$CPPFLAGS $COLLECTD_CPPFLAGS"
  AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[
#include "collectd.h"
#include "plugin.h"
#include "utils/common/common.h"
#include "utils_complain.h"
#include "liboconfig/oconfig.h"
]], [[
value_list_t vl = VALUE_LIST_INIT;
oconfig_item_t ci;
(void)ci;
return plugin_dispatch_values(&vl) + plugin_thread_create(0, 0, 0, "x");
]])], [idle_have_collectd=yes])
  CPPFLAGS=$idle_save_CPPFLAGS
  AC_MSG_RESULT([$idle_have_collectd])
])

AS_IF([test "x$idle_have_collectd" = xno && test "x$idle_collectd_required" = xyes],
  [AC_MSG_ERROR([collectd plugin headers not found in ${idle_collectd_dir:-(none)}: install the Debian package collectd-dev, or point --with-collectd-includedir at the directory holding core/daemon/plugin.h])])
AS_IF([test "x$idle_have_collectd" = xno && test -n "$idle_collectd_dir"],
  [AC_MSG_NOTICE([collectd headers not found in $idle_collectd_dir: the collectd plugin is skipped (install the Debian package collectd-dev to build it)])])
AS_IF([test "x$idle_have_collectd" = xno], [COLLECTD_CPPFLAGS=])

AC_SUBST([COLLECTD_CPPFLAGS])
AC_SUBST([collectd_plugindir])
AM_CONDITIONAL([BUILD_PLUGIN], [test "x$idle_have_collectd" = xyes])
