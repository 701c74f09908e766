/* SPDX-License-Identifier: MIT */
/* The pts directory: newest modification and access times, and each terminal's. */
#define _GNU_SOURCE /* getdents64 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

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

/* Whether a directory entry is . or .., which are no pts entries. */
static bool
dot_or_dotdot(const char *name)
{
	return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

/* Scans the directory open as fd from where its offset is.  Returns 0 or an errno.  getdents64
 * into the stack, not readdir: no 32 KiB DIR buffer allocated and freed at every poll, and one
 * fstat fewer. */
static int
scan_fd(int fd, struct idle_pts_scan *scan, idle_pts_terminal_fn each, void *arg)
{
	char buf[4096] __attribute__((aligned(8)));
	const struct dirent64 *entry;
	ssize_t n, off;
	int err;

	while ((n = getdents64(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += entry->d_reclen) {
			entry = (const struct dirent64 *)(buf + off);
			if (dot_or_dotdot(entry->d_name))
				continue;
			if ((err = scan_entry(fd, entry->d_name, scan, each, arg)) != 0)
				return err;
		}
	}
	return n < 0 ? errno : 0;
}

int
idle_pts_read(const char *path, struct idle_pts_scan *scan, idle_pts_terminal_fn each, void *arg)
{
	/* Opened at every poll, so a directory replaced or mounted over is followed. */
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), err;

	memset(scan, 0, sizeof(*scan));
	if (fd < 0)
		return errno;
	err = scan_fd(fd, scan, each, arg);
	(void)close(fd);
	return err;
}

int
idle_pts_read_fd(int dir_fd, struct idle_pts_scan *scan, idle_pts_terminal_fn each, void *arg)
{
	/* A kept directory read from its start again: three system calls where a reopen through
	 * fdopendir takes six, which in container mode is the poll's cost for each container. */
	memset(scan, 0, sizeof(*scan));
	if (lseek(dir_fd, 0, SEEK_SET) < 0)
		return errno;
	return scan_fd(dir_fd, scan, each, arg);
}
