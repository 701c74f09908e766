/* SPDX-License-Identifier: MIT */
/* A directory kept open between polls, reopened when its path comes to name another one. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "idle_kept_dir.h"

void
idle_kept_dir_init(struct idle_kept_dir *dir)
{
	dir->fd = -1;
	dir->dev = 0;
	dir->ino = 0;
	dir->ctime = (struct timespec){0, 0};
}

void
idle_kept_dir_close(struct idle_kept_dir *dir)
{
	/* Read-only: a failed close loses nothing. */
	if (dir->fd >= 0)
		(void)close(dir->fd);
	idle_kept_dir_init(dir);
}

/* Opens path and keeps it as the directory that descriptor is (path may change meanwhile). */
static int
reopen(struct idle_kept_dir *dir, const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), saved;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0) {
		saved = errno;
		(void)close(fd);
		errno = saved;
		return -1;
	}
	dir->fd = fd;
	dir->dev = st.st_dev;
	dir->ino = st.st_ino;
	dir->ctime = st.st_ctim;
	return fd;
}

/* Lets go of what dir holds and fails with err. */
static int
give_up(struct idle_kept_dir *dir, int err)
{
	idle_kept_dir_close(dir);
	errno = err;
	return -1;
}

int
idle_kept_dir_get(struct idle_kept_dir *dir, const char *path)
{
	struct stat st;

	/* Followed as open follows it: a symlink to the directory names the directory. */
	if (stat(path, &st) != 0)
		return give_up(dir, errno);
	if (!S_ISDIR(st.st_mode))
		return give_up(dir, ENOTDIR);
	if (dir->fd >= 0 && st.st_dev == dir->dev && st.st_ino == dir->ino &&
	    st.st_ctim.tv_sec == dir->ctime.tv_sec && st.st_ctim.tv_nsec == dir->ctime.tv_nsec)
		return dir->fd;
	idle_kept_dir_close(dir);
	return reopen(dir, path);
}
