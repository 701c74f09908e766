/* SPDX-License-Identifier: MIT */
/* The sampling threads of both front ends: a timer that polls, and login sessions on demand. */
#define _GNU_SOURCE /* pthread_timedjoin_np: a stop must not wait on a thread stuck in a read */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "idle_publisher.h"
#include "idle_time.h"

/* How long a stop waits for each thread before leaving it behind. */
#define STOP_WAIT_SECONDS 1.0

struct idle_publisher {
	struct idle_publisher_ops ops;
	double poll_seconds;

	pthread_mutex_t lock;	  /* guards everything below; never held across a poll */
	pthread_cond_t wake;	  /* the timer's sleep; signalled to stop */
	pthread_cond_t want;	  /* the sessions thread's sleep; signalled to ask or stop */
	pthread_cond_t published; /* broadcast after each publish and at stop */
	int refs;		  /* the owner and each running thread */
	bool stopping;
	pthread_t timer, worker;
	bool timer_started, worker_started;

	struct idle_snapshot latest, work;
	struct timespec latest_boot; /* when latest was polled */
	bool have_latest;
	uint64_t version;	/* bumped at every publish of either kind */
	uint64_t copy_failures; /* fetches whose terminals did not fit: counted as pts errors */

	struct idle_session_values sessions;
	uint64_t session_errors[IDLE_SOURCE_COUNT];
	struct timespec sessions_boot;
	bool have_sessions, sessions_wanted, sessions_busy;
};

static int
real_boottime(void *arg, struct timespec *out)
{
	(void)arg;
	return clock_gettime(CLOCK_BOOTTIME, out);
}

static int
real_thread_create(pthread_t *thread, void *(*fn)(void *), void *fn_arg, const char *name)
{
	(void)name;
	return pthread_create(thread, NULL, fn, fn_arg);
}

/* Adds seconds to t. */
static void
add_seconds(struct timespec *t, double seconds)
{
	time_t whole = (time_t)seconds; /* seconds >= 0: truncation is floor */

	t->tv_sec += whole;
	t->tv_nsec += (long)((seconds - (double)whole) * 1e9);
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

/* A CLOCK_MONOTONIC deadline seconds from now. */
static struct timespec
deadline_in(double seconds)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	add_seconds(&t, seconds);
	return t;
}

/* Seconds since then on the boot clock. */
static double
age(const struct idle_publisher *pub, const struct timespec *then)
{
	struct timespec now;

	if (pub->ops.boottime(pub->ops.arg, &now) != 0)
		return INFINITY;
	return idle_time_age_seconds(&now, then);
}

/* Frees what the publisher holds, then the caller's arg. */
static void
destroy(struct idle_publisher *pub)
{
	pthread_mutex_destroy(&pub->lock);
	pthread_cond_destroy(&pub->wake);
	pthread_cond_destroy(&pub->want);
	pthread_cond_destroy(&pub->published);
	idle_snapshot_free(&pub->latest);
	idle_snapshot_free(&pub->work);
	if (pub->ops.release != NULL)
		pub->ops.release(pub->ops.arg);
	free(pub);
}

/* Drops one reference, taken with the lock held; the last one frees the publisher. */
static void
unref_locked(struct idle_publisher *pub)
{
	bool last = --pub->refs == 0;

	pthread_mutex_unlock(&pub->lock);
	if (last)
		destroy(pub);
}

/* Polls into work, then publishes it by swapping it with latest. */
static void
poll_once(struct idle_publisher *pub)
{
	struct idle_snapshot spare;
	struct timespec now, boot = {0, 0};

	clock_gettime(CLOCK_REALTIME, &now);
	/* Unreadable, the boot time stays 0: the poll then counts as old, never as fresh. */
	(void)pub->ops.boottime(pub->ops.arg, &boot);
	pub->ops.poll(pub->ops.arg, &now, &pub->work);
	pthread_mutex_lock(&pub->lock);
	spare = pub->latest;
	pub->latest = pub->work;
	pub->work = spare;
	pub->latest_boot = boot;
	pub->have_latest = true;
	pub->version++;
	pthread_cond_broadcast(&pub->published);
	pthread_mutex_unlock(&pub->lock);
}

/*
 * The timer: polls at fixed deadlines, so sampling cost does not stretch the period; a poll
 * that ends past its next deadline (a stall, a suspend, SIGSTOP) skips the beats it missed
 * instead of bursting to catch up.
 */
