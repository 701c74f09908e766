/* SPDX-License-Identifier: MIT */
/* /proc/PID files: pure parsers of stat and status, and reads of one process' files. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "idle_proc.h"

/* Fields of stat after the comm: 3 (state) to 22 (starttime) are required, 48-49 wanted. */
#define FIELD_FIRST 3
#define FIELD_REQUIRED 22
#define FIELD_LAST 49
/* A stat line is under 1.5 KiB even with 64-bit values in every field. */
#define STAT_BUF 4096
/* status is a few KiB; the Uid line comes early but the buffer holds all of it. */
#define STATUS_BUF 8192

struct token {
	const char *p;
	size_t len;
};

/* Parses a decimal integer token within [min, max].  Returns 0 or EINVAL. */
static int
parse_ll(const struct token *t, long long min, long long max, long long *out)
{
	char tmp[32];
	char *end;
	long long v;

	if (t->len == 0 || t->len >= sizeof(tmp))
		return EINVAL;
	memcpy(tmp, t->p, t->len);
	tmp[t->len] = '\0';
	errno = 0;
	v = strtoll(tmp, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return EINVAL;
	*out = v;
	return 0;
}

/* Parses an unsigned decimal token (no sign).  Returns 0 or EINVAL. */
static int
parse_ull(const struct token *t, unsigned long long *out)
{
	char tmp[32];
	char *end;

	if (t->len == 0 || t->len >= sizeof(tmp) || t->p[0] < '0' || t->p[0] > '9')
		return EINVAL;
	memcpy(tmp, t->p, t->len);
	tmp[t->len] = '\0';
	errno = 0;
	*out = strtoull(tmp, &end, 10);
	return errno != 0 || *end != '\0' ? EINVAL : 0;
}

/* Splits [p, end) at spaces and newlines into fields numbered from FIELD_FIRST. */
static int
split_fields(const char *p, const char *end, struct token *fields)
{
	int n = FIELD_FIRST;

	while (p < end && n <= FIELD_LAST) {
		const char *start;

		while (p < end && (*p == ' ' || *p == '\n'))
			p++;
		if (p == end)
			break;
		start = p;
		while (p < end && *p != ' ' && *p != '\n')
			p++;
		fields[n].p = start;
		fields[n].len = (size_t)(p - start);
		n++;
	}
	return n - 1;
}

/* The pid before " (" and the comm up to the last ')'.  Returns the byte after it, or NULL. */
static const char *
parse_head(const char *buf, size_t len, struct idle_proc_stat *st)
{
	const char *open = memchr(buf, '(', len);
	const char *close = buf + len;
	struct token pid;
	long long v;
	size_t n;

	while (close > buf && close[-1] != ')')
		close--;
	if (open == NULL || close == buf || close - 1 <= open || open == buf || open[-1] != ' ')
		return NULL;
	pid.p = buf;
	pid.len = (size_t)(open - 1 - buf);
	if (parse_ll(&pid, 1, INT_MAX, &v) != 0)
		return NULL;
	st->pid = (pid_t)v;
	n = (size_t)(close - 1 - (open + 1));
	if (n > IDLE_COMM_MAX - 1)
		n = IDLE_COMM_MAX - 1;
	memcpy(st->comm, open + 1, n);
	st->comm[n] = '\0';
	return close;
}

/* Fields 4 to 8: ppid, pgrp, session, tty_nr, tpgid. */
static int
parse_ids(const struct token *f, struct idle_proc_stat *st)
{
	long long v[5];
	int i;

	for (i = 0; i < 5; i++)
		if (parse_ll(&f[4 + i], INT_MIN, INT_MAX, &v[i]) != 0)
			return EINVAL;
	st->ppid = (pid_t)v[0];
	st->pgrp = (pid_t)v[1];
	st->session = (pid_t)v[2];
	st->tty_nr = (int)v[3];
	st->tpgid = (pid_t)v[4];
	return 0;
}

int
idle_proc_parse_stat(const char *buf, size_t len, struct idle_proc_stat *st)
{
	struct token f[FIELD_LAST + 1];
	unsigned long long start, a0, a1;
	long long threads;
	const char *rest;
	int last;

	memset(st, 0, sizeof(*st));
	rest = parse_head(buf, len, st);
	if (rest == NULL)
		return EINVAL;
	last = split_fields(rest, buf + len, f);
	if (last < FIELD_REQUIRED || f[3].len != 1 || parse_ids(f, st) != 0 ||
	    parse_ull(&f[22], &start) != 0)
		return EINVAL;
	st->state = f[3].p[0];
	st->start_ticks = start;
	if (parse_ll(&f[20], 1, INT_MAX, &threads) == 0)
		st->threads = (long)threads;
	if (last >= 49 && parse_ull(&f[48], &a0) == 0 && parse_ull(&f[49], &a1) == 0 &&
	    a0 <= ULONG_MAX && a1 <= ULONG_MAX) {
		st->arg_start = (unsigned long)a0;
		st->arg_end = (unsigned long)a1;
	}
	return 0;
}

/* Parses "Uid:\tR\tE\t..." at p (within end): the real and effective uid. */
static int
parse_uid_line(const char *p, const char *end, uid_t *ruid, uid_t *euid)
{
	struct token t[2];
	unsigned long long v[2];
	int i;

	p += 4;
	for (i = 0; i < 2; i++) {
		while (p < end && (*p == '\t' || *p == ' '))
			p++;
		t[i].p = p;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		t[i].len = (size_t)(p - t[i].p);
		if (parse_ull(&t[i], &v[i]) != 0 || v[i] >= (uid_t)-1)
			return EINVAL;
	}
	*ruid = (uid_t)v[0];
	*euid = (uid_t)v[1];
	return 0;
}

int
idle_proc_parse_uids(const char *buf, size_t len, uid_t *ruid, uid_t *euid)
{
	const char *end = buf + len;
	const char *p = buf;

	/* The kernel escapes newlines in the Name: line, so "Uid:" only starts a real line. */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl != NULL ? nl : end;

		if (eol - p >= 4 && memcmp(p, "Uid:", 4) == 0)
			return parse_uid_line(p, eol, ruid, euid);
		p = eol + 1;
	}
	return EINVAL;
}

