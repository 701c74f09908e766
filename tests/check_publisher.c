/* SPDX-License-Identifier: MIT */
/* Unit tests of the publisher: first poll, unchanged generation, sessions on demand, a blocked
 * sessions read, a stalled or late poll, a clock jump, and a stop while sampling. */
#include <check.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "check_run.h"
#include "idle_publisher.h"

/* A fake sampler: counts calls, and blocks a poll or a sessions sample while told to. */
struct fake {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int polls, sessions;
	bool block_poll, block_sessions; /* block while set */
	double sleep_poll_once;          /* seconds the next poll takes */
	double poll_times[64];           /* CLOCK_MONOTONIC of each poll's start */
	double boot_shift;               /* seconds added to the boot clock */
	bool released;
};

static double
mono_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
sleep_seconds(double s)
{
	struct timespec t = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};

	nanosleep(&t, NULL);
}

static void
fake_poll(void *arg, const struct timespec *now, struct idle_snapshot *work)
{
	struct fake *f = arg;
	double sleep_for;

	pthread_mutex_lock(&f->lock);
	if (f->polls < 64)
		f->poll_times[f->polls] = mono_now();
	f->polls++;
	sleep_for = f->sleep_poll_once;
	f->sleep_poll_once = 0;
	while (f->block_poll)
		pthread_cond_wait(&f->cond, &f->lock);
	pthread_mutex_unlock(&f->lock);
	if (sleep_for > 0)
		sleep_seconds(sleep_for);
	idle_snapshot_clear(work);
	work->taken = *now;
	work->host.has_pts_age = true;
	work->host.pts_age_seconds = 1;
}

static void
fake_sessions(void *arg, const struct timespec *now, struct idle_session_values *out,
	      uint64_t errors[IDLE_SOURCE_COUNT])
{
	struct fake *f = arg;

	(void)now;
	pthread_mutex_lock(&f->lock);
	f->sessions++;
	while (f->block_sessions)
		pthread_cond_wait(&f->cond, &f->lock);
	pthread_mutex_unlock(&f->lock);
	out->has_sessions = true;
	out->session_count = 2;
	errors[IDLE_SOURCE_UTMP] = 7;
}

static void
fake_release(void *arg)
{
	struct fake *f = arg;

	pthread_mutex_lock(&f->lock);
	f->released = true;
	pthread_mutex_unlock(&f->lock);
}

static int
fake_boottime(void *arg, struct timespec *out)
{
	struct fake *f = arg;
	double shift;

	clock_gettime(CLOCK_BOOTTIME, out);
	pthread_mutex_lock(&f->lock);
	shift = f->boot_shift;
	pthread_mutex_unlock(&f->lock);
	out->tv_sec += (time_t)shift;
	return 0;
}

static struct fake fake;

static struct idle_publisher *
start(double poll_seconds, bool sessions)
{
	struct idle_publisher_ops ops = {fake_poll, sessions ? fake_sessions : NULL, fake_release,
					 NULL, fake_boottime, &fake};
	struct idle_publisher *pub;

	memset(&fake, 0, sizeof(fake));
	pthread_mutex_init(&fake.lock, NULL);
	pthread_cond_init(&fake.cond, NULL);
	pub = idle_publisher_new(&ops, poll_seconds);
	ck_assert_ptr_nonnull(pub);
	ck_assert_int_eq(idle_publisher_start(pub), 0);
	return pub;
}

/* Reads a counter of the fake under its lock. */
static int
count(const int *field)
{
	int n;

	pthread_mutex_lock(&fake.lock);
	n = *field;
	pthread_mutex_unlock(&fake.lock);
	return n;
}

static void
set_flag(bool *flag, bool value)
{
	pthread_mutex_lock(&fake.lock);
	*flag = value;
	pthread_cond_broadcast(&fake.cond);
	pthread_mutex_unlock(&fake.lock);
}

