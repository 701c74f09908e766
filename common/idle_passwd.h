/* SPDX-License-Identifier: MIT */
/* User names from a container's own passwd file, read inside its root and kept until it changes. */
#ifndef IDLE_PASSWD_H
#define IDLE_PASSWD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A passwd file larger than this is not read: a container's has a few dozen lines. */
#define IDLE_PASSWD_MAX_BYTES (256 * 1024)

/*
 * Parses one passwd line (len bytes, no newline needed): `name:password:uid:...`.  Returns true
 * and sets *uid and name (at most size - 1 bytes plus NUL) for a well-formed line whose name fits
 * and holds no control byte; false for comments, NIS `+`/`-` lines and anything malformed.  Pure.
 */
bool idle_passwd_parse_line(const char *line, size_t len, uid_t *uid, char *name, size_t size);

struct idle_passwd;

/* Returns an empty table (every uid shown as its number), or NULL with errno ENOMEM. */
struct idle_passwd *idle_passwd_new(void);

/* Frees it; NULL is fine. */
void idle_passwd_free(struct idle_passwd *pw);

/*
 * Replaces the table with the lines of text (len bytes); the first line of a uid wins, as in
 * getpwuid.  Returns 0, or ENOMEM (the table is then empty).
 */
int idle_passwd_load(struct idle_passwd *pw, const char *text, size_t len);

/*
 * Rereads `etc/passwd` inside root_fd (a container's root, opened with idle_inroot_open's rule:
 * its symlinks stay in that root) when its device, inode, size or mtime changed since the last
 * read.  Only a regular file of at most IDLE_PASSWD_MAX_BYTES is read.  A missing file is an
 * empty table.  Returns 0, or a positive errno (the table is then empty): ENOSYS without openat2,
 * EINVAL for a file that is not regular, EFBIG for one too large, or the error of open or read.
 * Not thread-safe.
 */
int idle_passwd_refresh(struct idle_passwd *pw, int root_fd);

/*
 * Writes uid's name (or the uid in decimal when the table has none) into name, truncated to
 * size - 1 bytes.  Never fails.
 */
void idle_passwd_name(const struct idle_passwd *pw, uid_t uid, char *name, size_t size);

/* The number of users in the table. */
size_t idle_passwd_count(const struct idle_passwd *pw);

#endif
