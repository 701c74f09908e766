/* SPDX-License-Identifier: MIT */
/* The machine's containers that have their own devpts instance, found from the cgroup tree. */
/*
 * Cost: a walk visits the cgroup tree's directories, whose number grows with containers and
 * services, never with processes, and reads one pid from each new container's cgroup.procs.
 * Containers already kept cost nothing but the visit; their devpts directories stay open.
 *
 * The fallback, reading <proc>/PID/cgroup for every process, runs only when the tree holds no
 * container cgroup and we run in a container ourselves (our own cgroup is a container's, or the
 * root of a cgroup namespace).  That is the sidecar's view (a pod with shareProcessNamespace:
 * its cgroup namespace, or its own mount of the cgroup file system, shows only its own cgroup),
 * and there /proc holds the pod's processes alone, a handful.  A host with no container does
 * not pay it; a DaemonSet that does not mount the node's cgroup tree would, on every walk.
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

#include "idle_containers.h"
#include "idle_inroot.h"
#include "idle_passwd.h"

/* Deeper than any runtime's layout (kubepods.slice/QoS/pod/container is 4). */
#define WALK_MAX_DEPTH 16
/* A container that moved its processes into sub-cgroups of its own: how deep to look. */
#define PID_MAX_DEPTH 4
#define CGROUP_FILE_BUF 4096

