/* SPDX-License-Identifier: MIT */
/* User names from a container's own passwd file, read inside its root and kept until it changes. */
#define _GNU_SOURCE /* O_PATH */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "idle_inroot.h"
#include "idle_passwd.h"
#include "idle_snapshot.h"

/* 8 bytes an entry, the names in one pool: a container's table costs what its names do. */
struct passwd_entry {
	uid_t uid;
	uint32_t name; /* offset in names; names are pooled in line order, so the first line of a
			  uid sorts first */
};

struct idle_passwd {
	struct passwd_entry *entries;
	size_t count;
	char *names; /* NUL-terminated, one after another */
	bool have_file;
	struct stat st; /* of the file read, when have_file */
};

/* Parses a decimal uid of at most 10 digits, below (uid_t)-1 (which means "no user"). */
static bool
parse_uid(const char *p, size_t len, uid_t *uid)
{
	unsigned long long v = 0;
	size_t i;

	if (len == 0 || len > 10)
		return false;
	for (i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (unsigned long long)(p[i] - '0');
	}
	if (v >= UINT32_MAX)
		return false;
	*uid = (uid_t)v;
	return true;
}

bool
idle_passwd_parse_line(const char *line, size_t len, uid_t *uid, char *name, size_t size)
{
	const char *c1, *c2, *c3, *stop = line + len;
	size_t i, n;

	c1 = memchr(line, ':', len);
	if (c1 == NULL || c1 == line || line[0] == '+' || line[0] == '-' || line[0] == '#')
		return false;
	c2 = memchr(c1 + 1, ':', (size_t)(stop - c1 - 1));
	if (c2 == NULL)
		return false;
	c3 = memchr(c2 + 1, ':', (size_t)(stop - c2 - 1));
	if (c3 == NULL || !parse_uid(c2 + 1, (size_t)(c3 - c2 - 1), uid))
		return false;
	n = (size_t)(c1 - line);
	if (n >= size)
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			return false;
	memcpy(name, line, n);
	name[n] = '\0';
	return true;
}

struct idle_passwd *
idle_passwd_new(void)
{
	return calloc(1, sizeof(struct idle_passwd));
}

void
idle_passwd_free(struct idle_passwd *pw)
{
	if (pw == NULL)
		return;
	free(pw->entries);
	free(pw->names);
	free(pw);
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct passwd_entry *x = a, *y = b;

	if (x->uid != y->uid)
		return x->uid < y->uid ? -1 : 1;
	return x->name < y->name ? -1 : x->name > y->name;
}

static int
uid_cmp(const void *key, const void *entry)
{
	uid_t uid = *(const uid_t *)key, other = ((const struct passwd_entry *)entry)->uid;

	return uid < other ? -1 : uid > other;
}

/* Returns the entry of uid, or NULL. */
static const struct passwd_entry *
find(const struct idle_passwd *pw, uid_t uid)
{
	if (pw->count == 0)
		return NULL;
	return bsearch(&uid, pw->entries, pw->count, sizeof(*pw->entries), uid_cmp);
}

/* Sorts the entries by uid and keeps the first line of each. */
static void
sort_unique(struct idle_passwd *pw)
{
	size_t i, kept = 0;

	qsort(pw->entries, pw->count, sizeof(*pw->entries), entry_cmp);
	for (i = 0; i < pw->count; i++)
		if (kept == 0 || pw->entries[kept - 1].uid != pw->entries[i].uid)
			pw->entries[kept++] = pw->entries[i];
	pw->count = kept;
}

/* Counts the lines of text, an upper bound on its entries. */
static size_t
count_lines(const char *text, size_t len)
{
	size_t i, n = 1;

	for (i = 0; i < len; i++)
		n += text[i] == '\n';
	return n;
}

/* Gives back what blank or broken lines reserved: a file of newlines must not hold megabytes. */
static void
shrink(struct idle_passwd *pw, size_t names_len)
{
	struct passwd_entry *fit;
	char *fit_names;

	if (pw->count == 0) {
		free(pw->entries);
		free(pw->names);
		pw->entries = NULL;
		pw->names = NULL;
		return;
	}
	fit = realloc(pw->entries, pw->count * sizeof(*pw->entries));
	if (fit != NULL)
		pw->entries = fit;
	fit_names = realloc(pw->names, names_len);
	if (fit_names != NULL)
		pw->names = fit_names;
}

