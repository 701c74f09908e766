/* SPDX-License-Identifier: MIT */
/* The machine's containers that have their own devpts instance, found from the cgroup tree. */
#ifndef IDLE_CONTAINERS_H
#define IDLE_CONTAINERS_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "idle_cgroup.h"
#include "idle_podlog.h"

/* Where to look; every path is the caller's, copied by idle_containers_new. */
struct idle_containers_config {
	/* "/sys": the tree is <sysfs>/fs/cgroup/unified or <sysfs>/fs/cgroup when statfs says
	 * cgroup2, else the v1 hierarchy systemd, pids or memory: the first with a container */
	const char *sysfs_dir;
	const char *cgroup_dir; /* NULL, or a cgroup tree walked as it is, without statfs */
	const char *proc_dir;	/* "/proc" */
	const char *log_dir;	/* "/var/log/containers", or NULL for no names */
	bool skip_pts_dev;	/* skip the devpts instance pts_dev (the host's own /dev/pts) */
	dev_t pts_dev;
	double rediscover_seconds; /* between walks; 0 means IDLE_CONTAINERS_REDISCOVER_SECONDS */
};

/* A new container is found, and a gone one dropped, at most this long plus a poll later. */
#define IDLE_CONTAINERS_REDISCOVER_SECONDS 5.0

/* One container with its own devpts instance. */
struct idle_container {
	char id[IDLE_CONTAINER_ID_LEN + 1];
	char pod_uid[IDLE_POD_UID_MAX];		 /* "" when unknown */
	char namespace_name[IDLE_K8S_LABEL_MAX]; /* the three "" without a log-dir entry */
	char pod[IDLE_POD_NAME_MAX];
	char container[IDLE_K8S_LABEL_MAX];
	pid_t pid;     /* the process whose root was opened (it may have exited since) */
	dev_t pts_dev; /* st_dev of its devpts instance */
	int pts_fd;    /* its devpts directory, O_RDONLY | O_DIRECTORY; the set owns it */
	int root_fd;   /* its root directory, O_PATH; the set owns it */
	struct idle_passwd *passwd; /* its /etc/passwd, reread when changed */
	bool passwd_looked;		/* passwd_checked is set: */
	struct timespec passwd_checked; /* when a walk last looked; again IDLE_NAMES_TTL_SECONDS on */
};

/* What the last walk did, for the caller's logs and error counters. */
struct idle_containers_status {
	bool tree_found;    /* a cgroup tree was found and walked */
	bool proc_fallback; /* no tree, or one with no container seen from inside a container:
			       <proc>/PID/cgroup were read instead */
	size_t refused;	    /* attempts to keep a new container that failed */
	int last_refusal;   /* the errno of the last: EMEDIUMTYPE for a dev/pts that is not
			       devpts, EEXIST for a devpts instance already taken (the host's or
			       another container's), ELOOP for a magic link, ENOENT or ENOTDIR for
			       no dev/pts directory, ENOSYS without openat2, ESRCH for a process no
			       longer in the container's cgroup, or what open gave */
	int log_dir_error;  /* 0, or the errno of the last log-dir read */
};

struct idle_containers;

/* Returns an empty set (paths copied), or NULL with errno set (ENOMEM, EINVAL). */
struct idle_containers *idle_containers_new(const struct idle_containers_config *config);

/* Closes every directory the set holds and frees it; NULL is fine. */
void idle_containers_free(struct idle_containers *set);

/*
 * Walks for containers when rediscover_seconds have passed since the last walk (or the clock
 * went back; now is CLOCK_REALTIME), else returns at once: call it on every poll.  A walk adds
 * new containers, drops the gone ones (closing their directories), and refreshes names and
 * passwd tables.  Returns 0, or a positive errno when neither the cgroup tree nor the proc
 * directory could be read (the set is then unchanged) or memory ran out.  Entries (and the
 * pointers idle_containers_get returns) are valid until the next walk.  Not thread-safe.
 */
int idle_containers_refresh(struct idle_containers *set, const struct timespec *now);

/* Like idle_containers_refresh, but walks whatever the time. */
int idle_containers_walk(struct idle_containers *set, const struct timespec *now);

/* The number of containers kept. */
size_t idle_containers_count(const struct idle_containers *set);

/* Returns container i (< count), sorted by id. */
const struct idle_container *idle_containers_get(const struct idle_containers *set, size_t i);

/* What the last walk did. */
const struct idle_containers_status *idle_containers_status(const struct idle_containers *set);

/*
 * Opens container c's devpts directory afresh for one pass (the kept fd is reopened as ".",
 * so no path is resolved again); the caller closedir()s it.  Returns 0 and sets *dir, or a
 * positive errno.  Reentrant.
 */
int idle_container_open_pts(const struct idle_container *c, DIR **dir);

/*
 * Writes the name of uid in container c's own passwd file (or the uid in decimal) into name,
 * truncated to size - 1 bytes.  Never fails.
 */
void idle_container_user(const struct idle_container *c, uid_t uid, char *name, size_t size);

#endif
