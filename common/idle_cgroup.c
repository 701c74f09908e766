/* SPDX-License-Identifier: MIT */
/* Container ID and pod UID from a cgroup path, in every form container runtimes and kubelet use. */
#include <stdbool.h>
#include <string.h>

#include "idle_cgroup.h"

#define UUID_LEN 36
#define STATIC_UID_LEN 32 /* kubelet names a static pod by the hex MD5 of its manifest */

struct span {
	const char *p;
	size_t len;
};

/* Takes prefix off s when s starts with it. */
static bool
strip_prefix(struct span *s, const char *prefix)
{
	size_t n = strlen(prefix);

	if (s->len < n || memcmp(s->p, prefix, n) != 0)
		return false;
	s->p += n;
	s->len -= n;
	return true;
}

/* Takes suffix off s when s ends with it. */
static bool
strip_suffix(struct span *s, const char *suffix)
{
	size_t n = strlen(suffix);

	if (s->len < n || memcmp(s->p + s->len - n, suffix, n) != 0)
		return false;
	s->len -= n;
	return true;
}

/* Runtimes print IDs in lowercase: an uppercase digit is some other name. */
static bool
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static bool
all_hex(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!is_hex(p[i]))
			return false;
	return true;
}

bool
idle_cgroup_parse_container(const char *name, size_t len, char *id)
{
	static const char *const prefixes[] = {"cri-containerd-", "crio-", "docker-", "libpod-"};
	struct span s = {name, len};
	size_t i;

	(void)strip_suffix(&s, ".scope");
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strip_prefix(&s, prefixes[i]))
			break;
	if (s.len != IDLE_CONTAINER_ID_LEN || !all_hex(s.p, s.len))
		return false;
	memcpy(id, s.p, s.len);
	id[s.len] = '\0';
	return true;
}

/* Checks a pod UID (dashes already in place) and copies it: a UUID or 32 hex digits. */
static bool
copy_uid(const char *p, size_t len, char *uid)
{
	size_t i;

	if (len == STATIC_UID_LEN && all_hex(p, len)) {
		memcpy(uid, p, len);
		uid[len] = '\0';
		return true;
	}
	if (len != UUID_LEN)
		return false;
	for (i = 0; i < len; i++) {
		bool dash_here = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash_here ? p[i] != '-' : !is_hex(p[i]))
			return false;
	}
	memcpy(uid, p, len);
	uid[len] = '\0';
	return true;
}

/* systemd escapes `-` in a unit name, so kubelet writes the uid's dashes as `_`. */
static bool
parse_slice_uid(struct span s, char *uid)
{
	char tmp[UUID_LEN];
	size_t i;

	if (s.len > sizeof(tmp))
		return false;
	for (i = 0; i < s.len; i++) {
		if (s.p[i] == '-')
			return false;
		tmp[i] = s.p[i] == '_' ? '-' : s.p[i];
	}
	return copy_uid(tmp, s.len, uid);
}

bool
idle_cgroup_parse_pod(const char *name, size_t len, char *uid)
{
	static const char *const slices[] = {"kubepods-burstable-pod", "kubepods-besteffort-pod",
					     "kubepods-pod"};
	struct span s = {name, len};
	size_t i;

	if (strip_suffix(&s, ".slice")) {
		for (i = 0; i < sizeof(slices) / sizeof(slices[0]); i++)
			if (strip_prefix(&s, slices[i]))
				return parse_slice_uid(s, uid);
		return false;
	}
	if (!strip_prefix(&s, "pod"))
		return false;
	return copy_uid(s.p, s.len, uid);
}

bool
idle_cgroup_parse_path(const char *path, size_t len, struct idle_cgroup_ids *ids)
{
	char uid[IDLE_POD_UID_MAX] = "";
	size_t start = 0, end;

	while (start < len) {
		for (end = start; end < len && path[end] != '/'; end++)
			;
		if (idle_cgroup_parse_container(path + start, end - start, ids->container_id)) {
			memcpy(ids->pod_uid, uid, sizeof(uid));
			return true;
		}
		(void)idle_cgroup_parse_pod(path + start, end - start, uid);
		start = end + 1;
	}
	return false;
}

/* Finds the path of a cgroup line (after its second colon), and whether it is the v2 line. */
static bool
line_path(const char *line, size_t len, struct span *path, bool *v2)
{
	const char *c1 = memchr(line, ':', len), *c2;

	if (c1 == NULL)
		return false;
	c2 = memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - line));
	if (c2 == NULL)
		return false;
	*v2 = c1 - line == 1 && line[0] == '0' && c2 == c1 + 1;
	path->p = c2 + 1;
	path->len = len - (size_t)(c2 + 1 - line);
	return true;
}

/* Tries each line of the wanted kind (v2 or v1) in order. */
static bool
parse_lines(const char *buf, size_t len, bool want_v2, struct idle_cgroup_ids *ids)
{
	const char *line = buf, *nl, *stop = buf + len;
	struct span path;
	bool v2;

	for (; line < stop; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(stop - line));
		if (nl == NULL)
			nl = stop;
		if (line_path(line, (size_t)(nl - line), &path, &v2) && v2 == want_v2 &&
		    idle_cgroup_parse_path(path.p, path.len, ids))
			return true;
	}
	return false;
}

bool
idle_cgroup_parse_file(const char *buf, size_t len, struct idle_cgroup_ids *ids)
{
	return parse_lines(buf, len, true, ids) || parse_lines(buf, len, false, ids);
}
