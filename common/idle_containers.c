/* SPDX-License-Identifier: MIT */
/* The machine's containers that have their own devpts instance, found from the cgroup tree. */
/*
 * This file keeps the set: each walk searches the cgroup tree (idle_containers_tree), or else
 * every process's cgroup file (idle_containers_proc), and keeps each new container it is told
 * of, with its root and devpts directories open; the gone ones are dropped.
 *
 * Safety: a container's /dev/pts is opened inside the container's root (idle_inroot_open), is
 * kept only when statfs says devpts, and only when its device is not the host's nor another
 * container's.  The process whose root is opened is held by its /proc/PID directory and
 * checked to be in the container's cgroup, so a pid reused between two reads is not taken.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "idle_array.h"
#include "idle_containers.h"
#include "idle_containers_file.h"
#include "idle_containers_proc.h"
#include "idle_containers_tree.h"
#include "idle_defaults.h"
#include "idle_inroot.h"
#include "idle_passwd.h"

struct idle_containers {
	char *sysfs_dir, *cgroup_dir, *proc_dir;
	struct idle_containers_config config; /* the paths above, owned */
	struct idle_podlog *log;
	struct idle_container *items;
	size_t count, cap;
	size_t sorted; /* items[0..sorted) are in id order: all of them between walks */
	unsigned char *seen; /* per item, this walk */
	size_t seen_cap;
	char (*refused)[IDLE_CONTAINER_ID_LEN + 1]; /* ids refused this walk */
	size_t nrefused, refused_cap;
	int proc_fd;
	bool walked;
	struct timespec last_walk;
	struct idle_containers_status status;
};

static char *
dup_or_null(const char *s, bool *failed)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	if (d == NULL)
		*failed = true;
	return d;
}

struct idle_containers *
idle_containers_new(const struct idle_containers_config *config)
{
	struct idle_containers *set;
	bool failed = false;

	if (config->proc_dir == NULL || (config->sysfs_dir == NULL && config->cgroup_dir == NULL)) {
		errno = EINVAL;
		return NULL;
	}
	set = calloc(1, sizeof(*set));
	if (set == NULL)
		return NULL;
	set->config = *config;
	set->proc_fd = -1;
	set->config.sysfs_dir = set->sysfs_dir = dup_or_null(config->sysfs_dir, &failed);
	set->config.cgroup_dir = set->cgroup_dir = dup_or_null(config->cgroup_dir, &failed);
	set->config.proc_dir = set->proc_dir = dup_or_null(config->proc_dir, &failed);
	if (config->log_dir != NULL && !failed) {
		set->log = idle_podlog_new(config->log_dir);
		failed = set->log == NULL;
	}
	if (set->config.rediscover_seconds <= 0)
		set->config.rediscover_seconds = IDLE_CONTAINERS_REDISCOVER_SECONDS;
	if (failed) {
		idle_containers_free(set);
		errno = ENOMEM;
		return NULL;
	}
	return set;
}

/* Closes a container's directories and frees its passwd table. */
static void
release(struct idle_container *c)
{
	if (c->pts_fd >= 0)
		(void)close(c->pts_fd);
	if (c->root_fd >= 0)
		(void)close(c->root_fd);
	idle_passwd_free(c->passwd);
}

void
idle_containers_free(struct idle_containers *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->count; i++)
		release(&set->items[i]);
	if (set->proc_fd >= 0)
		(void)close(set->proc_fd);
	idle_podlog_free(set->log);
	free(set->items);
	free(set->seen);
	free(set->refused);
	free(set->sysfs_dir);
	free(set->cgroup_dir);
	free(set->proc_dir);
	free(set);
}

/* Returns the index of the container id, or set->count: a binary search of the walk's sorted
 * items, then a look at those this walk added. */
static size_t
find(const struct idle_containers *set, const char *id)
{
	size_t lo = 0, hi = set->sorted, mid, i;
	int cmp;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		cmp = strcmp(set->items[mid].id, id);
		if (cmp == 0)
			return mid;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = set->sorted; i < set->count; i++)
		if (strcmp(set->items[i].id, id) == 0)
			return i;
	return set->count;
}

static bool
was_refused(const struct idle_containers *set, const char *id)
{
	size_t i;

	for (i = 0; i < set->nrefused; i++)
		if (strcmp(set->refused[i], id) == 0)
			return true;
	return false;
}

/* Notes a refused root, so the container's other cgroups and processes are not tried again. */
static int
refuse(struct idle_containers *set, const char *id)
{
	return idle_array_push(&set->refused, &set->nrefused, &set->refused_cap, id,
			       sizeof(*set->refused));
}

