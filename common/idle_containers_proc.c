/* SPDX-License-Identifier: MIT */
/* Finding containers from every process's cgroup file, where the cgroup tree shows none. */
/*
 * The caller runs this only when the tree holds no container cgroup and we run in a container
 * ourselves (our own cgroup is a container's, or the root of a cgroup namespace).  That is the
 * sidecar's view (a pod with shareProcessNamespace: its cgroup namespace, or its own mount of
 * the cgroup file system, shows only its own cgroup), and there /proc holds the pod's
 * processes alone, a handful.  A host with no container does not pay it; a DaemonSet that does
 * not mount the node's cgroup tree would, on every walk.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "idle_containers_file.h"
#include "idle_containers_proc.h"

/* Whether name is all digits, as a /proc/PID entry is. */
static bool
is_pid_name(const char *name, pid_t *pid)
{
	*pid = idle_containers_parse_pid(name);
	return *pid > 0 && name[0] != '0';
}

int
idle_containers_proc_search(struct idle_containers_search *search, int proc_fd)
{
	struct idle_cgroup_ids ids;
	char buf[IDLE_CGROUP_FILE_BUF], path[40];
	struct dirent *de;
	size_t len;
	pid_t pid;
	DIR *d;
	int fd = openat(proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return errno;
	d = fdopendir(fd);
	if (d == NULL) {
		(void)close(fd);
		return errno;
	}
	while (search->rc == 0 && (de = readdir(d)) != NULL) {
		if (!is_pid_name(de->d_name, &pid) ||
		    snprintf(path, sizeof(path), "%ld/cgroup", (long)pid) >= (int)sizeof(path) ||
		    idle_containers_read_file(proc_fd, path, buf, sizeof(buf), &len) != 0 ||
		    !idle_cgroup_parse_file(buf, len, &ids))
			continue;
		search->containers++;
		if (search->claim(search->arg, ids.container_id))
			search->rc = search->add(search->arg, &ids, pid);
	}
	(void)closedir(d);
	return 0;
}

/* The kernel's initial cgroup namespace has this fixed number (PROC_CGROUP_INIT_INO). */
#define CGROUP_NS_INIT "cgroup:[4026531835]"

/* Whether we are in the initial cgroup namespace, or pid 1's: then a root cgroup is the host's
 * own (a machine without systemd), not a container's namespace.  False when unreadable. */
static bool
same_cgroup_ns_as_init(int proc_fd)
{
	char self[64], init[64];
	ssize_t n, m;

	n = readlinkat(proc_fd, "self/ns/cgroup", self, sizeof(self));
	if (n <= 0 || n >= (ssize_t)sizeof(self))
		return false;
	if ((size_t)n == strlen(CGROUP_NS_INIT) && memcmp(self, CGROUP_NS_INIT, (size_t)n) == 0)
		return true;
	m = readlinkat(proc_fd, "1/ns/cgroup", init, sizeof(init));
	return n == m && memcmp(self, init, (size_t)n) == 0;
}

bool
idle_containers_in_container(int proc_fd)
{
	struct idle_cgroup_ids ids;
	char buf[IDLE_CGROUP_FILE_BUF];
	size_t len;

	if (idle_containers_read_file(proc_fd, "self/cgroup", buf, sizeof(buf), &len) != 0)
		return false;
	if (idle_cgroup_parse_file(buf, len, &ids))
		return true;
	if (strncmp(buf, "0::/\n", 5) != 0 && strstr(buf, "\n0::/\n") == NULL)
		return false;
	return !same_cgroup_ns_as_init(proc_fd);
}