bool
idle_proc_tty_is(int tty_nr, dev_t rdev)
{
	unsigned int nr = (unsigned int)tty_nr;
	unsigned int maj = (nr >> 8) & 0xfff;
	unsigned int min = (nr & 0xff) | ((nr >> 12) & 0xfff00);

	return maj == major(rdev) && min == minor(rdev);
}

int
idle_proc_gone(int err)
{
	return err == ENOENT || err == ESRCH ? ESRCH : err;
}

/* Opens proc_fd/path for reading.  Returns 0 or errno (ESRCH for a gone process). */
static int
open_at(int proc_fd, const char *path, int *fd)
{
	*fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	return *fd < 0 ? idle_proc_gone(errno) : 0;
}

int
idle_proc_read_some(int fd, char *buf, size_t size, size_t *n)
{
	ssize_t got;

	do
		got = read(fd, buf, size);
	while (got < 0 && errno == EINTR);
	*n = got > 0 ? (size_t)got : 0;
	return got < 0 ? idle_proc_gone(errno) : 0;
}

/* Reads up to size bytes of an open file, then closes it.  Returns 0 or errno. */
static int
read_close(int fd, char *buf, size_t size, size_t *len)
{
	size_t n = 1;
	int rc = 0;

	*len = 0;
	while (rc == 0 && n > 0 && *len < size) {
		rc = idle_proc_read_some(fd, buf + *len, size - *len, &n);
		*len += n;
	}
	if (close(fd) != 0 && rc == 0)
		rc = errno;
	return rc;
}

/* Reads proc_fd/PID/name into buf.  Returns 0, ESRCH or errno. */
static int
read_pid_file(int proc_fd, pid_t pid, const char *name, char *buf, size_t size, size_t *len)
{
	char path[64];
	int fd;
	int rc;
	int n = snprintf(path, sizeof(path), "%d/%s", (int)pid, name);

	if (n < 0 || (size_t)n >= sizeof(path))
		return ENAMETOOLONG;
	rc = open_at(proc_fd, path, &fd);
	if (rc == 0)
		rc = read_close(fd, buf, size, len);
	return rc;
}

int
idle_proc_exists(int proc_fd, pid_t pid)
{
	char path[32];
	struct stat st;
	int n = snprintf(path, sizeof(path), "%d", (int)pid);

	if (pid <= 0)
		return ESRCH;
	if (n < 0 || (size_t)n >= sizeof(path))
		return ENAMETOOLONG;
	return fstatat(proc_fd, path, &st, 0) != 0 ? idle_proc_gone(errno) : 0;
}

int
idle_proc_read_stat(int proc_fd, pid_t pid, struct idle_proc_stat *st)
{
	char buf[STAT_BUF];
	size_t len;
	int rc = read_pid_file(proc_fd, pid, "stat", buf, sizeof(buf), &len);

	if (rc != 0)
		return rc;
	if (len == 0)
		return ESRCH;
	return idle_proc_parse_stat(buf, len, st);
}

int
idle_proc_read_uids(int proc_fd, pid_t pid, uid_t *ruid, uid_t *euid)
{
	char buf[STATUS_BUF];
	size_t len;
	int rc = read_pid_file(proc_fd, pid, "status", buf, sizeof(buf), &len);

	if (rc != 0)
		return rc;
	if (len == 0)
		return ESRCH;
	return idle_proc_parse_uids(buf, len, ruid, euid);
}

int
idle_proc_read_cmdline(int proc_fd, pid_t pid, char *buf, size_t size, size_t *len)
{
	return read_pid_file(proc_fd, pid, "cmdline", buf, size, len);
}