struct idle_containers {
	char *sysfs_dir, *cgroup_dir, *proc_dir;
	struct idle_containers_config config; /* the paths above, owned */
	struct idle_podlog *log;
	struct idle_container *items;
	size_t count, cap;
	unsigned char *seen;			    /* per item, this walk */
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

/* Returns the index of the container id, or set->count. */
static size_t
find(const struct idle_containers *set, const char *id)
{
	size_t i;

	for (i = 0; i < set->count; i++)
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
	char(*grown)[IDLE_CONTAINER_ID_LEN + 1];
	size_t cap;

	if (set->nrefused == set->refused_cap) {
		cap = set->refused_cap ? set->refused_cap * 2 : 16;
		grown = realloc(set->refused, cap * sizeof(*grown));
		if (grown == NULL)
			return ENOMEM;
		set->refused = grown;
		set->refused_cap = cap;
	}
	memcpy(set->refused[set->nrefused++], id, IDLE_CONTAINER_ID_LEN + 1);
	return 0;
}

/* Reads up to size - 1 bytes of dfd/name, NUL-terminated.  Returns 0 or an errno. */
static int
read_small(int dfd, const char *name, char *buf, size_t size, size_t *len)
{
	ssize_t n = 0;
	int fd, rc = 0;

	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	*len = 0;
	while (*len < size - 1) {
		n = read(fd, buf + *len, size - 1 - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		*len += (size_t)n;
	}
	if (n < 0)
		rc = errno;
	if (close(fd) != 0 && rc == 0)
		rc = errno;
	buf[*len] = '\0';
	return rc;
}

/* The first pid of a cgroup.procs text, or 0. */
static pid_t
parse_first_pid(const char *buf)
{
	long v = 0;
	size_t i;

	for (i = 0; buf[i] >= '0' && buf[i] <= '9' && i < 10; i++)
		v = v * 10 + (buf[i] - '0');
	if (i == 0 || (buf[i] != '\n' && buf[i] != '\0') || v > 0x3fffffff)
		return 0;
	return (pid_t)v;
}

/* One process of the cgroup at cgfd, or of a sub-cgroup when it has none itself; 0 if none. */
static pid_t
first_pid(int cgfd, int depth)
{
	char buf[32];
	struct dirent *de;
	pid_t pid = 0;
	size_t len;
	DIR *d;
	int fd;

	if (read_small(cgfd, "cgroup.procs", buf, sizeof(buf), &len) == 0)
		pid = parse_first_pid(buf);
	if (pid > 0 || depth >= PID_MAX_DEPTH)
		return pid;
	fd = openat(cgfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			(void)close(fd);
		return 0;
	}
	while (pid == 0 && (de = readdir(d)) != NULL) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		fd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		pid = first_pid(fd, depth + 1);
		(void)close(fd);
	}
	(void)closedir(d);
	return pid;
}

/* Whether pdfd (a /proc/PID directory) is a process of container id. */
static int
check_cgroup(int pdfd, const char *id)
{
	struct idle_cgroup_ids ids;
	char buf[CGROUP_FILE_BUF];
	size_t len;
	int rc;

	rc = read_small(pdfd, "cgroup", buf, sizeof(buf), &len);
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
	struct idle_container *items;
	unsigned char *seen;
	size_t cap;

	if (set->count < set->cap)
		return 0;
	cap = set->cap ? set->cap * 2 : 16;
	items = realloc(set->items, cap * sizeof(*items));
	if (items == NULL)
		return ENOMEM;
	set->items = items;
	seen = realloc(set->seen, cap);
	if (seen == NULL)
		return ENOMEM;
	set->seen = seen;
	set->cap = cap;
	return 0;
}

/* Keeps container ids through process pid, or counts its refusal.  Returns 0 or ENOMEM. */
static int
add(struct idle_containers *set, const struct idle_cgroup_ids *ids, pid_t pid)
{
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
claim(struct idle_containers *set, const char *id)
{
	size_t i = find(set, id);

	if (i < set->count) {
		set->seen[i] = 1;
		return false;
	}
	return !was_refused(set, id);
}

struct walk {
	struct idle_containers *set;
	size_t containers; /* container cgroups met */
	int rc;		   /* ENOMEM stops the walk */
};

/* A container's cgroup: keeps the container when new. */
static void
visit_container(struct walk *w, int cgfd, const struct idle_cgroup_ids *ids)
{
	pid_t pid;

	w->containers++;
	if (!claim(w->set, ids->container_id))
		return;
	pid = first_pid(cgfd, 0);
	if (pid > 0) /* a container with no process yet is tried again on the next walk */
		w->rc = add(w->set, ids, pid);
}

/* Walks the cgroup directory fd (consumed) under the pod pod_uid ("" for none). */
static void
walk_dir(struct walk *w, int fd, const char *pod_uid, int depth)
{
	struct idle_cgroup_ids ids;
	char uid[IDLE_POD_UID_MAX];
	struct dirent *de;
	DIR *d = fdopendir(fd);
	int child;

	if (d == NULL) {
		(void)close(fd);
		return;
	}
	while (w->rc == 0 && (de = readdir(d)) != NULL) {
		if ((de->d_type != DT_DIR && de->d_type != DT_UNKNOWN) ||
		    strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		child =
		    openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (child < 0)
			continue; /* gone since readdir, or not a directory */
		if (idle_cgroup_parse_container(de->d_name, strlen(de->d_name), ids.container_id)) {
			memcpy(ids.pod_uid, pod_uid, sizeof(ids.pod_uid));
			visit_container(w, child, &ids);
			(void)close(child);
		} else if (depth < WALK_MAX_DEPTH) {
			if (!idle_cgroup_parse_pod(de->d_name, strlen(de->d_name), uid))
				memcpy(uid, pod_uid, sizeof(uid));
			walk_dir(w, child, uid, depth + 1);
		} else {
			(void)close(child);
		}
	}
	(void)closedir(d);
}

/* Whether name is all digits, as a /proc/PID entry is. */
static bool
is_pid_name(const char *name, pid_t *pid)
{
	*pid = parse_first_pid(name);
	return *pid > 0 && name[0] != '0';
}

/* The fallback: every process's cgroup file, see the top of this file. */
static int
scan_proc(struct walk *w)
{
	struct idle_containers *set = w->set;
	struct idle_cgroup_ids ids;
	char buf[CGROUP_FILE_BUF], path[40];
	struct dirent *de;
	size_t len;
	pid_t pid;
	DIR *d;
	int fd = openat(set->proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return errno;
	d = fdopendir(fd);
	if (d == NULL) {
		(void)close(fd);
		return errno;
	}
	while (w->rc == 0 && (de = readdir(d)) != NULL) {
		if (!is_pid_name(de->d_name, &pid) ||
		    snprintf(path, sizeof(path), "%ld/cgroup", (long)pid) >= (int)sizeof(path) ||
		    read_small(set->proc_fd, path, buf, sizeof(buf), &len) != 0 ||
		    !idle_cgroup_parse_file(buf, len, &ids))
			continue;
		w->containers++;
		if (claim(set, ids.container_id))
			w->rc = add(set, &ids, pid);
	}
	(void)closedir(d);
	return 0;
}

/* Opens dir if statfs says it is a cgroup file system of type magic; -1 otherwise. */
static int
open_tree_if(const char *sysfs, const char *sub, long magic)
{
	char path[4096];
	struct statfs sfs;
	int fd;

	if (snprintf(path, sizeof(path), "%s/fs/cgroup%s", sysfs, sub) >= (int)sizeof(path))
		return -1;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstatfs(fd, &sfs) == 0 && (long)sfs.f_type == magic)
		return fd;
	(void)close(fd);
	return -1;
}

/* The cgroup trees to walk, in order: v2 first (the unified mount of a hybrid host, or the
 * whole tree), then the v1 hierarchies every runtime places containers in. */
static const struct {
	const char *sub;
	long magic;
} trees[] = {{"/unified", CGROUP2_SUPER_MAGIC},
	     {"", CGROUP2_SUPER_MAGIC},
	     {"/systemd", CGROUP_SUPER_MAGIC},
	     {"/pids", CGROUP_SUPER_MAGIC},
	     {"/memory", CGROUP_SUPER_MAGIC}};
#define TREES (sizeof(trees) / sizeof(trees[0]))

/* Opens tree i (the configured cgroup_dir alone when there is one); -1 when it is not there. */
static int
open_tree(const struct idle_containers *set, size_t i)
{
	if (set->cgroup_dir != NULL)
		return i == 0 ? open(set->cgroup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	return open_tree_if(set->sysfs_dir, trees[i].sub, trees[i].magic);
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
}

static int
container_cmp(const void *a, const void *b)
{
	return strcmp(((const struct idle_container *)a)->id,
		      ((const struct idle_container *)b)->id);
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
		(void)idle_passwd_refresh(c->passwd, c->root_fd);
	}
}

/* The kernel's initial cgroup namespace has this fixed number (PROC_CGROUP_INIT_INO). */
#define CGROUP_NS_INIT "cgroup:[4026531835]"

/* Whether we are in the initial cgroup namespace, or pid 1's: then a root cgroup is the host's
 * own (a machine without systemd), not a container's namespace.  False when unreadable. */
static bool
same_cgroup_ns_as_init(const struct idle_containers *set)
{
	char self[64], init[64];
	ssize_t n, m;

	n = readlinkat(set->proc_fd, "self/ns/cgroup", self, sizeof(self));
	if (n <= 0 || n >= (ssize_t)sizeof(self))
		return false;
	if ((size_t)n == strlen(CGROUP_NS_INIT) && memcmp(self, CGROUP_NS_INIT, (size_t)n) == 0)
		return true;
	m = readlinkat(set->proc_fd, "1/ns/cgroup", init, sizeof(init));
	return n == m && memcmp(self, init, (size_t)n) == 0;
}

/* Whether we run in a container: our cgroup is a container's, or the root of a cgroup
 * namespace of our own. */
static bool
in_container(const struct idle_containers *set)
{
	struct idle_cgroup_ids ids;
	char buf[CGROUP_FILE_BUF];
	size_t len;

	if (read_small(set->proc_fd, "self/cgroup", buf, sizeof(buf), &len) != 0)
		return false;
	if (idle_cgroup_parse_file(buf, len, &ids))
		return true;
	if (strncmp(buf, "0::/\n", 5) != 0 && strstr(buf, "\n0::/\n") == NULL)
		return false;
	return !same_cgroup_ns_as_init(set);
}

/* Finds this walk's containers: from the first cgroup tree that holds any, or else, in a
 * container, from the proc directory. */
static int
discover(struct idle_containers *set)
{
	char none[IDLE_POD_UID_MAX] = "";
	struct walk w = {set, 0, 0};
	size_t i;
	int fd, rc = 0;

	for (i = 0; i < TREES && w.rc == 0 && w.containers == 0; i++) {
		fd = open_tree(set, i);
		if (fd < 0)
			continue;
		set->status.tree_found = true;
		walk_dir(&w, fd, none, 0);
	}
	if (w.rc == 0 && w.containers == 0 && (!set->status.tree_found || in_container(set))) {
		set->status.proc_fallback = true;
		rc = scan_proc(&w);
		if (rc != 0 && set->status.tree_found)
			rc = 0; /* a walked tree with no container is an answer */
	}
	return w.rc != 0 ? w.rc : rc;
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
