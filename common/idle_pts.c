/* SPDX-License-Identifier: MIT */
/* The pts directory: newest modification and access times, and each terminal's. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "idle_pts.h"
#include "idle_time.h"

void
idle_pts_scan_init(struct idle_pts_scan *scan)
{
	memset(scan, 0, sizeof(*scan));
}

bool
idle_pts_is_ptmx(const char *name)
{
	return strcmp(name, "ptmx") == 0;
}

/* Keeps the later of *newest and t; the first time seen always wins. */
static void
keep_newest(struct timespec *newest, const struct timespec *t, bool first)
{
	if (first || idle_time_after(t, newest))
		*newest = *t;
}

void
idle_pts_scan_add(struct idle_pts_scan *scan, const char *name, const struct stat *st)
{
	keep_newest(&scan->newest_mtime, &st->st_mtim, scan->entries == 0);
	scan->entries++;
	if (idle_pts_is_ptmx(name))
		return;
	keep_newest(&scan->newest_input, &st->st_atim, scan->terminals == 0);
	keep_newest(&scan->newest_output, &st->st_mtim, scan->terminals == 0);
	scan->terminals++;
}

/* Stats one entry relative to the open directory and adds it. */
static int
scan_entry(DIR *dir, const char *name, struct idle_pts_scan *scan, idle_pts_terminal_fn each,
	   void *arg)
{
	struct stat st;

	/* No AT_SYMLINK_NOFOLLOW: like the seed's os.stat, a link counts by its target. */
	if (fstatat(dirfd(dir), name, &st, 0) != 0)
		return errno;
	idle_pts_scan_add(scan, name, &st);
	if (each != NULL && !idle_pts_is_ptmx(name))
		return each(arg, name, &st);
	return 0;
}

int
idle_pts_read(const char *path, struct idle_pts_scan *scan, idle_pts_terminal_fn each, void *arg)
{
	struct dirent *entry;
	DIR *dir;
	int err = 0;

	idle_pts_scan_init(scan);
	dir = opendir(path);
	if (dir == NULL)
		return errno;
	for (;;) {
		errno = 0;
		entry = readdir(dir);
		if (entry == NULL) {
			err = errno;
			break;
		}
		if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
			continue;
		err = scan_entry(dir, entry->d_name, scan, each, arg);
		if (err != 0)
			break;
	}
	if (closedir(dir) != 0 && err == 0)
		err = errno;
	return err;
}
