/* SPDX-License-Identifier: MIT */
/* Finding the machine's container cgroups by walking the cgroup tree. */
#ifndef IDLE_CONTAINERS_TREE_H
#define IDLE_CONTAINERS_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "idle_cgroup.h"

/* One search for containers: where it reports them, and what it met. */
struct idle_containers_search {
	/* Marks container id seen; true when it is neither kept nor refused: worth opening. */
	bool (*claim)(void *arg, const char *id);
	/* Keeps container ids through process pid; 0, or an errno (ENOMEM) that stops it all. */
	int (*add)(void *arg, const struct idle_cgroup_ids *ids, pid_t pid);
	void *arg;
	size_t containers; /* container cgroups (or processes) met */
	int rc;		   /* the error add returned; the search stops at it */
};

/*
 * Walks the first cgroup tree that holds a container cgroup: cgroup_dir alone when it is not
 * NULL, else under sysfs_dir the v2 tree (a hybrid host's unified mount first), then the v1
 * hierarchies systemd, pids and memory, each when statfs says so.  Each container cgroup met
 * is claimed, and a new one added through one of its processes (none yet: tried next walk).
 * Sets *found when a tree was opened.  Stops at search->rc != 0.  Reentrant.
 */
void idle_containers_tree_search(struct idle_containers_search *search, const char *sysfs_dir,
				 const char *cgroup_dir, bool *found);

#endif
