/* SPDX-License-Identifier: MIT */
/* A directory's entries through getdents64 into the stack: no DIR and its 32 KiB buffer. */
#define _GNU_SOURCE /* getdents64 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <sys/types.h>

#include "idle_dirents.h"

/* Whether name is . or .., which list nothing. */
static bool
dot_or_dotdot(const char *name)
{
	return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

int
idle_dirents_each(int dir_fd, idle_dirents_fn fn, void *arg)
{
	/* 2 KiB: a devpts or a task directory of a few entries in one read, thousands in a few. */
	char buf[2048] __attribute__((aligned(8)));
	const struct dirent64 *entry;
	ssize_t n, off;
	int rc;

	while ((n = getdents64(dir_fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += entry->d_reclen) {
			entry = (const struct dirent64 *)(buf + off);
			if (!dot_or_dotdot(entry->d_name) &&
			    (rc = fn(arg, dir_fd, entry->d_name)) != 0)
				return rc;
		}
	}
	return n < 0 ? errno : 0;
}
