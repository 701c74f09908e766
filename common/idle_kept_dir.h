/* SPDX-License-Identifier: MIT */
/* A directory kept open between polls, reopened when its path comes to name another one. */
#ifndef IDLE_KEPT_DIR_H
#define IDLE_KEPT_DIR_H

#include <sys/types.h>
#include <time.h>

/*
 * An open directory and the device, inode and change time it was opened with.  A stat of the
 * path costs a third of an open and its close (no file to allocate and tear down), and tells
 * whether the path still names the directory held: a mount over it, an unmount or a directory
 * put in its place changes the device or the inode (an inode number cannot come back while it
 * is held), and a chmod, chown or ACL change moves its change time, so that access taken away
 * is noticed as a reopen would notice it.
 */
struct idle_kept_dir {
	int fd; /* -1 when none is held */
	dev_t dev;
	ino_t ino;
	struct timespec ctime;
};

void idle_kept_dir_init(struct idle_kept_dir *dir);

/*
 * The descriptor of the directory path names now (O_RDONLY | O_DIRECTORY, close-on-exec):
 * the one held when path still names it, unchanged, else a new one, the old closed.  Owned by dir; its
 * offset is wherever the last reader left it.  Returns -1 with errno set (and nothing held)
 * when path cannot be stat'ed or opened or is no directory.  Not thread-safe for one dir.
 */
int idle_kept_dir_get(struct idle_kept_dir *dir, const char *path);

/* Closes what dir holds; it may be used again. */
void idle_kept_dir_close(struct idle_kept_dir *dir);

#endif
