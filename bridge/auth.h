/* SPDX-License-Identifier: MIT */
/* HTTP basic auth against bcrypt hashes: strict header parsing, a safe cache, a bcrypt budget. */
#ifndef IDLE_AUTH_H
#define IDLE_AUTH_H

#include <stddef.h>

#include "webconfig.h"

/* bcrypt reads at most 72 bytes of a password: longer ones are refused, never truncated. */
#define AUTH_PASSWORD_MAX 72
#define AUTH_USER_MAX 255

/* By default bcrypt may take a fifth of a core, in bursts of half a second (or one check). */
#define AUTH_DEFAULT_SHARE 0.2
#define AUTH_DEFAULT_BURST_SECONDS 0.5

/*
 * The longest one bcrypt check may take, measured at start on this machine: half of
 * Prometheus' default scrape timeout (10 s), so a new scraper is answered inside its first
 * scrape.  Cost 14 takes 1 to 2 s on a 2020s x86 core, cost 16 about 6 s.
 */
#define AUTH_CHECK_MAX_SECONDS 5.0

/* New credentials waiting for the bcrypt thread; more get AUTH_BUSY. */
#define AUTH_QUEUE_MAX 16

enum auth_result {
	AUTH_GRANTED,
	AUTH_DENIED, /* missing, malformed or wrong credentials: 401 */
	AUTH_BUSY,   /* a new credential while the bcrypt budget is spent: 429, try later */
	AUTH_PENDING, /* a new credential being checked off the caller's thread: see auth_check */
};

/*
 * How auth_check parks a request whose credential needs bcrypt: suspend(arg) is called on the
 * caller's thread before the check is queued, resume(arg) once from the bcrypt thread when
 * its answer is cached (or from auth_stop).  Neither may call back into auth.
 */
struct auth_waiter {
	void (*suspend)(void *arg);
	void (*resume)(void *arg);
	void *arg;
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
 * Copies n_users users (n_users > 0), prepares the caches and the dummy hash for unknown users
 * (cost: the highest of the users') and starts the bcrypt thread.  Refuses a hash whose check
 * would take more than AUTH_CHECK_MAX_SECONDS here (timed at a low cost and scaled).  Returns
 * NULL after writing the reason into err.  Free with auth_free.
 */
struct auth *auth_new(const struct webconfig_user *users, size_t n_users, char *err,
		      size_t errsize);

/*
 * Stops queueing checks and resumes every parked request at once (asking again then gets
 * AUTH_BUSY unless cached); the check running finishes unseen.  Call before the server that
 * parked them stops.  Thread-safe; idempotent.
 */
void auth_stop(struct auth *auth);

/*
 * Stops as auth_stop, then frees auth and wipes its secrets, at once: a check still running
 * frees them when it ends.  NULL is fine.
 */
void auth_free(struct auth *auth);

/*
 * Sets how much bcrypt may cost: on average share of the time (0 to 1), in bursts of
 * burst_seconds, or of one check of the costliest hash when that is more.  The budget starts
 * at burst_seconds (auth_new: full).  For tests and tuning; auth_new sets the defaults above.
 */
void auth_set_budget(struct auth *auth, double share, double burst_seconds);

/*
 * Checks an Authorization header value (NULL when absent) at time now (monotonic seconds).
 * A credential seen recently is answered from the cache, with no bcrypt.  A new one costs one
 * bcrypt (against the dummy hash for an unknown user), charged to the budget before it runs:
 * AUTH_BUSY when the budget cannot pay its expected time or the queue is full.  With a waiter
 * the bcrypt runs on auth's own thread: the request is suspended and AUTH_PENDING returned;
 * ask again after resume, when the answer is cached.  With waiter NULL it runs in the caller.
 * Thread-safe; no lock is held during a bcrypt.
 */
enum auth_result auth_check(struct auth *auth, const char *header, double now,
			    const struct auth_waiter *waiter);

#endif
