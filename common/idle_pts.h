/* SPDX-License-Identifier: MIT */
/* The pts directory: newest modification and access times, and each terminal's. */
#ifndef IDLE_PTS_H
#define IDLE_PTS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <time.h>

/*
 * What one pass over the pts directory found.  Only character devices count: the terminals,
 * and ptmx, the multiplexer, which is no terminal but whose mtime the Python exporter counted.
 * Directories, FIFOs, sockets and regular files are neither and are left out.
 */
struct idle_pts_scan {
	size_t entries;                 /* character devices: the terminals and ptmx */
	struct timespec newest_mtime;   /* over entries: the Python exporter's user_input_idle_time */
	size_t terminals;               /* character devices other than ptmx */
	struct timespec newest_input;   /* newest atime over terminals */
	struct timespec newest_output;  /* newest mtime over terminals */
	size_t skipped;                 /* entries that could not be stat'ed (gone, dangling, loops) */
};

/* Called for each terminal found; returns 0 or an errno that stops the scan. */
typedef int (*idle_pts_terminal_fn)(void *arg, const char *name, const struct stat *st);

/*
 * Reads every entry of the directory open as dir_fd (O_RDONLY | O_DIRECTORY) into scan
 * (initialised here), calling each (may be NULL) per terminal.  The descriptor is kept by the
 * caller to be scanned at every poll: each scan rewinds it and reads it to its end, so no other
 * reader may use that open file description meanwhile; it is not closed.  Symbolic links count
 * by their target, as the Python exporter's os.stat did; an entry that cannot be stat'ed is
 * counted in scan->skipped, not an error.  Returns 0, each's non-zero return, or a positive
 * errno when the directory could not be read (then scan is incomplete and must not be used).
 * Reentrant for distinct descriptors.
 */
int idle_pts_read_fd(int dir_fd, struct idle_pts_scan *scan, idle_pts_terminal_fn each,
		     void *arg);

#endif
