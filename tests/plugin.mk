# tests/: the collectd plugin: Check tests of its pure parts, and real collectd, Prometheus and
# snmpd driven by the integration tests (each skips, exit 77, when its program is missing).
if BUILD_PLUGIN
check_PROGRAMS += tests/check_plugin_config tests/check_plugin_map
TESTS += tests/check_plugin_config tests/check_plugin_map
endif

tests_check_plugin_config_SOURCES = tests/check_plugin_config.c \
	plugin/idle_plugin_config.c plugin/idle_plugin_config.h
tests_check_plugin_config_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugin $(COLLECTD_CPPFLAGS)
tests_check_plugin_config_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_plugin_config_LDADD = common/libidle.la $(CHECK_LIBS) -lm

tests_check_plugin_map_SOURCES = tests/check_plugin_map.c \
	plugin/idle_plugin_map.c plugin/idle_plugin_map.h
tests_check_plugin_map_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugin
tests_check_plugin_map_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_plugin_map_LDADD = common/libidle.la $(CHECK_LIBS) -lm

# Integration tests: the real collectd 5.12 (Debian collectd-core, libprotobuf-c1 for
# write_prometheus), Prometheus and snmpd; each skips when what it drives is not installed.
PLUGIN_TESTS = \
	tests/collectd-values.test \
	tests/collectd-average.test \
	tests/collectd-config.test \
	tests/collectd-prometheus.test \
	tests/collectd-snmp.test
TESTS += $(PLUGIN_TESTS)
dist_noinst_SCRIPTS += $(PLUGIN_TESTS)
dist_noinst_DATA += tests/collectd-lib.sh
