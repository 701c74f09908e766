/* SPDX-License-Identifier: MIT */
/* Opening a path inside another root (a container's), so its symlinks cannot lead outside it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "idle_inroot.h"

/* A rename or mount racing the lookup makes openat2 fail with EAGAIN; a container doing it on
 * purpose must not hold the caller in a loop. */
#define INROOT_TRIES 8

/* glibc 2.36 has no openat2 wrapper: the system call is made directly. */
int
idle_inroot_open(int root_fd, const char *path, int flags, int *fd)
{
	struct open_how how;
	int tries = 0;
	long rc;

	memset(&how, 0, sizeof(how));
	/* O_PATH takes no O_NOCTTY: openat2 refuses flags an O_PATH open would ignore. */
	how.flags = (unsigned long long)(flags | O_CLOEXEC | ((flags & O_PATH) ? 0 : O_NOCTTY));
	how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	do
		rc = syscall(SYS_openat2, root_fd, path, &how, sizeof(how));
	while (rc < 0 && (errno == EINTR || errno == EAGAIN) && ++tries < INROOT_TRIES);
	if (rc < 0)
		return errno;
	*fd = (int)rc;
	return 0;
}
