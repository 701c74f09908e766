/* SPDX-License-Identifier: MIT */
/* HTTP basic auth against bcrypt hashes: strict header parsing, a safe cache, a bcrypt budget. */
#ifndef IDLE_AUTH_H
#define IDLE_AUTH_H

#include <stddef.h>

#include "webconfig.h"

/* bcrypt reads at most 72 bytes of a password: longer ones are refused, never truncated. */
#define AUTH_PASSWORD_MAX 72
#define AUTH_USER_MAX 255

/* By default bcrypt may take a fifth of the HTTP thread, in bursts of half a second. */
#define AUTH_DEFAULT_SHARE 0.2
#define AUTH_DEFAULT_BURST_SECONDS 0.5

enum auth_result {
	AUTH_GRANTED,
	AUTH_DENIED, /* missing, malformed or wrong credentials: 401 */
	AUTH_BUSY,   /* a new credential while the bcrypt budget is spent: 429, try later */
};

struct auth;

/*
 * Splits an Authorization header value ("Basic " and strict base64 of "user:password") into
 * user and pass, NUL-terminated.  Refuses (EINVAL) a missing header, another scheme, base64
 * with bad characters, bad padding or stray bits, no ':', a NUL or other control character,
 * a user longer than AUTH_USER_MAX or a password longer than AUTH_PASSWORD_MAX bytes.
 * usersize and passsize must exceed those maxima.  Returns 0 or EINVAL.  Pure.
 */
int auth_parse_basic(const char *header, char *user, size_t usersize, char *pass,
		     size_t passsize);

/*
 * Copies n_users users (n_users > 0) and prepares the caches and the dummy hash for unknown
 * users (cost: the highest of the users').  Returns NULL after writing the reason into err.
 * Free with auth_free.
 */
struct auth *auth_new(const struct webconfig_user *users, size_t n_users, char *err,
		      size_t errsize);

/* Frees auth and wipes its secrets; NULL is fine. */
void auth_free(struct auth *auth);

/*
 * Sets how much bcrypt may cost: on average share of the time (0 to 1), and at most
 * burst_seconds at once.  For tests and tuning; auth_new sets the defaults above.
 */
void auth_set_budget(struct auth *auth, double share, double burst_seconds);

/*
 * Checks an Authorization header value (NULL when absent) at time now (monotonic seconds).
 * A credential seen recently is answered from the cache, with no bcrypt; a new one costs one
 * bcrypt (against the dummy hash for an unknown user) when the budget allows it, else
 * AUTH_BUSY.  Thread-safe; the bcrypt itself runs outside the lock.
 */
enum auth_result auth_check(struct auth *auth, const char *header, double now);

#endif
