# common/: sessions (utmp, tty devices, /proc), as procps w sees them.
common_libidle_la_SOURCES += \
	common/idle_proc.c common/idle_proc.h \
	common/idle_sessions.c common/idle_sessions.h \
	common/idle_utmp.c common/idle_utmp.h
