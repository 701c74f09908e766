/* SPDX-License-Identifier: MIT */
/* Defaults and bounds shared by the exporter's flags and the plugin's keys: each stated once. */
#ifndef IDLE_DEFAULTS_H
#define IDLE_DEFAULTS_H

/* Sources seen from the host's root; the exporter prefixes the first three with --path.rootfs. */
#define IDLE_DEFAULT_PTS_DIR "/dev/pts"
#define IDLE_DEFAULT_DEV_DIR "/dev"
#define IDLE_DEFAULT_UTMP_FILE "/var/run/utmp"
#define IDLE_DEFAULT_PROC_DIR "/proc"
#define IDLE_DEFAULT_SYS_DIR "/sys"
#define IDLE_DEFAULT_ROOT_DIR "/"
/* kubelet's symlinks <pod>_<namespace>_<container>-<id>.log, which name each container. */
#define IDLE_DEFAULT_CONTAINERS_LOG_DIR "/var/log/containers"

/* Polls in the rolling average: a day of 1-second polls at most. */
#define IDLE_DEFAULT_WINDOW 60
#define IDLE_WINDOW_MIN 1
#define IDLE_WINDOW_MAX 86400

/* Seconds between polls: below 10 ms sampling would cost more than it tells. */
#define IDLE_DEFAULT_POLL_SECONDS 1.0
#define IDLE_POLL_SECONDS_MIN 0.01
#define IDLE_POLL_SECONDS_MAX 3600.0

/* Seconds a terminal owner's name may be old: the host's passwd lookups and each container's
 * passwd file are asked again after this, so a user renamed or added shows up within it. */
#define IDLE_NAMES_TTL_SECONDS 60

#endif