static void
finish(struct idle_publisher *pub)
{
	idle_publisher_free(pub);
	ck_assert(fake.released);
	pthread_cond_destroy(&fake.cond);
	pthread_mutex_destroy(&fake.lock);
}

/* A fetch right after start waits for the first poll rather than serving nothing. */
START_TEST(test_first_fetch_waits_for_first_poll)
{
	struct idle_publisher *pub = start(10, false);
	struct idle_snapshot snap;
	uint64_t gen = 0;

	idle_snapshot_init(&snap);
	ck_assert(idle_publisher_fetch(pub, &snap, &gen));
	ck_assert(!snap.stale);
	ck_assert(snap.host.has_pts_age);
	ck_assert(snap.taken.tv_sec > 0);
	idle_snapshot_free(&snap);
	finish(pub);
}
END_TEST

/* Nothing new: no copy, and the reader's snapshot stays as it was. */
START_TEST(test_unchanged_generation)
{
	struct idle_publisher *pub = start(10, false);
	struct idle_snapshot snap;
	uint64_t gen = 0, before;

	idle_snapshot_init(&snap);
	ck_assert(idle_publisher_fetch(pub, &snap, &gen));
	before = gen;
	snap.host.pts_age_seconds = 42; /* a copy would overwrite it */
	ck_assert(!idle_publisher_fetch(pub, &snap, &gen));
	ck_assert_uint_eq(gen, before);
	ck_assert(snap.host.pts_age_seconds == 42);
	idle_snapshot_free(&snap);
	finish(pub);
}
END_TEST

/* Sessions are sampled only when a reader asks, at most once per poll interval. */
START_TEST(test_sessions_on_demand)
{
	struct idle_publisher *pub = start(10, true);
	struct idle_snapshot snap;
	uint64_t gen = 0;

	idle_snapshot_init(&snap);
	sleep_seconds(0.2);
	ck_assert_int_eq(count(&fake.sessions), 0);
	ck_assert(idle_publisher_fetch(pub, &snap, &gen));
	ck_assert_int_eq(count(&fake.sessions), 1);
	ck_assert(snap.sessions.has_sessions);
	ck_assert_uint_eq(snap.sessions.session_count, 2);
	ck_assert_uint_eq(snap.errors[IDLE_SOURCE_UTMP], 7);
	(void)idle_publisher_fetch(pub, &snap, &gen);
	(void)idle_publisher_fetch(pub, &snap, &gen);
	ck_assert_int_eq(count(&fake.sessions), 1);
	idle_snapshot_free(&snap);
	finish(pub);
}
END_TEST

/* A sessions read that blocks costs one bounded wait, then none; its values are left out. */
START_TEST(test_blocked_sessions)
{
	struct idle_publisher *pub = start(0.2, true);
	struct idle_snapshot snap;
	uint64_t gen = 0;
	double t0, first, second;

	idle_snapshot_init(&snap);
	set_flag(&fake.block_sessions, true);
	t0 = mono_now();
	(void)idle_publisher_fetch(pub, &snap, &gen);
	first = mono_now() - t0;
	ck_assert(!snap.sessions.has_sessions);
	ck_assert_msg(first < 1.0, "first fetch took %.3f s", first);
	t0 = mono_now();
	(void)idle_publisher_fetch(pub, &snap, &gen);
	second = mono_now() - t0;
	ck_assert_msg(second < 0.15, "second fetch waited %.3f s on a busy sessions thread", second);
	ck_assert(!snap.sessions.has_sessions);
	ck_assert(snap.host.has_pts_age); /* the timer goes on */
	set_flag(&fake.block_sessions, false);
	idle_snapshot_free(&snap);
	finish(pub);
}
END_TEST

