/* SPDX-License-Identifier: MIT */
/* The sampling threads of both front ends: a timer that polls, and login sessions on demand. */
#ifndef IDLE_PUBLISHER_H
#define IDLE_PUBLISHER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "idle_snapshot.h"

/* What the publisher calls; every function but poll may be NULL. */
struct idle_publisher_ops {
	/* Polls into work (to be cleared by the callee) at now (CLOCK_REALTIME), on the timer. */
	void (*poll)(void *arg, const struct timespec *now, struct idle_snapshot *work);
	/*
	 * Samples login sessions into out at now, adding failed polls to the cumulative counters
	 * errors[] of the sources it reads.  Runs on its own thread, only when a reader wants
	 * sessions; it may block (a /proc read), which costs readers at most the wait bound.
	 * NULL: no sessions.
	 */
	void (*sessions)(void *arg, const struct timespec *now, struct idle_session_values *out,
			 uint64_t errors[IDLE_SOURCE_COUNT]);
	/* Frees arg once no thread of the publisher can use it any more. */
	void (*release)(void *arg);
	/* Starts a thread (collectd's plugin_thread_create in the plugin); NULL: pthread_create. */
	int (*thread_create)(pthread_t *thread, void *(*fn)(void *), void *fn_arg,
			     const char *name);
	/* Reads CLOCK_BOOTTIME, which ages go by (tests shift it); NULL: clock_gettime. */
	int (*boottime)(void *arg, struct timespec *out);
	void *arg;
};

struct idle_publisher;

/*
 * Makes a publisher polling every poll_seconds (> 0).  It takes arg: ops->release frees it,
 * even when this fails.  Returns NULL with errno set (ENOMEM, EINVAL, a pthread error).
 */
struct idle_publisher *idle_publisher_new(const struct idle_publisher_ops *ops,
					  double poll_seconds);

/* Starts the threads: the first poll runs at once.  Returns 0 or the thread error. */
int idle_publisher_start(struct idle_publisher *pub);

/*
 * Stops the threads, waiting at most a second for each: one stuck in a read is left behind
 * (detached) and frees what it holds if it ever returns.  Then frees the publisher; NULL is
 * fine.  Not to be called while another thread fetches.
 */
void idle_publisher_free(struct idle_publisher *pub);

/*
 * Copies the latest poll and the latest login sessions into dst (initialised by the caller)
 * when either changed since *generation, and updates *generation; returns true then.
 * Waits at most min(1.5 poll intervals, 1 s) for what is missing: the first poll, a poll fresher
 * than 1.5 intervals, or sessions older than one interval (asked for here, once per interval;
 * a sessions thread still busy from an earlier ask is not waited for).  What is still older
 * than 3 intervals + 1 s is left out: dst->stale for the poll, sessions.has_sessions false.
 * Thread-safe.
 */
bool idle_publisher_fetch(struct idle_publisher *pub, struct idle_snapshot *dst,
			  uint64_t *generation);

#endif