/* Whether pdfd (a /proc/PID directory) is a process of container id. */
static int
check_cgroup(int pdfd, const char *id)
{
	struct idle_cgroup_ids ids;
	char buf[IDLE_CGROUP_FILE_BUF];
	size_t len;
	int rc;

	rc = idle_containers_read_file(pdfd, "cgroup", buf, sizeof(buf), &len);
	if (rc != 0)
		return rc;
	if (!idle_cgroup_parse_file(buf, len, &ids) || strcmp(ids.container_id, id) != 0)
		return ESRCH;
	return 0;
}

/* Whether a kept container has devpts instance dev: the first to show it keeps it. */
static bool
dev_taken(const struct idle_containers *set, dev_t dev)
{
	size_t i;

	for (i = 0; i < set->count; i++)
		if (set->items[i].pts_dev == dev)
			return true;
	return false;
}

/* Opens c's dev/pts inside c's root and checks it is a devpts instance free to take. */
static int
open_pts(const struct idle_containers *set, struct idle_container *c)
{
	struct statfs sfs;
	struct stat st;
	int rc;

	rc = idle_inroot_open(c->root_fd, "dev/pts", O_RDONLY | O_DIRECTORY, &c->pts_fd);
	if (rc != 0)
		return rc;
	if (fstatfs(c->pts_fd, &sfs) != 0 || fstat(c->pts_fd, &st) != 0)
		return errno;
	if (sfs.f_type != DEVPTS_SUPER_MAGIC)
		return EMEDIUMTYPE;
	if ((set->config.skip_pts_dev && st.st_dev == set->config.pts_dev) ||
	    dev_taken(set, st.st_dev))
		return EEXIST;
	c->pts_dev = st.st_dev;
	return 0;
}

/*
 * Opens the root and devpts of container c through process pid.  Returns 0 or an errno; sets
 * *of_root when the failure is the container's root's (its devpts refused), not the process's
 * (gone, or its pid reused), after which another process of the container is no better.
 */