int
idle_passwd_load(struct idle_passwd *pw, const char *text, size_t len)
{
	const char *line = text, *nl, *stop = text + len;
	char name[IDLE_USER_MAX];
	size_t names_len = 0, n;
	struct passwd_entry e;

	if (len >= UINT32_MAX)
		return EFBIG;
	free(pw->entries);
	free(pw->names);
	pw->count = 0;
	pw->entries = malloc(count_lines(text, len) * sizeof(*pw->entries));
	pw->names = malloc(len + 1); /* the names are shorter than the text they come from */
	if (pw->entries == NULL || pw->names == NULL) {
		shrink(pw, 0);
		return ENOMEM;
	}
	for (; line < stop; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(stop - line));
		if (nl == NULL)
			nl = stop;
		if (!idle_passwd_parse_line(line, (size_t)(nl - line), &e.uid, name, sizeof(name)))
			continue;
		n = strlen(name) + 1;
		memcpy(pw->names + names_len, name, n);
		e.name = (uint32_t)names_len;
		names_len += n;
		pw->entries[pw->count++] = e;
	}
	if (pw->count > 1)
		sort_unique(pw);
	shrink(pw, names_len);
	return 0;
}

/* Reads the whole of fd (size bytes expected, at most IDLE_PASSWD_MAX_BYTES) and loads it. */
static int
load_fd(struct idle_passwd *pw, int fd, size_t size)
{
	char *buf = malloc(size + 1);
	size_t got = 0;
	ssize_t n = 0;
	int rc;

	if (buf == NULL)
		return ENOMEM;
	while (got <= size) {
		n = read(fd, buf + got, size + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (n < 0)
		rc = errno;
	else
		rc = got > size ? EAGAIN : idle_passwd_load(pw, buf, got);
	free(buf);
	return rc;
}

/* Whether st is the file already loaded. */
static bool
same_file(const struct idle_passwd *pw, const struct stat *st)
{
	return pw->have_file && st->st_dev == pw->st.st_dev && st->st_ino == pw->st.st_ino &&
	       st->st_size == pw->st.st_size && st->st_mtim.tv_sec == pw->st.st_mtim.tv_sec &&
	       st->st_mtim.tv_nsec == pw->st.st_mtim.tv_nsec;
}

/* Empties the table, returning rc. */
static int
forget(struct idle_passwd *pw, int rc)
{
	pw->count = 0;
	pw->have_file = false;
	return rc;
}

/*
 * Opens for reading the regular file that path_fd (O_PATH) names, and no other: a container
 * chooses what its etc/passwd is, and opening a device runs its driver's open (a watchdog, a
 * tape) as the exporter, outside the container's device rules.  So the type is checked on the
 * O_PATH descriptor first, and that same inode reopened through /proc/self/fd.  Returns 0 and
 * sets *fd and *st, or an errno (EINVAL: not a regular file).
 */
static int
open_regular(int path_fd, int *fd, struct stat *st)
{
	char self[40];
	struct stat again;

	if (fstat(path_fd, st) != 0)
		return errno;
	if (!S_ISREG(st->st_mode))
		return EINVAL;
	snprintf(self, sizeof(self), "/proc/self/fd/%d", path_fd);
	*fd = open(self, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (*fd < 0)
		return errno;
	if (fstat(*fd, &again) != 0 || again.st_dev != st->st_dev || again.st_ino != st->st_ino) {
		(void)close(*fd);
		return EINVAL;
	}
	return 0;
}

int
idle_passwd_refresh(struct idle_passwd *pw, int root_fd)
{
	struct stat st;
	int path_fd, fd = -1, rc;

	rc = idle_inroot_open(root_fd, "etc/passwd", O_PATH, &path_fd);
	if (rc != 0)
		return forget(pw, rc == ENOENT ? 0 : rc);
	rc = open_regular(path_fd, &fd, &st);
	(void)close(path_fd);
	if (rc != 0)
		return forget(pw, rc);
	if (st.st_size > IDLE_PASSWD_MAX_BYTES)
		rc = EFBIG;
	else if (!same_file(pw, &st)) {
		rc = load_fd(pw, fd, (size_t)st.st_size);
		pw->st = st;
		pw->have_file = rc == 0;
	}
	if (close(fd) != 0 && rc == 0)
		rc = errno;
	return rc == 0 ? 0 : forget(pw, rc);
}

void
idle_passwd_name(const struct idle_passwd *pw, uid_t uid, char *name, size_t size)
{
	const struct passwd_entry *e = find(pw, uid);

	if (size == 0)
		return;
	if (e != NULL) {
		snprintf(name, size, "%s", pw->names + e->name);
		return;
	}
	snprintf(name, size, "%lu", (unsigned long)uid);
}

size_t
idle_passwd_count(const struct idle_passwd *pw)
{
	return pw->count;
}
