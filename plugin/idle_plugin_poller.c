/* SPDX-License-Identifier: MIT */
/* The plugin's one polling thread and the latest snapshot it shares with collectd's reads. */
#include "collectd.h"

#include "plugin.h"

#include "idle_plugin_poller.h"

struct idle_plugin_poller {
	pthread_mutex_t lock; /* guards latest, have_latest and stop: held for a swap or copy only */
	pthread_cond_t wake;  /* on CLOCK_MONOTONIC; signalled when stop is set */
	bool stop;
	bool have_latest;
	struct idle_snapshot latest; /* what reads copy */
	struct idle_snapshot work;   /* the thread's own, polled into without the lock */
	struct idle_sampler *sampler;
	struct timespec period;
	pthread_t thread;
};

/* Adds period to t, keeping tv_nsec below a second. */
static void
timespec_add(struct timespec *t, const struct timespec *period)
{
	t->tv_sec += period->tv_sec;
	t->tv_nsec += period->tv_nsec;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

/* Polls into the thread's snapshot, then publishes it by swapping it with the shared one. */
static void
poll_once(struct idle_plugin_poller *poller)
{
	struct idle_snapshot swap;
	struct timespec now;

	if (clock_gettime(CLOCK_REALTIME, &now) != 0)
		return;
	/* ENOMEM leaves the terminals out of the snapshot: the rest is still worth publishing. */
	(void)idle_sampler_poll(poller->sampler, &now, &poller->work);
	pthread_mutex_lock(&poller->lock);
	swap = poller->latest;
	poller->latest = poller->work;
	poller->work = swap;
	poller->have_latest = true;
	pthread_mutex_unlock(&poller->lock);
}

/* Sets *next to the next beat after now; beats missed while a poll ran long are skipped. */
static void
schedule(struct timespec *next, const struct timespec *period)
{
	struct timespec now;

	timespec_add(next, period);
	if (clock_gettime(CLOCK_MONOTONIC, &now) != 0)
		return;
	if (next->tv_sec < now.tv_sec || (next->tv_sec == now.tv_sec && next->tv_nsec < now.tv_nsec)) {
		*next = now;
		timespec_add(next, period);
	}
}

/* The thread: poll, then sleep until the next beat or until told to stop. */
static void *
poll_loop(void *arg)
{
	struct idle_plugin_poller *poller = arg;
	struct timespec next;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &next);
	pthread_mutex_lock(&poller->lock);
	while (!poller->stop) {
		pthread_mutex_unlock(&poller->lock);
		poll_once(poller);
		schedule(&next, &poller->period);
		pthread_mutex_lock(&poller->lock);
		rc = 0;
		while (!poller->stop && rc == 0)
			rc = pthread_cond_timedwait(&poller->wake, &poller->lock, &next);
	}
	pthread_mutex_unlock(&poller->lock);
	return NULL;
}

/* Initialises the mutex and a condition variable on the monotonic clock. */
static int
init_sync(struct idle_plugin_poller *poller)
{
	pthread_condattr_t attr;
	int rc;

	rc = pthread_condattr_init(&attr);
	if (rc != 0)
		return rc;
	rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	if (rc == 0)
		rc = pthread_cond_init(&poller->wake, &attr);
	pthread_condattr_destroy(&attr);
	if (rc != 0)
		return rc;
	rc = pthread_mutex_init(&poller->lock, NULL);
	if (rc != 0)
		pthread_cond_destroy(&poller->wake);
	return rc;
}

struct idle_plugin_poller *
idle_plugin_poller_start(struct idle_sampler *sampler, double poll_seconds)
{
	struct idle_plugin_poller *poller;
	int rc;

	poller = calloc(1, sizeof(*poller));
	if (poller == NULL)
		return NULL;
	poller->sampler = sampler;
	poller->period.tv_sec = (time_t)poll_seconds;
	poller->period.tv_nsec = (long)((poll_seconds - (double)poller->period.tv_sec) * 1e9);
	idle_snapshot_init(&poller->latest);
	idle_snapshot_init(&poller->work);
	rc = init_sync(poller);
	if (rc != 0) {
		free(poller);
		errno = rc;
		return NULL;
	}
	rc = plugin_thread_create(&poller->thread, poll_loop, poller, "idle poll");
	if (rc != 0) {
		pthread_mutex_destroy(&poller->lock);
		pthread_cond_destroy(&poller->wake);
		free(poller);
		errno = rc;
		return NULL;
	}
	return poller;
}

int
idle_plugin_poller_copy(struct idle_plugin_poller *poller, struct idle_snapshot *dst)
{
	int rc = EAGAIN;

	pthread_mutex_lock(&poller->lock);
	if (poller->have_latest)
		rc = idle_snapshot_copy(dst, &poller->latest);
	pthread_mutex_unlock(&poller->lock);
	return rc;
}

void
idle_plugin_poller_stop(struct idle_plugin_poller *poller)
{
	if (poller == NULL)
		return;
	pthread_mutex_lock(&poller->lock);
	poller->stop = true;
	pthread_cond_signal(&poller->wake);
	pthread_mutex_unlock(&poller->lock);
	pthread_join(poller->thread, NULL);
	pthread_mutex_destroy(&poller->lock);
	pthread_cond_destroy(&poller->wake);
	idle_snapshot_free(&poller->latest);
	idle_snapshot_free(&poller->work);
	free(poller);
}
