/* SPDX-License-Identifier: MIT */
/* Ages from timestamps: pure arithmetic on struct timespec. */
#ifndef IDLE_TIME_H
#define IDLE_TIME_H

#include <stdbool.h>
#include <time.h>

/* Seconds from then to now at nanosecond precision; a time in the future clamps to 0. */
double idle_time_age_seconds(const struct timespec *now, const struct timespec *then);

/* A time as Unix seconds (a double keeps microseconds for centuries). */
double idle_time_seconds(const struct timespec *t);

/* True when a is later than b. */
bool idle_time_after(const struct timespec *a, const struct timespec *b);

#endif
