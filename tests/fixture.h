/* SPDX-License-Identifier: MIT */
/* Test fixtures: private directories under $TMPDIR holding files with chosen times. */
#ifndef IDLE_FIXTURE_H
#define IDLE_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Makes a new empty directory under $TMPDIR (or /tmp); returns its malloc'd path or aborts. */
char *fixture_dir(void);

/* Creates dir/name (parents too) with the given atime and mtime (seconds, nanoseconds). */
void fixture_file(const char *dir, const char *name, time_t atime, long atime_ns, time_t mtime,
		  long mtime_ns);

/* Creates dir/name (parents too) as a character device, as devpts holds, with those times. */
void fixture_device(const char *dir, const char *name, time_t atime, long atime_ns, time_t mtime,
		    long mtime_ns);

/* True when this process may make device nodes (root, or CAP_MKNOD). */
bool fixture_can_mknod(void);

/*
 * Counts opens of the files of dir, added to the inotify fd (-1: a new one, returned), so a
 * test sees what the code under test reads without hooks in it.
 */
int fixture_watch_opens(int fd, const char *dir);

/* Opens of files called name in the watched directories since the last call. */
size_t fixture_count_opens(int fd, const char *name);

/* The descriptors this process has open, the listing's own left out. */
int fixture_open_fds(void);

/* Removes a file of the fixture. */
void fixture_unlink(const char *dir, const char *name);

/* Removes the whole tree and frees the path. */
void fixture_remove(char *dir);

#endif
