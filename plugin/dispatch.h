/* SPDX-License-Identifier: MIT */
/* collectd's read callback body: copy the latest snapshot, map it, dispatch it. */
#ifndef IDLE_PLUGIN_DISPATCH_H
#define IDLE_PLUGIN_DISPATCH_H

#include <stddef.h>

#include "idle_publisher.h"

/* The read side's buffers, reused from one read to the next. */
struct dispatcher;

/* Returns a reader (per-terminal values of at most max_terminals terminals), or NULL with errno
 * ENOMEM. */
struct dispatcher *dispatcher_new(size_t max_terminals);

/* Frees it; NULL is fine. */
void dispatcher_free(struct dispatcher *reader);

/*
 * Dispatches the values of the publisher's latest poll and sessions as gauges and counters of
 * plugin "idle", each with the interval of the current read, so write_prometheus keeps every
 * series between reads.  Never does IO; waits at most as idle_publisher_fetch says.  Values
 * the publisher calls stale are left out, never dispatched again with a new time.  Returns 0,
 * also when some values were lost for lack of memory (logged): a normal race must not make
 * collectd back off.  Called by one read thread at a time.
 */
int dispatcher_read(struct dispatcher *reader, struct idle_publisher *pub);

#endif
