/* SPDX-License-Identifier: MIT */
/* A directory's entries through getdents64 into the stack: no DIR and its 32 KiB buffer. */
#ifndef IDLE_DIRENTS_H
#define IDLE_DIRENTS_H

/* Called for each entry but . and ..; a non-zero return stops the listing and is returned. */
typedef int (*idle_dirents_fn)(void *arg, int dir_fd, const char *name);

/*
 * Calls fn for each entry of the directory open for reading as dir_fd, from its offset on.
 * Returns 0, fn's non-zero return, or the errno of a failed read.  The polls list directories
 * every second; readdir would allocate and free a 32 KiB buffer, and opendir fstat, each time.
 * Reentrant.
 */
int idle_dirents_each(int dir_fd, idle_dirents_fn fn, void *arg);

#endif