static void *
run_timer(void *arg)
{
	struct idle_publisher *pub = arg;
	struct timespec next, now;

	clock_gettime(CLOCK_MONOTONIC, &next);
	pthread_mutex_lock(&pub->lock);
	while (!pub->stopping) {
		pthread_mutex_unlock(&pub->lock);
		poll_once(pub);
		add_seconds(&next, pub->poll_seconds);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (idle_time_after(&now, &next)) {
			next = now;
			add_seconds(&next, pub->poll_seconds);
		}
		pthread_mutex_lock(&pub->lock);
		while (!pub->stopping &&
		       pthread_cond_timedwait(&pub->wake, &pub->lock, &next) != ETIMEDOUT)
			;
	}
	unref_locked(pub);
	return NULL;
}

/* The sessions thread: samples when a reader asks, publishes, sleeps again. */
static void *
run_sessions(void *arg)
{
	struct idle_publisher *pub = arg;
	struct idle_session_values values;
	uint64_t errors[IDLE_SOURCE_COUNT];
	struct timespec now, boot;

	pthread_mutex_lock(&pub->lock);
	for (;;) {
		boot = (struct timespec){0, 0};
		while (!pub->stopping && !pub->sessions_wanted)
			pthread_cond_wait(&pub->want, &pub->lock);
		if (pub->stopping)
			break;
		pub->sessions_wanted = false;
		pub->sessions_busy = true;
		memcpy(errors, pub->session_errors, sizeof(errors));
		pthread_mutex_unlock(&pub->lock);
		clock_gettime(CLOCK_REALTIME, &now);
		(void)pub->ops.boottime(pub->ops.arg, &boot);
		memset(&values, 0, sizeof(values));
		pub->ops.sessions(pub->ops.arg, &now, &values, errors);
		pthread_mutex_lock(&pub->lock);
		pub->sessions = values;
		memcpy(pub->session_errors, errors, sizeof(errors));
		pub->sessions_boot = boot;
		pub->have_sessions = true;
		pub->sessions_busy = false;
		pub->version++;
		pthread_cond_broadcast(&pub->published);
	}
	unref_locked(pub);
	return NULL;
}

/* Initialises the lock and the condition variables, on the monotonic clock. */
static int
init_sync(struct idle_publisher *pub)
{
	pthread_condattr_t attr;
	int rc = pthread_condattr_init(&attr);

	if (rc != 0)
		return rc;
	rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	if (rc == 0 && (rc = pthread_cond_init(&pub->wake, &attr)) == 0 &&
	    (rc = pthread_cond_init(&pub->want, &attr)) != 0)
		pthread_cond_destroy(&pub->wake);
	if (rc == 0 && (rc = pthread_cond_init(&pub->published, &attr)) != 0) {
		pthread_cond_destroy(&pub->wake);
		pthread_cond_destroy(&pub->want);
	}
	pthread_condattr_destroy(&attr);
	if (rc == 0 && (rc = pthread_mutex_init(&pub->lock, NULL)) != 0) {
		pthread_cond_destroy(&pub->wake);
		pthread_cond_destroy(&pub->want);
		pthread_cond_destroy(&pub->published);
	}
	return rc;
}

struct idle_publisher *
idle_publisher_new(const struct idle_publisher_ops *ops, double poll_seconds)
{
	struct idle_publisher *pub;
	int rc = EINVAL;

	if (ops->poll == NULL || !(poll_seconds > 0) || (pub = calloc(1, sizeof(*pub))) == NULL) {
		rc = ops->poll == NULL || !(poll_seconds > 0) ? EINVAL : ENOMEM;
		if (ops->release != NULL)
			ops->release(ops->arg);
		errno = rc;
		return NULL;
	}
	pub->ops = *ops;
	if (pub->ops.thread_create == NULL)
		pub->ops.thread_create = real_thread_create;
	if (pub->ops.boottime == NULL)
		pub->ops.boottime = real_boottime;
	pub->poll_seconds = poll_seconds;
	pub->refs = 1;
	idle_snapshot_init(&pub->latest);
	idle_snapshot_init(&pub->work);
	if ((rc = init_sync(pub)) != 0) {
		if (ops->release != NULL)
			ops->release(ops->arg);
		free(pub);
		errno = rc;
		return NULL;
	}
	return pub;
}

int
idle_publisher_start(struct idle_publisher *pub)
{
	int rc;

	pthread_mutex_lock(&pub->lock);
	pub->refs++;
	rc = pub->ops.thread_create(&pub->timer, run_timer, pub, "idle poll");
	pub->timer_started = rc == 0;
	if (rc != 0)
		pub->refs--;
	if (rc == 0 && pub->ops.sessions != NULL) {
		pub->refs++;
		rc = pub->ops.thread_create(&pub->worker, run_sessions, pub, "idle sessions");
		pub->worker_started = rc == 0;
		if (rc != 0)
			pub->refs--;
	}
	pthread_mutex_unlock(&pub->lock);
	return rc;
}

