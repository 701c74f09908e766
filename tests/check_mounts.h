/* SPDX-License-Identifier: MIT */
/* Test mounts: a private mount namespace holding devpts, tmpfs and proc instances under $TMPDIR. */
#ifndef IDLE_CHECK_MOUNTS_H
#define IDLE_CHECK_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Tries, in a child process, what the mount tests need (a private mount namespace, a devpts
 * instance); returns true, or false with the reason in why.
 */
bool mounts_probe(char *why, size_t size);

/* Moves the calling process into a private mount namespace, or aborts. */
void mounts_private(void);

/* Mounts a new instance of fstype ("devpts", "tmpfs", "proc") on dir/name (made if missing). */
void mounts_fs(const char *dir, const char *name, const char *fstype);

/* Detaches the mount on dir/name. */
void mounts_undo(const char *dir, const char *name);

/* Makes the symlink dir/name -> target (parents made). */
void mounts_symlink(const char *dir, const char *name, const char *target);

/* Makes the directory dir/name (parents made). */
void mounts_mkdir(const char *dir, const char *name);

#endif
