/* SPDX-License-Identifier: MIT */
/* The exporter's own process metrics, read from /proc/self the way the Python client did. */
#ifndef IDLE_PROCSTAT_H
#define IDLE_PROCSTAT_H

#include "idle_expo.h"

/* Values that never change while the process runs. */
struct procstat_fixed {
	double start_time_seconds;
	long page_size;
};

/* Reads the start time (from /proc/self/stat and /proc/stat's btime).  Returns 0 or an errno. */
int procstat_init(struct procstat_fixed *fixed);

/* Reads the btime line of /proc/stat, open as fd, however long the lines before it: boot time
 * in seconds since the epoch.  Returns 0, EINVAL when there is none, or a read's errno. */
int procstat_boot_time(int fd, unsigned long long *seconds);

/* Fills stats; sets stats->valid false when /proc/self cannot be read.  Thread-safe. */
void procstat_read(const struct procstat_fixed *fixed, struct idle_process_stats *stats);

#endif
