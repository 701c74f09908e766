/* SPDX-License-Identifier: MIT */
/* The sampling thread: polls on its own timer and publishes each complete snapshot. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "poller.h"

/* Logs a source's failure when it starts and when it clears: one line per event. */
static void
report(void *arg, enum idle_source source, int err, const char *detail)
{
	(void)arg;
	if (err != 0)
		log_kv(LOG_LEVEL_ERROR, "cannot read source", "source", idle_source_name(source),
		       "path", detail, "err", strerror(err), NULL);
	else
		log_kv(LOG_LEVEL_INFO, "reading source again", "source", idle_source_name(source),
		       "path", detail, NULL);
}

/* Samples once into work, then swaps it with latest under the lock. */
static void
poll_once(struct poller *poller)
{
	struct idle_snapshot spare;
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	/* ENOMEM is counted as a pts error inside the snapshot; publish what we have. */
	(void)idle_sampler_poll(poller->sampler, &now, &poller->work);
	pthread_mutex_lock(&poller->lock);
	spare = poller->latest;
	poller->latest = poller->work;
	poller->work = spare;
	poller->generation++;
	pthread_mutex_unlock(&poller->lock);
}

/* Adds seconds to a CLOCK_MONOTONIC deadline. */
static void
advance(struct timespec *deadline, double seconds)
{
	double whole = floor(seconds);

	deadline->tv_sec += (time_t)whole;
	deadline->tv_nsec += (long)((seconds - whole) * 1e9);
	if (deadline->tv_nsec >= 1000000000L) {
		deadline->tv_sec++;
		deadline->tv_nsec -= 1000000000L;
	}
}

/* Polls at fixed deadlines, so sampling cost does not stretch the period, until stopped. */
static void *
run(void *arg)
{
	struct poller *poller = arg;
	struct timespec deadline, now;
	bool stopping;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	for (;;) {
		advance(&deadline, poller->poll_seconds);
		pthread_mutex_lock(&poller->lock);
		while (!poller->stopping &&
		       pthread_cond_timedwait(&poller->wake, &poller->lock, &deadline) != ETIMEDOUT)
			;
		stopping = poller->stopping;
		pthread_mutex_unlock(&poller->lock);
		if (stopping)
			break;
		poll_once(poller);
		/* After a long stall (suspend), skip the missed polls instead of bursting. */
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > deadline.tv_sec + 2)
			deadline = now;
	}
	return NULL;
}

int
poller_init(struct poller *poller, const struct idle_sampler_config *config, double poll_seconds)
{
	struct idle_sampler_config with_report = *config;
	pthread_condattr_t attr;
	int err;

	memset(poller, 0, sizeof(*poller));
	poller->poll_seconds = poll_seconds;
	idle_snapshot_init(&poller->latest);
	idle_snapshot_init(&poller->work);
	if ((err = pthread_mutex_init(&poller->lock, NULL)) != 0)
		return err;
	if ((err = pthread_condattr_init(&attr)) != 0)
		return err;
	err = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	if (err == 0)
		err = pthread_cond_init(&poller->wake, &attr);
	pthread_condattr_destroy(&attr);
	if (err != 0)
		return err;
	with_report.report = report;
	poller->sampler = idle_sampler_new(&with_report);
	if (poller->sampler == NULL)
		return errno ? errno : ENOMEM;
	poll_once(poller);
	return 0;
}

int
poller_start(struct poller *poller)
{
	int err = pthread_create(&poller->thread, NULL, run, poller);

	poller->started = err == 0;
	return err;
}

void
poller_destroy(struct poller *poller)
{
	if (poller->started) {
		pthread_mutex_lock(&poller->lock);
		poller->stopping = true;
		pthread_cond_signal(&poller->wake);
		pthread_mutex_unlock(&poller->lock);
		pthread_join(poller->thread, NULL);
	}
	idle_sampler_free(poller->sampler);
	idle_snapshot_free(&poller->latest);
	idle_snapshot_free(&poller->work);
	pthread_cond_destroy(&poller->wake);
	pthread_mutex_destroy(&poller->lock);
}

bool
poller_fetch(struct poller *poller, struct idle_snapshot *dst, uint64_t *generation)
{
	bool fresh;

	pthread_mutex_lock(&poller->lock);
	fresh = poller->generation != *generation;
	if (fresh && idle_snapshot_copy(dst, &poller->latest) == 0)
		*generation = poller->generation;
	pthread_mutex_unlock(&poller->lock);
	return fresh;
}
