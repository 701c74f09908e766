/* SPDX-License-Identifier: MIT */
/* A process' children, from /proc/PID/task/TID/children: the walk of a session's processes. */
#ifndef IDLE_PROC_CHILDREN_H
#define IDLE_PROC_CHILDREN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Called with each pid of a children file; a non-zero return stops the scan and is returned. */
typedef int (*idle_proc_pid_fn)(void *arg, pid_t pid);

/* State of a scan of space-separated decimal pids fed in pieces; zero-initialise it. */
struct idle_proc_pid_scan {
	unsigned long value;
	bool in_number;
	bool overflow;
};

/*
 * Feeds len bytes of a children file to the scan, calling fn for each complete pid; a pid may
 * be split across calls.  Bytes other than digits separate; a number out of pid range is
 * skipped.  Returns 0 or fn's first non-zero return.  Pure.
 */
int idle_proc_scan_pids(struct idle_proc_pid_scan *scan, const char *buf, size_t len,
			idle_proc_pid_fn fn, void *arg);

/* Ends a scan: calls fn for a pid still pending.  Returns 0 or fn's return. */
int idle_proc_scan_end(struct idle_proc_pid_scan *scan, idle_proc_pid_fn fn, void *arg);

/*
 * Calls fn with each child of each thread of pid, from proc_fd/PID/task/TID/children
 * (CONFIG_PROC_CHILDREN).  threads is the process's thread count from its stat (0 when not
 * known): with 1, the one children file is read without listing the task directory.  A thread
 * exiting meanwhile is skipped.  Returns 0, ESRCH, ENOTSUP when a live thread has no children
 * file, fn's non-zero return, or another errno.  proc_fd is an open /proc, as for idle_proc's
 * reads.  Reentrant.
 */
int idle_proc_children(int proc_fd, pid_t pid, long threads, idle_proc_pid_fn fn, void *arg);

#endif
