/* SPDX-License-Identifier: MIT */
/* Test fixtures: private directories under $TMPDIR holding files with chosen times. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fixture.h"

/* Fixture failures abort the test binary: Check reports the crash with the test's name. */
static void
fixture_die(const char *what, const char *path)
{
	perror(what);
	fprintf(stderr, "fixture: %s\n", path);
	abort();
}

char *
fixture_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	char *path;

	if (asprintf(&path, "%s/idle-check.XXXXXX", tmp && tmp[0] ? tmp : "/tmp") < 0)
		fixture_die("asprintf", "");
	if (mkdtemp(path) == NULL)
		fixture_die("mkdtemp", path);
	return path;
}

/* mkdir -p of the directories leading to path. */
static void
make_parents(char *path)
{
	char *slash;

	for (slash = strchr(path + 1, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0755) != 0 && access(path, F_OK) != 0)
			fixture_die("mkdir", path);
		*slash = '/';
	}
}

void
fixture_file(const char *dir, const char *name, time_t atime, long atime_ns, time_t mtime,
	     long mtime_ns)
{
	struct timespec times[2] = {{atime, atime_ns}, {mtime, mtime_ns}};
	char *path;
	int fd;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		fixture_die("asprintf", name);
	make_parents(path);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		fixture_die("open", path);
	if (close(fd) != 0)
		fixture_die("close", path);
	if (utimensat(AT_FDCWD, path, times, 0) != 0)
		fixture_die("utimensat", path);
	free(path);
}

void
fixture_device(const char *dir, const char *name, time_t atime, long atime_ns, time_t mtime,
	       long mtime_ns)
{
	struct timespec times[2] = {{atime, atime_ns}, {mtime, mtime_ns}};
	char *path;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		fixture_die("asprintf", name);
	make_parents(path);
	/* /dev/null's numbers: never opened here, and harmless if anything did. */
	if (mknod(path, S_IFCHR | 0620, makedev(1, 3)) != 0)
		fixture_die("mknod", path);
	if (utimensat(AT_FDCWD, path, times, 0) != 0)
		fixture_die("utimensat", path);
	free(path);
}

bool
fixture_can_mknod(void)
{
	char *dir = fixture_dir();
	char *path;
	bool ok;

	if (asprintf(&path, "%s/dev", dir) < 0)
		fixture_die("asprintf", dir);
	ok = mknod(path, S_IFCHR | 0600, makedev(1, 3)) == 0;
	free(path);
	fixture_remove(dir);
	return ok;
}

void
fixture_unlink(const char *dir, const char *name)
{
	char *path;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		fixture_die("asprintf", name);
	if (unlink(path) != 0)
		fixture_die("unlink", path);
	free(path);
}

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void
fixture_remove(char *dir)
{
	if (nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fixture_die("nftw", dir);
	free(dir);
}

int
fixture_watch_opens(int fd, const char *dir)
{
	if (fd < 0)
		fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0)
		fixture_die("inotify_init1", dir);
	if (inotify_add_watch(fd, dir, IN_OPEN) < 0)
		fixture_die("inotify_add_watch", dir);
	return fd;
}

size_t
fixture_count_opens(int fd, const char *name)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	size_t count = 0;
	ssize_t n;

	/* The kernel queues an event before open(2) returns: what was opened is already here. */
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		const char *p = buf;

		while (p < buf + n) {
			const struct inotify_event *ev = (const struct inotify_event *)p;

			if (ev->len > 0 && strcmp(ev->name, name) == 0)
				count++;
			p += sizeof(*ev) + ev->len;
		}
	}
	if (n < 0 && errno != EAGAIN)
		fixture_die("read inotify", name);
	return count;
}

int
fixture_open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = -3; /* ., .. and the listing's own */

	if (d == NULL) {
		perror("fixture: /proc/self/fd");
		abort();
	}
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}
