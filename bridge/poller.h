/* SPDX-License-Identifier: MIT */
/* The sampling thread: polls on its own timer and publishes each complete snapshot. */
#ifndef IDLE_POLLER_H
#define IDLE_POLLER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "idle_sampler.h"
#include "idle_snapshot.h"

struct poller {
	struct idle_sampler *sampler;
	double poll_seconds;
	pthread_t thread;
	bool started;

	pthread_mutex_t lock;   /* guards the fields below, held only to copy or flag */
	pthread_cond_t wake;    /* signalled to stop */
	bool stopping;
	struct idle_snapshot latest;
	uint64_t generation;    /* bumped at each publish; 0: nothing yet */
	struct idle_snapshot work; /* the thread's own, filled without the lock */
};

/* Creates the sampler and takes the first sample at once.  Returns 0 or an errno. */
int poller_init(struct poller *poller, const struct idle_sampler_config *config,
		double poll_seconds);

/* Starts the thread.  Returns 0 or an errno. */
int poller_start(struct poller *poller);

/* Stops and joins the thread (if started) and frees everything. */
void poller_destroy(struct poller *poller);

/*
 * Copies the latest snapshot into dst when it is newer than *generation, updating it.
 * Returns true when dst changed.  Thread-safe.
 */
bool poller_fetch(struct poller *poller, struct idle_snapshot *dst, uint64_t *generation);

#endif
