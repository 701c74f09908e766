# SPDX-License-Identifier: MIT
# bridge/: idle-exporter, the standalone Prometheus exporter.
bin_PROGRAMS += bridge/idle-exporter
bridge_idle_exporter_SOURCES = \
	bridge/main.c \
	bridge/auth.h bridge/tls.h bridge/webconfig.h \
	bridge/negotiate.c bridge/negotiate.h \
	bridge/http.c bridge/http.h \
	bridge/httplog.c bridge/httplog.h \
	bridge/landing.c bridge/landing.h \
	bridge/listen.c bridge/listen.h \
	bridge/log.c bridge/log.h \
	bridge/options.c bridge/options.h \
	bridge/page.c bridge/page.h \
	bridge/procstat.c bridge/procstat.h \
	bridge/route.c bridge/route.h
# --web.config.file (configure --disable-web-config, or libraries missing: refused at start).
if WEB_CONFIG
bridge_idle_exporter_SOURCES += \
	bridge/auth.c \
	bridge/smallfile.c bridge/smallfile.h \
	bridge/tls.c \
	bridge/webconfig.c
else
bridge_idle_exporter_SOURCES += bridge/webconfig-none.c
endif
bridge_idle_exporter_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS) $(ZLIB_CFLAGS) $(YAML_CFLAGS) \
	$(GNUTLS_CFLAGS) $(LIBCRYPT_CFLAGS)
bridge_idle_exporter_LDADD = common/libidle.la $(MHD_LIBS) $(ZLIB_LIBS) $(YAML_LIBS) \
	$(GNUTLS_LIBS) $(LIBCRYPT_LIBS) -lm
EXTRA_DIST += bridge/webconfig.m4
