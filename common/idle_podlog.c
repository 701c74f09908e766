/* SPDX-License-Identifier: MIT */
/* Kubernetes names of containers, from the symlink names kubelet keeps in /var/log/containers. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "idle_array.h"
#include "idle_podlog.h"

/* A node runs a few hundred containers; beyond this the names are not worth the memory. */
#define PODLOG_MAX_ENTRIES 16384
#define PODLOG_RACY_SECONDS 2

struct podlog_entry {
	char id[IDLE_CONTAINER_ID_LEN + 1];
	struct idle_podlog_names names;
};

struct idle_podlog {
	char *dir;
	struct podlog_entry *entries;
	size_t count, cap;
	bool read_once, racy;
	struct timespec mtime;
};

static bool
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* A DNS-1123 label: [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 bytes. */
static bool
is_label(const char *p, size_t len)
{
	size_t i;

	if (len == 0 || len >= IDLE_K8S_LABEL_MAX || !is_alnum(p[0]) || !is_alnum(p[len - 1]))
		return false;
	for (i = 1; i < len - 1; i++)
		if (!is_alnum(p[i]) && p[i] != '-')
			return false;
	return true;
}

/* A DNS-1123 subdomain: labels joined by dots, at most 253 bytes. */
static bool
is_subdomain(const char *p, size_t len)
{
	const char *dot;

	if (len == 0 || len >= IDLE_POD_NAME_MAX)
		return false;
	while ((dot = memchr(p, '.', len)) != NULL) {
		if (!is_label(p, (size_t)(dot - p)))
			return false;
		len -= (size_t)(dot - p) + 1;
		p = dot + 1;
	}
	return is_label(p, len);
}

static bool
copy_name(char *dst, const char *p, size_t len)
{
	memcpy(dst, p, len);
	dst[len] = '\0';
	return true;
}

bool
idle_podlog_parse(const char *name, char *id, struct idle_podlog_names *names)
{
	size_t len = strlen(name), tail = 1 + IDLE_CONTAINER_ID_LEN + 4;
	const char *u1, *u2, *rest;
	size_t i;

	if (len <= tail || memcmp(name + len - 4, ".log", 4) != 0 || name[len - tail] != '-')
		return false;
	for (i = len - tail + 1; i < len - 4; i++)
		if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
			return false;
	len -= tail;
	u1 = memchr(name, '_', len);
	if (u1 == NULL)
		return false;
	rest = u1 + 1;
	u2 = memchr(rest, '_', len - (size_t)(rest - name));
	if (u2 == NULL || memchr(u2 + 1, '_', len - (size_t)(u2 + 1 - name)) != NULL)
		return false;
	if (!is_subdomain(name, (size_t)(u1 - name)) || !is_label(rest, (size_t)(u2 - rest)) ||
	    !is_label(u2 + 1, len - (size_t)(u2 + 1 - name)))
		return false;
	copy_name(id, name + len + 1, IDLE_CONTAINER_ID_LEN);
	copy_name(names->pod, name, (size_t)(u1 - name));
	copy_name(names->namespace_name, rest, (size_t)(u2 - rest));
	return copy_name(names->container, u2 + 1, len - (size_t)(u2 + 1 - name));
}

struct idle_podlog *
idle_podlog_new(const char *dir)
{
	struct idle_podlog *log = calloc(1, sizeof(*log));

	if (log == NULL)
		return NULL;
	log->dir = strdup(dir);
	if (log->dir == NULL) {
		free(log);
		errno = ENOMEM;
		return NULL;
	}
	return log;
}

void
idle_podlog_free(struct idle_podlog *log)
{
	if (log == NULL)
		return;
	free(log->entries);
	free(log->dir);
	free(log);
}

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct podlog_entry *)a)->id, ((const struct podlog_entry *)b)->id);
}

/* Appends the entry a well-formed name gives; other names are ignored. */
static int
add_name(struct idle_podlog *log, const char *name)
{
	struct podlog_entry e;

	if (!idle_podlog_parse(name, e.id, &e.names) || log->count == PODLOG_MAX_ENTRIES)
		return 0;
	return idle_array_push(&log->entries, &log->count, &log->cap, &e, sizeof(e));
}

/* Reads every entry name of the directory, then sorts them by id for bsearch. */
static int
read_names(struct idle_podlog *log)
{
	struct dirent *de;
	DIR *d;
	int rc = 0;

	log->count = 0;
	d = opendir(log->dir);
	if (d == NULL)
		return errno == ENOENT ? 0 : errno;
	for (;;) {
		errno = 0;
		de = readdir(d);
		if (de == NULL) {
			rc = errno;
			break;
		}
		rc = add_name(log, de->d_name);
		if (rc != 0)
			break;
	}
	if (closedir(d) != 0 && rc == 0)
		rc = errno;
	if (rc != 0)
		log->count = 0;
	else if (log->count > 1)
		qsort(log->entries, log->count, sizeof(*log->entries), entry_cmp);
	return rc;
}

int
idle_podlog_refresh(struct idle_podlog *log, const struct timespec *now)
{
	struct stat st;
	int rc;

	if (stat(log->dir, &st) != 0) {
		rc = errno;
		log->count = 0;
		log->read_once = false;
		return rc == ENOENT ? 0 : rc;
	}
	if (log->read_once && !log->racy && st.st_mtim.tv_sec == log->mtime.tv_sec &&
	    st.st_mtim.tv_nsec == log->mtime.tv_nsec)
		return 0;
	rc = read_names(log);
	log->read_once = rc == 0;
	log->mtime = st.st_mtim;
	log->racy = now->tv_sec - st.st_mtim.tv_sec < PODLOG_RACY_SECONDS;
	return rc;
}

const struct idle_podlog_names *
idle_podlog_find(const struct idle_podlog *log, const char *id)
{
	struct podlog_entry key;
	const struct podlog_entry *e;

	if (log->count == 0 || strlen(id) != IDLE_CONTAINER_ID_LEN)
		return NULL;
	memcpy(key.id, id, IDLE_CONTAINER_ID_LEN + 1);
	e = bsearch(&key, log->entries, log->count, sizeof(*log->entries), entry_cmp);
	return e ? &e->names : NULL;
}

size_t
idle_podlog_count(const struct idle_podlog *log)
{
	return log->count;
}
