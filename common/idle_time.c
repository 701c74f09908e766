/* SPDX-License-Identifier: MIT */
/* Ages from timestamps: pure arithmetic on struct timespec. */
#include "idle_time.h"

bool
idle_time_after(const struct timespec *a, const struct timespec *b)
{
	if (a->tv_sec != b->tv_sec)
		return a->tv_sec > b->tv_sec;
	return a->tv_nsec > b->tv_nsec;
}

double
idle_time_age_seconds(const struct timespec *now, const struct timespec *then)
{
	if (!idle_time_after(now, then))
		return 0.0;
	/* Subtract whole seconds first so large epochs keep nanosecond precision. */
	return (double)(now->tv_sec - then->tv_sec) + (double)(now->tv_nsec - then->tv_nsec) / 1e9;
}

double
idle_time_seconds(const struct timespec *t)
{
	return (double)t->tv_sec + (double)t->tv_nsec / 1e9;
}
