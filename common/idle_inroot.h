/* SPDX-License-Identifier: MIT */
/* Opening a path inside another root (a container's), so its symlinks cannot lead outside it. */
#ifndef IDLE_INROOT_H
#define IDLE_INROOT_H

/*
 * Opens path (relative, e.g. "dev/pts") under root_fd as if root_fd were `/`: absolute symlinks
 * and `..` stay within it (RESOLVE_IN_ROOT) and /proc's magic links (`/proc/1/root`, fd links)
 * are refused (RESOLVE_NO_MAGICLINKS).  Mount points are crossed: /dev and /dev/pts are mounts
 * in every container.  flags are open(2)'s (O_CLOEXEC and O_NOCTTY are added).  Returns 0 and
 * sets *fd, or a positive errno: ENOSYS when the kernel has no openat2 (before Linux 5.6), ELOOP
 * for a magic link or a loop, EAGAIN when a rename or mount kept racing the lookup.  Reentrant.
 */
int idle_inroot_open(int root_fd, const char *path, int flags, int *fd);

#endif
