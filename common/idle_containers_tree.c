/* SPDX-License-Identifier: MIT */
/* Finding the machine's container cgroups by walking the cgroup tree. */
/*
 * Cost: a walk visits the cgroup tree's directories, whose number grows with containers and
 * services, never with processes, and reads one pid from each new container's cgroup.procs.
 * A container already kept costs one fstatat.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "idle_containers_file.h"
#include "idle_containers_tree.h"

/* Deeper than any runtime's layout (kubepods.slice/QoS/pod/container is 4). */
#define WALK_MAX_DEPTH 16
/* A container that moved its processes into sub-cgroups of its own: how deep to look. */
#define PID_MAX_DEPTH 4

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

	if (idle_containers_read_file(cgfd, "cgroup.procs", buf, sizeof(buf), &len) == 0)
		pid = idle_containers_parse_pid(buf);
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

/*
 * True when root made the cgroup directory st describes.  Runtimes run as root; systemd
 * delegates subtrees such as user@UID.service to their users, who could otherwise name a cgroup
 * of their own like a container (docker-<id>.scope) and have it taken for one, or shadow a real
 * one.
 */
static bool
made_by_root(const struct stat *st)
{
	return S_ISDIR(st->st_mode) && st->st_uid == 0;
}

/*
 * The container cgroup name under the open directory dirfd: claimed, and kept when new.  A
 * container already kept costs one fstatat, so a walk's cost stays that of listing the pods.
 */
static void
visit_container(struct idle_containers_search *s, int dirfd, const char *name,
		const struct idle_cgroup_ids *ids)
{
	struct stat st, opened;
	pid_t pid;
	int fd;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !made_by_root(&st))
		return; /* gone since readdir, or not root's */
	s->containers++;
	if (!s->claim(s->arg, ids->container_id))
		return;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	/* The directory stat'ed, not one put in its place since. */
	if (fstat(fd, &opened) == 0 && made_by_root(&opened) && opened.st_ino == st.st_ino &&
	    opened.st_dev == st.st_dev) {
		pid = first_pid(fd, 0);
		if (pid > 0) /* a container with no process yet is tried again on the next walk */
			s->rc = s->add(s->arg, ids, pid);
	}
	(void)close(fd);
}

/* Walks the cgroup directory fd (consumed) under the pod pod_uid ("" for none). */
static void
walk_dir(struct idle_containers_search *s, int fd, const char *pod_uid, int depth)
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
	while (s->rc == 0 && (de = readdir(d)) != NULL) {
		if ((de->d_type != DT_DIR && de->d_type != DT_UNKNOWN) ||
		    strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (idle_cgroup_parse_container(de->d_name, strlen(de->d_name), ids.container_id)) {
			memcpy(ids.pod_uid, pod_uid, sizeof(ids.pod_uid));
			visit_container(s, dirfd(d), de->d_name, &ids);
			continue;
		}
		if (depth >= WALK_MAX_DEPTH)
			continue;
		child =
		    openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (child < 0)
			continue; /* gone since readdir, or not a directory */
		if (!idle_cgroup_parse_pod(de->d_name, strlen(de->d_name), uid))
			memcpy(uid, pod_uid, sizeof(uid));
		walk_dir(s, child, uid, depth + 1);
	}
	(void)closedir(d);
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
open_tree(const char *sysfs_dir, const char *cgroup_dir, size_t i)
{
	if (cgroup_dir != NULL)
		return i == 0 ? open(cgroup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	return open_tree_if(sysfs_dir, trees[i].sub, trees[i].magic);
}

void
idle_containers_tree_search(struct idle_containers_search *search, const char *sysfs_dir,
			    const char *cgroup_dir, bool *found)
{
	char none[IDLE_POD_UID_MAX] = "";
	size_t i;
	int fd;

	for (i = 0; i < TREES && search->rc == 0 && search->containers == 0; i++) {
		fd = open_tree(sysfs_dir, cgroup_dir, i);
		if (fd < 0)
			continue;
		*found = true;
		walk_dir(search, fd, none, 0);
	}
}
