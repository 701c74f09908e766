/* SPDX-License-Identifier: MIT */
/* Kubernetes names of containers, from the symlink names kubelet keeps in /var/log/containers. */
#ifndef IDLE_PODLOG_H
#define IDLE_PODLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "idle_cgroup.h"

/* A pod name is a DNS-1123 subdomain (253); a namespace and a container name a label (63). */
#define IDLE_POD_NAME_MAX 254
#define IDLE_K8S_LABEL_MAX 64

/* The names of one container. */
struct idle_podlog_names {
	char namespace_name[IDLE_K8S_LABEL_MAX];
	char pod[IDLE_POD_NAME_MAX];
	char container[IDLE_K8S_LABEL_MAX];
};

/*
 * Parses one entry name, `<pod>_<namespace>_<container>-<container_id>.log`, into the id
 * (65 bytes) and names.  None of the three names can hold `_`, so it splits at the two `_` after
 * taking the `-<64 hex>.log` suffix off, and checks each name's syntax.  Returns false, with id
 * and names unspecified, for any other name.  Pure.
 */
bool idle_podlog_parse(const char *name, char *id, struct idle_podlog_names *names);

struct idle_podlog;

/*
 * Returns an empty map of the directory dir (copied), read by idle_podlog_refresh, or NULL
 * with errno ENOMEM.  Not thread-safe: one caller at a time.
 */
struct idle_podlog *idle_podlog_new(const char *dir);

/* Frees it; NULL is fine. */
void idle_podlog_free(struct idle_podlog *log);

/*
 * Rereads the directory's entry names (readdir only: the symlinks are never followed) when its
 * mtime has changed since the last read, or when that read came within two seconds of that
 * mtime (a name added in the same clock tick would not move it).  now is the wall clock.  A
 * directory that does not exist is an empty map.  Returns 0, or a positive errno (the map is
 * then emptied): the directory cannot be read, or ENOMEM.
 */
int idle_podlog_refresh(struct idle_podlog *log, const struct timespec *now);

/* Returns the names of container id, or NULL when the directory has none; valid until the next
 * refresh or free. */
const struct idle_podlog_names *idle_podlog_find(const struct idle_podlog *log, const char *id);

/* The number of containers in the map. */
size_t idle_podlog_count(const struct idle_podlog *log);

#endif
