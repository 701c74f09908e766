/* SPDX-License-Identifier: MIT */
/* What procps w shows as WHAT for a session: its choice of process, and that process' word. */
#ifndef IDLE_WHAT_H
#define IDLE_WHAT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "idle_snapshot.h"

/* Processes walked in one session: a bound on the cost of a fork bomb, not a real limit. */
#define IDLE_WHAT_MAX_PROCS 4096

/* The session whose WHAT is asked for. */
struct idle_what_session {
	pid_t pid;  /* the login process */
	uid_t uid;  /* its user's */
	dev_t rdev; /* its tty */
};

/* Opaque: the walked processes and the first words of their cmdlines, one per exec. */
struct idle_what;

/* Returns an empty one, or NULL with errno ENOMEM. */
struct idle_what *idle_what_new(void);

/* Frees it; NULL is fine. */
void idle_what_free(struct idle_what *what);

/*
 * Writes the first word of w's WHAT for the session into label, from the login process and
 * its descendants under proc_fd (an open /proc).  A cmdline is read only for the process w
 * shows and for those w's choice has to look at (one whose WHAT is "-"), and once per exec
 * of it: words are kept, keyed on pid and start time, while a poll asks for them.
 * Returns 0, ESRCH when the login process is gone, or another positive errno (ENOTSUP for
 * a kernel without /proc/PID/task/TID/children).  One thread at a time.
 */
int idle_what_label(struct idle_what *what, int proc_fd, const struct idle_what_session *sess,
		    char label[IDLE_LABEL_MAX + 1]);

/*
 * The first word of what procps w 4.0.2 shows as WHAT for a process, from the len bytes of its
 * cmdline and its comm.  libproc2 drops trailing NULs, turns the other NULs and newlines into
 * spaces and drops one final space; an empty cmdline shows "[comm]", one that ends up empty
 * "?".  The word is what follows leading spaces up to the next space, as raw bytes (w's own
 * escaping is left to the renderer), truncated to size - 1 bytes and NUL-terminated; size >= 1.
 * Sets *is_dash when the whole WHAT is "-", which w treats as "nothing found yet".
 * Returns the word's length.  Pure.
 */
size_t idle_what_word(const char *cmdline, size_t len, const char *comm, char *word, size_t size,
		      bool *is_dash);

#endif
