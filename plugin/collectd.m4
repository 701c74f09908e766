dnl collectd plugin: built when collectd's headers are found (Debian: collectd-dev).
AC_ARG_WITH([collectd-includedir],
  [AS_HELP_STRING([--with-collectd-includedir=DIR], [collectd headers @<:@/usr/include/collectd@:>@])],
  [], [with_collectd_includedir=/usr/include/collectd])
AC_ARG_WITH([collectd-plugindir],
  [AS_HELP_STRING([--with-collectd-plugindir=DIR], [where collectd loads plugins from @<:@LIBDIR/collectd@:>@])],
  [collectd_plugindir="$withval"], [collectd_plugindir='$(libdir)/collectd'])
AC_SUBST([collectd_plugindir])
AM_CONDITIONAL([BUILD_PLUGIN], [false])
