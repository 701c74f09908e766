# SPDX-License-Identifier: MIT
# plugin/: the collectd read plugin idle.so (LoadPlugin idle), when configure found collectd-dev.
if BUILD_PLUGIN
collectd_plugin_LTLIBRARIES = plugin/idle.la
endif
plugin_idle_la_SOURCES = \
	plugin/idle.c \
	plugin/options.c plugin/options.h \
	plugin/map.c plugin/map.h \
	plugin/dispatch.c plugin/dispatch.h
# collectd's config.h owns PACKAGE_*: our version goes in under its own name.
plugin_idle_la_CPPFLAGS = $(AM_CPPFLAGS) $(COLLECTD_CPPFLAGS) \
	-DIDLE_PLUGIN_VERSION='"$(VERSION)"'
# A module loaded by name, no version suffix (collectd loads idle.so), one exported symbol.
plugin_idle_la_LDFLAGS = $(AM_LDFLAGS) -module -avoid-version -shared \
	-export-symbols-regex '^module_register$$'
plugin_idle_la_LIBADD = common/libidle.la
EXTRA_DIST += plugin/collectd.m4 \
	contrib/prometheus/collectd-relabel.yml contrib/collectd/collectd-idle.conf \
	contrib/collectd/snmp_agent-idle.conf contrib/snmp/IDLE-MIB.txt
