/* SPDX-License-Identifier: MIT */
/* User names of terminal owners, cached so a poll does not reread the passwd database. */
#ifndef IDLE_USERS_H
#define IDLE_USERS_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

struct idle_users;

/* Returns an empty cache, or NULL with errno ENOMEM. */
struct idle_users *idle_users_new(void);

/* Frees it; NULL is fine. */
void idle_users_free(struct idle_users *users);

/*
 * Writes uid's login name (or the uid in decimal when it has none) into name, truncated to
 * size - 1 bytes.  A name is looked up again after a minute, so renames show up.  Never fails.
 */
void idle_users_name(struct idle_users *users, uid_t uid, const struct timespec *now, char *name,
		     size_t size);

#endif
