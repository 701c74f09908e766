/* SPDX-License-Identifier: MIT */
/* The exporter's own process metrics, read from /proc/self the way the Python client did. */
#ifndef IDLE_PROCSTAT_H
#define IDLE_PROCSTAT_H

#include "idle_expo.h"

/* Values that never change while the process runs, and what a scrape reads, held open: no
 * path walk through /proc/self, no open and close at each scrape. */
struct procstat {
	double start_time_seconds;
	long page_size;
	int statm_fd; /* /proc/self/statm, read with pread */
	int fd_dir;   /* /proc/self/fd, rewound and listed */
};

/* Reads the start time (from /proc/self/stat and /proc/stat's btime) and opens statm.  Returns
 * 0 or an errno (then nothing is held). */
int procstat_init(struct procstat *procstat);

/* Closes what procstat_init opened; harmless after a failed init, and twice. */
void procstat_close(struct procstat *procstat);

/* Reads the btime line of /proc/stat, open as fd, however long the lines before it: boot time
 * in seconds since the epoch.  Returns 0, EINVAL when there is none, or a read's errno. */
int procstat_boot_time(int fd, unsigned long long *seconds);

/* Fills stats; sets stats->valid false when /proc/self cannot be read.  One thread at a time
 * (it rewinds the held fd directory): the exporter's pages are made on libmicrohttpd's one
 * thread. */
void procstat_read(const struct procstat *procstat, struct idle_process_stats *stats);

#endif
