/* SPDX-License-Identifier: MIT */
/* The small kernel text files container discovery reads: cgroup.procs, PID/cgroup. */
#ifndef IDLE_CONTAINERS_FILE_H
#define IDLE_CONTAINERS_FILE_H

#include <stddef.h>
#include <sys/types.h>

/* What /proc/PID/cgroup can hold: one line per v1 hierarchy and the v2 one. */
#define IDLE_CGROUP_FILE_BUF 4096

/*
 * Reads up to size - 1 bytes of dfd/name (not following a symlink, never blocking on a fifo)
 * into buf, NUL-terminated, *len set to the bytes read.  Returns 0 or a positive errno.
 * Reentrant.
 */
int idle_containers_read_file(int dfd, const char *name, char *buf, size_t size, size_t *len);

/* The decimal pid buf starts with, ended by a newline or NUL (a cgroup.procs text, a /proc
 * entry's name), or 0 when there is none.  Pure. */
pid_t idle_containers_parse_pid(const char *buf);

#endif
