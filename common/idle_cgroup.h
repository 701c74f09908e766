/* SPDX-License-Identifier: MIT */
/* Container ID and pod UID from a cgroup path, in every form container runtimes and kubelet use. */
#ifndef IDLE_CGROUP_H
#define IDLE_CGROUP_H

#include <stdbool.h>
#include <stddef.h>

/* A container ID is 64 lowercase hex digits; a pod UID a UUID (36) or a static pod's 32 hex. */
#define IDLE_CONTAINER_ID_LEN 64
#define IDLE_POD_UID_MAX 37

/* What a cgroup path says about the container its processes belong to. */
struct idle_cgroup_ids {
	char container_id[IDLE_CONTAINER_ID_LEN + 1];
	char pod_uid[IDLE_POD_UID_MAX]; /* "" outside Kubernetes or when the path hides it */
};

/*
 * Parses one path component as a container's cgroup: `<id>`, `<id>.scope`, `cri-containerd-`,
 * `crio-`, `docker-` or `libpod-` `<id>` with or without `.scope`.  Conmon's cgroups
 * (`libpod-conmon-`, `crio-conmon-`) are not containers.  Writes the id (65 bytes) on success.
 * Pure.
 */
bool idle_cgroup_parse_container(const char *name, size_t len, char *id);

/*
 * Parses one path component as a pod's cgroup: `pod<uid>` (cgroupfs driver) or
 * `kubepods[-<qos>]-pod<uid>.slice` (systemd driver, `_` in the uid read as `-`).  Writes the
 * uid (37 bytes) on success.  Pure.
 */
bool idle_cgroup_parse_pod(const char *name, size_t len, char *uid);

/*
 * Parses a cgroup path (len bytes, no NUL needed: the v2 path or a v1 line's path field,
 * absolute or relative to a cgroup namespace, `..` components skipped).  The first component
 * that names a container decides, so sub-cgroups a container makes for itself cannot pass it
 * off as another; the pod UID is taken only from components before it.  Returns true and fills
 * ids when the path is a container's (or inside one).  Pure.
 */
bool idle_cgroup_parse_path(const char *path, size_t len, struct idle_cgroup_ids *ids);

/*
 * Parses the text of /proc/PID/cgroup (len bytes): the v2 line (`0::PATH`) first, then each v1
 * line (`ID:CONTROLLERS:PATH`) in order; the first that names a container wins.  Returns true
 * and fills ids then.  Pure.
 */
bool idle_cgroup_parse_file(const char *buf, size_t len, struct idle_cgroup_ids *ids);

#endif