static int
open_container(const struct idle_containers *set, pid_t pid, struct idle_container *c,
	       bool *of_root)
{
	char name[24];
	int pdfd, rc;

	*of_root = false;
	c->pid = pid;
	if (snprintf(name, sizeof(name), "%ld", (long)pid) >= (int)sizeof(name))
		return EINVAL;
	pdfd = openat(set->proc_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pdfd < 0)
		return errno;
	rc = check_cgroup(pdfd, c->id);
	if (rc == 0) {
		c->root_fd = openat(pdfd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (c->root_fd < 0)
			rc = errno;
	}
	(void)close(pdfd);
	if (rc != 0)
		return rc;
	*of_root = true;
	return open_pts(set, c);
}

/* Makes room for one more container. */
static int
grow(struct idle_containers *set)
{
	if (idle_array_reserve(&set->items, &set->cap, set->count + 1, sizeof(*set->items)) != 0 ||
	    idle_array_reserve(&set->seen, &set->seen_cap, set->count + 1, sizeof(*set->seen)) != 0)
		return ENOMEM;
	return 0;
}

/* Keeps container ids through process pid, or counts its refusal.  Returns 0 or ENOMEM. */
static int
add(void *arg, const struct idle_cgroup_ids *ids, pid_t pid)
{
	struct idle_containers *set = arg;
	struct idle_container *c;
	bool of_root;
	int rc;

	if (grow(set) != 0)
		return ENOMEM;
	c = &set->items[set->count];
	memset(c, 0, sizeof(*c));
	c->pts_fd = c->root_fd = -1;
	memcpy(c->id, ids->container_id, sizeof(c->id));
	memcpy(c->pod_uid, ids->pod_uid, sizeof(c->pod_uid));
	rc = open_container(set, pid, c, &of_root);
	if (rc == 0) {
		c->passwd = idle_passwd_new();
		if (c->passwd == NULL)
			rc = ENOMEM;
	}
	if (rc != 0) {
		release(c);
		if (rc == ENOMEM)
			return rc;
		set->status.refused++;
		set->status.last_refusal = rc;
		return of_root ? refuse(set, ids->container_id) : 0;
	}
	set->seen[set->count++] = 1;
	return 0;
}

/* Marks container id seen; true when it is neither kept nor refused yet, so worth opening. */
static bool
claim(void *arg, const char *id)
{
	struct idle_containers *set = arg;
	size_t i = find(set, id);

	if (i < set->count) {
		set->seen[i] = 1;
		return false;
	}
	return !was_refused(set, id);
}

/* Drops the containers the walk did not see, closing their directories. */
static void
sweep(struct idle_containers *set)
{
	size_t i, kept = 0;

	for (i = 0; i < set->count; i++) {
		if (set->seen[i])
			set->items[kept++] = set->items[i];
		else
			release(&set->items[i]);
	}
	set->count = kept;
	set->sorted = 0;
}

static int
container_cmp(const void *a, const void *b)
{
	return strcmp(((const struct idle_container *)a)->id,
		      ((const struct idle_container *)b)->id);
}

/* Whether c's passwd file is due a look: never looked at, or IDLE_NAMES_TTL_SECONDS ago (or in
 * the future: a clock set back).  Looking costs two path walks inside its root. */
static bool
passwd_due(const struct idle_container *c, const struct timespec *now)
{
	double since;

	if (!c->passwd_looked)
		return true;
	since = (double)(now->tv_sec - c->passwd_checked.tv_sec) +
		(double)(now->tv_nsec - c->passwd_checked.tv_nsec) / 1e9;
	return since < 0 || since >= IDLE_NAMES_TTL_SECONDS;
}

/* Copies each container's names from the log directory, and rereads changed passwd files. */
static void
refresh_details(struct idle_containers *set, const struct timespec *now)
{
	const struct idle_podlog_names *names;
	struct idle_container *c;
	size_t i;

	if (set->log != NULL)
		set->status.log_dir_error = idle_podlog_refresh(set->log, now);
	for (i = 0; i < set->count; i++) {
		c = &set->items[i];
		names = set->log ? idle_podlog_find(set->log, c->id) : NULL;
		snprintf(c->namespace_name, sizeof(c->namespace_name), "%s",
			 names ? names->namespace_name : "");
		snprintf(c->pod, sizeof(c->pod), "%s", names ? names->pod : "");
		snprintf(c->container, sizeof(c->container), "%s", names ? names->container : "");
		if (passwd_due(c, now)) {
			(void)idle_passwd_refresh(c->passwd, c->root_fd);
			c->passwd_checked = *now;
			c->passwd_looked = true;
		}
	}
}

/* Finds this walk's containers: from the first cgroup tree that holds any, or else, in a
 * container, from the proc directory. */
static int
discover(struct idle_containers *set)
{
	struct idle_containers_search search = {claim, add, set, 0, 0};
	int rc = 0;

	idle_containers_tree_search(&search, set->sysfs_dir, set->cgroup_dir,
				    &set->status.tree_found);
	if (search.rc == 0 && search.containers == 0 &&
	    (!set->status.tree_found || idle_containers_in_container(set->proc_fd))) {
		set->status.proc_fallback = true;
		rc = idle_containers_proc_search(&search, set->proc_fd);
		if (rc != 0 && set->status.tree_found)
			rc = 0; /* a walked tree with no container is an answer */
	}
	return search.rc != 0 ? search.rc : rc;
}

int
idle_containers_walk(struct idle_containers *set, const struct timespec *now)
{
	int rc;

	if (set->proc_fd < 0) {
		set->proc_fd = open(set->proc_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (set->proc_fd < 0)
			return errno;
	}
	memset(&set->status, 0, sizeof(set->status));
	if (set->count > 0)
		memset(set->seen, 0, set->count);
	set->nrefused = 0;
	set->walked = true;
	set->last_walk = *now;
	rc = discover(set);
	if (rc != 0 && set->count > 0) /* a failed walk drops nothing */
		memset(set->seen, 1, set->count);
	sweep(set);
	if (set->count > 1)
		qsort(set->items, set->count, sizeof(*set->items), container_cmp);
	set->sorted = set->count;
	refresh_details(set, now);
	return rc;
}

int
idle_containers_refresh(struct idle_containers *set, const struct timespec *now)
{
	double since;

	if (set->walked) {
		since = (double)(now->tv_sec - set->last_walk.tv_sec) +
			(double)(now->tv_nsec - set->last_walk.tv_nsec) / 1e9;
		if (since >= 0 && since < set->config.rediscover_seconds)
			return 0;
	}
	return idle_containers_walk(set, now);
}

size_t
idle_containers_count(const struct idle_containers *set)
{
	return set->count;
}

const struct idle_container *
idle_containers_get(const struct idle_containers *set, size_t i)
{
	return i < set->count ? &set->items[i] : NULL;
}

const struct idle_containers_status *
idle_containers_status(const struct idle_containers *set)
{
	return &set->status;
}

void
idle_container_user(const struct idle_container *c, uid_t uid, char *name, size_t size)
{
	idle_passwd_name(c->passwd, uid, name, size);
}

int
idle_container_open_pts(const struct idle_container *c, DIR **dir)
{
	int fd = openat(c->pts_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0)
		return errno;
	*dir = fdopendir(fd);
	if (*dir != NULL)
		return 0;
	rc = errno;
	(void)close(fd);
	return rc;
}