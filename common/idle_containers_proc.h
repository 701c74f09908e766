/* SPDX-License-Identifier: MIT */
/* Finding containers from every process's cgroup file, where the cgroup tree shows none. */
#ifndef IDLE_CONTAINERS_PROC_H
#define IDLE_CONTAINERS_PROC_H

#include <stdbool.h>

#include "idle_containers_tree.h"

/*
 * Reads proc_fd/PID/cgroup for every process of the proc directory proc_fd; each one in a
 * container is met, claimed, and added through that process when new.  Stops at
 * search->rc != 0.  Returns 0, or the errno of opening the proc directory.  Reentrant.
 */
int idle_containers_proc_search(struct idle_containers_search *search, int proc_fd);

/*
 * Whether we run in a container (proc_fd is our /proc): our cgroup is a container's, or the
 * root of a cgroup namespace other than the initial one and pid 1's.  False when unreadable.
 * Reentrant.
 */
bool idle_containers_in_container(int proc_fd);

#endif
