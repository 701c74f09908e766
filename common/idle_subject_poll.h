/* SPDX-License-Identifier: MIT */
/* One pts directory into one subject of a snapshot: its terminals, ages and average. */
#ifndef IDLE_SUBJECT_POLL_H
#define IDLE_SUBJECT_POLL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "idle_snapshot.h"
#include "idle_window.h"

/* Writes the name of a terminal's owner (or the uid in decimal) into name; never fails. */
typedef void (*idle_owner_fn)(void *arg, uid_t uid, const struct timespec *now, char *name,
			      size_t size);

/* What one pass reads into, and how it names owners. */
struct idle_subject_poll {
	struct idle_snapshot *snap;
	struct idle_subject *subject; /* in snap, the last subject given terminals */
	struct idle_window *window;   /* the subject's average */
	bool terminals;               /* list each terminal, not only the totals */
	idle_owner_fn owner;
	void *owner_arg;
	const struct timespec *now;   /* CLOCK_REALTIME */
};

/*
 * Scans the pts directory open as dir_fd (read from its start, not closed) into p->subject:
 * the totals, the terminals sorted by tty, the age pushed into p->window.  Returns 0, or the
 * errno that left the subject's values out (ENOMEM: terminals did not fit).  Reentrant on
 * distinct descriptors, subjects and windows.
 */
int idle_subject_poll_fd(const struct idle_subject_poll *p, int dir_fd);

#endif