/* Joins a thread, or leaves it behind after STOP_WAIT_SECONDS. */
static void
join_or_leave(pthread_t thread)
{
	struct timespec limit;

	clock_gettime(CLOCK_REALTIME, &limit);
	add_seconds(&limit, STOP_WAIT_SECONDS);
	if (pthread_timedjoin_np(thread, NULL, &limit) != 0)
		pthread_detach(thread);
}

void
idle_publisher_free(struct idle_publisher *pub)
{
	if (pub == NULL)
		return;
	pthread_mutex_lock(&pub->lock);
	pub->stopping = true;
	pthread_cond_broadcast(&pub->wake);
	pthread_cond_broadcast(&pub->want);
	pthread_cond_broadcast(&pub->published);
	pthread_mutex_unlock(&pub->lock);
	if (pub->timer_started)
		join_or_leave(pub->timer);
	if (pub->worker_started)
		join_or_leave(pub->worker);
	pthread_mutex_lock(&pub->lock);
	unref_locked(pub);
}

/* The ages beyond which a reader waits for a fresher poll, and leaves values out. */
static double
fresh_seconds(const struct idle_publisher *pub)
{
	return 1.5 * pub->poll_seconds;
}

static double
stale_seconds(const struct idle_publisher *pub)
{
	return 3 * pub->poll_seconds + 1;
}

/*
 * True while a reader should wait: nothing polled yet, an old poll (unless one was published
 * since the reader came: a poll slower than the interval is as fresh as it gets), sessions it
 * asked for.
 */
static bool
missing(const struct idle_publisher *pub, bool asked, uint64_t came_at)
{
	if (pub->stopping)
		return false;
	if (!pub->have_latest ||
	    (pub->version == came_at && age(pub, &pub->latest_boot) > fresh_seconds(pub)))
		return true;
	return asked && (pub->sessions_wanted || pub->sessions_busy);
}

/* Asks the sessions thread for a sample when the last one is older than an interval. */
static bool
ask_sessions(struct idle_publisher *pub)
{
	if (pub->ops.sessions == NULL || pub->sessions_busy || pub->sessions_wanted ||
	    (pub->have_sessions && age(pub, &pub->sessions_boot) <= pub->poll_seconds))
		return false;
	pub->sessions_wanted = true;
	pthread_cond_signal(&pub->want);
	return true;
}

/* Copies what is current into dst: the poll unless stale, the sessions unless too old. */
static void
copy_current(struct idle_publisher *pub, struct idle_snapshot *dst, bool stale, bool sessions_ok)
{
	enum idle_source source;

	/* Terminals that did not fit are left out and counted, in a counter that never goes back.
	 */
	if (idle_snapshot_copy(dst, &pub->latest) != 0)
		pub->copy_failures++;
	dst->errors[IDLE_SOURCE_PTS] += pub->copy_failures;
	dst->stale = stale;
	memset(&dst->sessions, 0, sizeof(dst->sessions));
	if (sessions_ok)
		dst->sessions = pub->sessions;
	for (source = IDLE_SOURCE_UTMP; source <= IDLE_SOURCE_PROC; source++)
		dst->errors[source] = pub->session_errors[source];
}

bool
idle_publisher_fetch(struct idle_publisher *pub, struct idle_snapshot *dst, uint64_t *generation)
{
	/* Half an interval of slack: the timer's next poll is due within one. */
	struct timespec limit =
	    deadline_in(1.5 * pub->poll_seconds < 1.0 ? 1.5 * pub->poll_seconds : 1.0);
	bool asked, stale, sessions_ok, changed;
	uint64_t key, came_at;

	pthread_mutex_lock(&pub->lock);
	asked = ask_sessions(pub);
	came_at = pub->version;
	while (missing(pub, asked, came_at) &&
	       pthread_cond_timedwait(&pub->published, &pub->lock, &limit) != ETIMEDOUT)
		;
	stale = !pub->have_latest || age(pub, &pub->latest_boot) > stale_seconds(pub);
	sessions_ok = pub->have_sessions && age(pub, &pub->sessions_boot) <= stale_seconds(pub);
	/* A change of freshness alone is a change too: values must leave the page. */
	key = pub->version * 4 + (stale ? 2 : 0) + (sessions_ok ? 1 : 0) + 1;
	changed = key != *generation;
	if (changed) {
		copy_current(pub, dst, stale, sessions_ok);
		*generation = key;
	}
	pthread_mutex_unlock(&pub->lock);
	return changed;
}
