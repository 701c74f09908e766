/* SPDX-License-Identifier: MIT */
/* The pts directory: newest modification and access times, and each terminal's. */
#ifndef IDLE_PTS_H
#define IDLE_PTS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <time.h>

/* What one pass over the pts directory found. */
struct idle_pts_scan {
	size_t entries;                 /* every entry but . and .., ptmx included */
	struct timespec newest_mtime;   /* over all entries: the seed's user_input_idle_time */
	size_t terminals;               /* entries other than ptmx */
	struct timespec newest_input;   /* newest atime over terminals */
	struct timespec newest_output;  /* newest mtime over terminals */
};

/* Called for each terminal (not ptmx) found; returns 0 or an errno that stops the scan. */
typedef int (*idle_pts_terminal_fn)(void *arg, const char *name, const struct stat *st);

/* Empties a scan. */
void idle_pts_scan_init(struct idle_pts_scan *scan);

/* True when name is the pty multiplexer, which is no terminal. */
bool idle_pts_is_ptmx(const char *name);

/* Adds one entry's times to the scan; pure. */
void idle_pts_scan_add(struct idle_pts_scan *scan, const char *name, const struct stat *st);

/*
 * Reads every entry of dir into scan (initialised here), calling each (may be NULL) per
 * terminal.  Returns 0, or a positive errno: the directory could not be opened or read, or an
 * entry could not be stat'ed (one vanishing between readdir and stat included); then scan is
 * incomplete and must not be used.  Reentrant.
 */
int idle_pts_read(const char *dir, struct idle_pts_scan *scan, idle_pts_terminal_fn each,
		  void *arg);

#endif
