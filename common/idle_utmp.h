/* SPDX-License-Identifier: MIT */
/* utmp login records: parsed from raw bytes, and read from the file without getutxent. */
#ifndef IDLE_UTMP_H
#define IDLE_UTMP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "idle_snapshot.h"

/* Bytes of one record: glibc's struct utmp on Linux, checked against <utmpx.h> at build time. */
#define IDLE_UTMP_RECORD_SIZE 384
/* ut_type of a login session, the only kind w lists. */
#define IDLE_UTMP_USER_PROCESS 7
/* The record types of utmp(5), EMPTY to ACCOUNTING: any other is garbage. */
#define IDLE_UTMP_TYPE_MIN 0
#define IDLE_UTMP_TYPE_MAX 9
/* More login records than this in one file is garbage, not a host: the read fails with EFBIG. */
#define IDLE_UTMP_MAX_LOGINS 65536

/* The fields of a record that w uses.  Strings are NUL-terminated copies of fields that may lack
 * one. */
struct idle_utmp_record {
	int type;		  /* ut_type */
	pid_t pid;		  /* ut_pid: the login process */
	char line[IDLE_TTY_MAX];  /* ut_line: "pts/3", "/dev/pts/3", "tty1", ":0", or garbage */
	char user[IDLE_USER_MAX]; /* ut_user */
};

/* A growable array of records; zero-initialise it, free it with idle_utmp_list_free. */
struct idle_utmp_list {
	struct idle_utmp_record *records;
	size_t len;
	size_t cap;
};

/* Decodes the IDLE_UTMP_RECORD_SIZE bytes at bytes (any alignment, host byte order).  Pure. */
void idle_utmp_parse(const unsigned char *bytes, struct idle_utmp_record *record);

/*
 * Appends the login records among the records of buf: USER_PROCESS with a non-empty user, the
 * rows w considers; records of the other utmp(5) types are skipped.  Pure, no IO.  Returns 0,
 * ENOMEM, EFBIG, or EINVAL for garbage: a truncated buffer (len not a whole number of records:
 * a file cut or torn by a writer) or a record of no utmp(5) type; list then holds what was
 * appended before.
 */
int idle_utmp_parse_logins(const void *buf, size_t len, struct idle_utmp_list *list);

/*
 * Reads the login records of the utmp file at path into list, which is emptied first (its
 * capacity is kept).  No lock is taken: a record torn by a concurrent writer is at worst one
 * wrong row for one poll, while glibc's read lock would make the poll wait on writers.
 * Returns 0, or a positive errno (EINVAL when path is not a regular file); list is then empty.
 * Reentrant: the caller owns list.
 */
int idle_utmp_read_logins(const char *path, struct idle_utmp_list *list);

/* What the logins were last read from; zero-initialise it. */
struct idle_utmp_stamp {
	bool valid;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	struct timespec ctime;
	int rc; /* what that read returned: 0, or the garbage it found */
};

/*
 * idle_utmp_read_logins, unless the file has the stamp of the last read (device, inode, size,
 * mtime and ctime, with an mtime more than 2 s before now: coarse mtimes are not trusted
 * sooner): then one stat, no read, and list and the return value are those of that read, a
 * garbage file (EINVAL, EFBIG) included.  A file that does not exist (ENOENT) is an empty one:
 * list empty, 0.  Returns 0 or a positive errno; list is empty on error.  Reentrant: the
 * caller owns stamp and list.
 */
int idle_utmp_read_changed(const char *path, const struct timespec *now,
			   struct idle_utmp_stamp *stamp, struct idle_utmp_list *list);

/* Frees the records and zeroes the list; a zeroed list is fine. */
void idle_utmp_list_free(struct idle_utmp_list *list);

#endif
