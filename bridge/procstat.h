/* SPDX-License-Identifier: MIT */
/* The exporter's own process metrics, read from /proc/self the way the Python client did. */
#ifndef IDLE_PROCSTAT_H
#define IDLE_PROCSTAT_H

#include "idle_expo.h"

/* Values that never change while the process runs, and /proc/self/statm held open. */
struct procstat {
	double start_time_seconds;
	long page_size;
	int statm_fd; /* read with pread at each scrape: no path walk through /proc/self */
};

/* Reads the start time (from /proc/self/stat and /proc/stat's btime) and opens statm.  Returns
 * 0 or an errno (then nothing is held). */
int procstat_init(struct procstat *procstat);

/* Closes what procstat_init opened; harmless after a failed init, and twice. */
void procstat_close(struct procstat *procstat);

/* Reads the btime line of /proc/stat, open as fd, however long the lines before it: boot time
 * in seconds since the epoch.  Returns 0, EINVAL when there is none, or a read's errno. */
int procstat_boot_time(int fd, unsigned long long *seconds);

/* Fills stats; sets stats->valid false when /proc/self cannot be read.  Thread-safe. */
void procstat_read(const struct procstat *procstat, struct idle_process_stats *stats);

#endif
