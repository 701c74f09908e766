/* SPDX-License-Identifier: MIT */
/* Logged-in sessions and their idle time as procps w computes it, without running w. */
#ifndef IDLE_SESSIONS_H
#define IDLE_SESSIONS_H

#include <time.h>

#include "idle_snapshot.h"
#include "idle_users.h"

struct idle_sessions_paths {
	const char *utmp_file; /* e.g. /var/run/utmp */
	const char *dev_dir;   /* e.g. /dev: a tty is dev_dir + "/" + ut_line */
	const char *proc_dir;  /* e.g. /proc */
};

/* Opaque: the paths (copied) and whatever caches keep a poll cheap. */
struct idle_sessions;

/*
 * Returns a new sampler of sessions, or NULL with errno set (ENOMEM, EINVAL for a NULL path).
 * Users are looked up in users, the caller's passwd cache, which must outlive the sampler and
 * be used by one thread with it; NULL makes one of its own.
 */
struct idle_sessions *idle_sessions_new(const struct idle_sessions_paths *paths,
					struct idle_users *users);

/* Frees it; NULL is fine. */
void idle_sessions_free(struct idle_sessions *sessions);

/*
 * Samples the sessions at now.  Sets snap->has_sessions, session_count, has_w_idle,
 * w_idle_seconds and w_process.  A utmp file that does not exist is an empty one: valid, no
 * session, no error.  err[source] is set to 0 or a positive errno for each of
 * IDLE_SOURCE_UTMP, IDLE_SOURCE_DEV and IDLE_SOURCE_PROC; other entries are left alone.
 * A failure leaves has_sessions false: no stale or made-up value.
 * session_count counts the rows w would print; w_idle_seconds is now minus the newest tty
 * atime among them (a future atime clamps to 0), and has_w_idle is false when no row has an
 * idle time (none, or only X displays and ttys w cannot stat).  A process exiting while it
 * is read is a normal race, not an error.  See idle_sessions.c and idle_what.c for w's rules.
 * Returns 0 when the session values are valid, else the first error.
 * Reentrant: no global state; one struct idle_sessions per thread at a time.
 */
int idle_sessions_sample(struct idle_sessions *sessions, const struct timespec *now,
			 struct idle_session_values *snap, int err[IDLE_SOURCE_COUNT]);

#endif