/* A stalled timer: once the last poll is older than a few intervals its values leave. */
START_TEST(test_stall_marks_stale)
{
	struct idle_publisher *pub = start(0.1, false);
	struct idle_snapshot snap;
	uint64_t gen = 0;

	idle_snapshot_init(&snap);
	ck_assert(idle_publisher_fetch(pub, &snap, &gen));
	ck_assert(!snap.stale);
	set_flag(&fake.block_poll, true);
	pthread_mutex_lock(&fake.lock);
	fake.boot_shift = 10; /* the last poll now looks 10 s old */
	pthread_mutex_unlock(&fake.lock);
	ck_assert(idle_publisher_fetch(pub, &snap, &gen));
	ck_assert(snap.stale);
	set_flag(&fake.block_poll, false);
	idle_snapshot_free(&snap);
	finish(pub);
}
END_TEST

/* After a jump of the boot clock (suspend, SIGSTOP) a reader waits for a fresh poll. */
START_TEST(test_clock_jump_waits_for_fresh_poll)
{
	struct idle_publisher *pub = start(0.5, false);
	struct idle_snapshot snap;
	uint64_t gen = 0;
	int polls;

	idle_snapshot_init(&snap);
	ck_assert(idle_publisher_fetch(pub, &snap, &gen));
	polls = count(&fake.polls);
	pthread_mutex_lock(&fake.lock);
	fake.boot_shift = 20;
	pthread_mutex_unlock(&fake.lock);
	ck_assert(idle_publisher_fetch(pub, &snap, &gen));
	ck_assert(!snap.stale);
	ck_assert_int_gt(count(&fake.polls), polls);
	idle_snapshot_free(&snap);
	finish(pub);
}
END_TEST

/* A poll that runs past several deadlines is followed by one poll per period, not a burst. */
START_TEST(test_late_poll_skips_missed_beats)
{
	struct idle_publisher *pub;
	double gap;
	int i, n;

	pub = start(0.1, false);
	pthread_mutex_lock(&fake.lock);
	fake.sleep_poll_once = 0.45;
	pthread_mutex_unlock(&fake.lock);
	while (count(&fake.polls) < 2)
		sleep_seconds(0.01);
	while (count(&fake.polls) < 6)
		sleep_seconds(0.02);
	pthread_mutex_lock(&fake.lock);
	n = fake.polls < 64 ? fake.polls : 64;
	for (i = 2; i < n; i++) {
		gap = fake.poll_times[i] - fake.poll_times[i - 1];
		ck_assert_msg(gap > 0.05, "poll %d came %.3f s after the one before", i, gap);
	}
	pthread_mutex_unlock(&fake.lock);
	finish(pub);
}
END_TEST

/* A stop while a poll is stuck returns within the bound; the thread frees later. */
START_TEST(test_stop_while_sampling)
{
	struct idle_publisher *pub = start(0.05, false);
	struct timespec t = {0, 0};
	double t0, took;
	bool released = false;
	int i;

	while (count(&fake.polls) < 1)
		sleep_seconds(0.01);
	set_flag(&fake.block_poll, true);
	while (count(&fake.polls) < 2)
		sleep_seconds(0.01);
	t0 = mono_now();
	idle_publisher_free(pub);
	took = mono_now() - t0;
	ck_assert_msg(took < 2.0, "stop took %.3f s", took);
	ck_assert(!fake.released); /* the stuck thread still holds it */
	set_flag(&fake.block_poll, false);
	for (i = 0; i < 200 && !released; i++) {
		pthread_mutex_lock(&fake.lock);
		released = fake.released;
		pthread_mutex_unlock(&fake.lock);
		t.tv_nsec = 10000000;
		nanosleep(&t, NULL);
	}
	ck_assert(released);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("publisher");
	TCase *tc = tcase_create("publisher");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_first_fetch_waits_for_first_poll);
	tcase_add_test(tc, test_unchanged_generation);
	tcase_add_test(tc, test_sessions_on_demand);
	tcase_add_test(tc, test_blocked_sessions);
	tcase_add_test(tc, test_stall_marks_stale);
	tcase_add_test(tc, test_clock_jump_waits_for_fresh_poll);
	tcase_add_test(tc, test_late_poll_skips_missed_beats);
	tcase_add_test(tc, test_stop_while_sampling);
	suite_add_tcase(s, tc);
	return check_run(s);
}
