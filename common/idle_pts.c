/* SPDX-License-Identifier: MIT */
/* The pts directory: newest modification and access times, and each terminal's. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "idle_dirents.h"
#include "idle_pts.h"
#include "idle_time.h"

/* Keeps the later of *newest and t; the first time seen always wins. */
static void
keep_newest(struct timespec *newest, const struct timespec *t, bool first)
{
	if (first || idle_time_after(t, newest))
		*newest = *t;
}

/* Adds one character device's times; ptmx counts only for the newest mtime. */
static void
scan_add(struct idle_pts_scan *scan, bool ptmx, const struct stat *st)
{
	keep_newest(&scan->newest_mtime, &st->st_mtim, scan->entries == 0);
	scan->entries++;
	if (ptmx)
		return;
	keep_newest(&scan->newest_input, &st->st_atim, scan->terminals == 0);
	keep_newest(&scan->newest_output, &st->st_mtim, scan->terminals == 0);
	scan->terminals++;
}

/* Stats one entry relative to the open directory and adds it when it is a device. */
static int
scan_entry(int dir_fd, const char *name, struct idle_pts_scan *scan, idle_pts_terminal_fn each,
	   void *arg)
{
	struct stat st;
	bool ptmx;

	/* No AT_SYMLINK_NOFOLLOW: like the Python exporter's os.stat, a link counts by its target. */
	if (fstatat(dir_fd, name, &st, 0) != 0) {
		/* Gone since readdir, dangling, a loop: one entry, not the whole directory. */
		scan->skipped++;
		return 0;
	}
	if (!S_ISCHR(st.st_mode))
		return 0;
	ptmx = strcmp(name, "ptmx") == 0;
	scan_add(scan, ptmx, &st);
	if (each != NULL && !ptmx)
		return each(arg, name, &st);
	return 0;
}

/* One scan's state, for idle_dirents_each. */
struct scan_ctx {
	struct idle_pts_scan *scan;
	idle_pts_terminal_fn each;
	void *arg;
};

static int
scan_one(void *arg, int dir_fd, const char *name)
{
	struct scan_ctx *ctx = arg;

	return scan_entry(dir_fd, name, ctx->scan, ctx->each, ctx->arg);
}

/* Scans the directory open as fd from where its offset is.  Returns 0 or an errno. */
static int
scan_fd(int fd, struct idle_pts_scan *scan, idle_pts_terminal_fn each, void *arg)
{
	struct scan_ctx ctx = {scan, each, arg};

	return idle_dirents_each(fd, scan_one, &ctx);
}

int
idle_pts_read_fd(int dir_fd, struct idle_pts_scan *scan, idle_pts_terminal_fn each, void *arg)
{
	/* A kept directory read from its start again: an open and a close cost more than the
	 * scan's fstatats together when the poll runs once a second on a cold cache. */
	memset(scan, 0, sizeof(*scan));
	if (lseek(dir_fd, 0, SEEK_SET) < 0)
		return errno;
	return scan_fd(dir_fd, scan, each, arg);
}
