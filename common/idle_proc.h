/* SPDX-License-Identifier: MIT */
/* /proc/PID files: pure parsers of stat and status, and reads of one process' files. */
#ifndef IDLE_PROC_H
#define IDLE_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Bytes of comm kept, NUL included: libproc2 keeps 63, the kernel writes at most 63. */
#define IDLE_COMM_MAX 64
/* libproc2 4.0.2 reads cmdline into 128 KiB and keeps one byte less when it fills it. */
#define IDLE_CMDLINE_MAX (128 * 1024 - 1)

/* The fields of /proc/PID/stat that w uses, plus what tells one exec from the next. */
struct idle_proc_stat {
	pid_t pid;
	char comm[IDLE_COMM_MAX]; /* raw bytes between the first '(' and the last ')' */
	char state;		  /* 'R', 'S', 'Z', ... */
	pid_t ppid;
	pid_t pgrp;
	pid_t session;
	int tty_nr;			/* controlling terminal, kernel encoding; 0 for none */
	pid_t tpgid;			/* that terminal's foreground group; -1 for none */
	long threads;			/* num_threads; 0 when not a count */
	unsigned long long start_ticks; /* start time in clock ticks after boot */
	unsigned long arg_start;	/* argv's addresses: 0 when hidden or absent */
	unsigned long arg_end;
};

/*
 * Parses one /proc/PID/stat line of len bytes (no NUL needed).  comm may hold spaces,
 * parentheses and any byte: it ends at the LAST ')'.  Fields 3 to 22 are required, 48 and 49
 * optional.  Returns 0 or EINVAL.  Pure.
 */
int idle_proc_parse_stat(const char *buf, size_t len, struct idle_proc_stat *st);

/* Parses the real and effective uid of the "Uid:" line of /proc/PID/status.  0 or EINVAL.  Pure. */
int idle_proc_parse_uids(const char *buf, size_t len, uid_t *ruid, uid_t *euid);

/* True when tty_nr (kernel encoding, as in stat) names the device rdev (from stat(2)). */
bool idle_proc_tty_is(int tty_nr, dev_t rdev);

/*
 * The reads below take proc_fd, an open directory such as /proc, so tests use fixture trees.
 * Each returns 0, ESRCH when the process is gone (its files ENOENT or ESRCH, or empty: a normal
 * race with exit, not an error), or another positive errno.  Reentrant.
 */

/* Whether proc_fd/PID exists, as w finds a login process by listing /proc. */
int idle_proc_exists(int proc_fd, pid_t pid);

/* Reads and parses proc_fd/PID/stat; EINVAL when it does not parse. */
int idle_proc_read_stat(int proc_fd, pid_t pid, struct idle_proc_stat *st);

/* Reads the real and effective uid from proc_fd/PID/status; EINVAL when absent. */
int idle_proc_read_uids(int proc_fd, pid_t pid, uid_t *ruid, uid_t *euid);

/*
 * Reads at most size bytes of proc_fd/PID/cmdline into buf, *len set to the bytes read.
 * Can block while the process is stuck in the kernel holding its memory map lock: call it once
 * per exec and cache (idle_what does).
 */
int idle_proc_read_cmdline(int proc_fd, pid_t pid, char *buf, size_t size, size_t *len);

/* One read(2) of at most size bytes, retried on EINTR; *n is 0 at end of file.  0 or errno. */
int idle_proc_read_some(int fd, char *buf, size_t size, size_t *n);

/* ESRCH for ENOENT and ESRCH, which both mean the process has gone; err itself otherwise. */
int idle_proc_gone(int err);

#endif
