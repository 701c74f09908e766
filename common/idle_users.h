/* SPDX-License-Identifier: MIT */
/* The passwd cache: login names of uids and uids of login names, looked up once a minute. */
#ifndef IDLE_USERS_H
#define IDLE_USERS_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "idle_defaults.h"

/* Seconds an answer is trusted: a user added, renamed or removed shows up within this. */
#define IDLE_USERS_TTL_SECONDS IDLE_NAMES_TTL_SECONDS
/* Seconds after its last use that an entry is dropped: memory follows the users present. */
#define IDLE_USERS_DROP_SECONDS 300

/* How the cache asks the passwd database (getpwuid_r and getpwnam_r unless injected). */
struct idle_users_lookup {
	/* Writes uid's login name into name (size bytes).  0, ESRCH for no name, or an errno. */
	int (*by_uid)(void *arg, uid_t uid, char *name, size_t size);
	/* Sets *uid to the login name's.  0, ESRCH for an unknown name, or another errno. */
	int (*by_name)(void *arg, const char *name, uid_t *uid);
	void *arg;
};

/* Opaque: the entries, an index on them, and the lookup's buffer. */
struct idle_users;

/* Returns an empty cache asking the C library, or NULL with errno ENOMEM. */
struct idle_users *idle_users_new(void);

/* Returns an empty cache asking lookup (copied), or NULL with errno ENOMEM or EINVAL (NULL). */
struct idle_users *idle_users_new_lookup(const struct idle_users_lookup *lookup);

/* Frees it; NULL is fine. */
void idle_users_free(struct idle_users *users);

/*
 * Writes uid's login name (or the uid in decimal when it has none, or a longer one, or the
 * lookup failed) into name, truncated to size - 1 bytes.  uid is looked up when first seen
 * and again when its answer is IDLE_USERS_TTL_SECONDS old (or from the future).  Never fails:
 * without memory for an entry it looks up without caching.  Not thread-safe: one thread.
 */
void idle_users_name(struct idle_users *users, uid_t uid, const struct timespec *now, char *name,
		     size_t size);

/*
 * Sets *uid to the uid of the login name, cached like idle_users_name; an unknown name is
 * cached too.  Returns 0, ESRCH for an unknown name, or another errno (not cached, so the next
 * call asks again).  Not thread-safe: one thread.
 */
int idle_users_uid(struct idle_users *users, const char *name, const struct timespec *now,
		   uid_t *uid);

#endif
