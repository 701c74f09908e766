/* SPDX-License-Identifier: MIT */
/* The plugin's one polling thread and the latest snapshot it shares with collectd's reads. */
#ifndef IDLE_PLUGIN_POLLER_H
#define IDLE_PLUGIN_POLLER_H

#include "idle_sampler.h"
#include "idle_snapshot.h"

struct idle_plugin_poller;

/*
 * Starts a thread (through collectd's plugin_thread_create) that polls sampler at once and then
 * every poll_seconds, on a monotonic schedule.  The sampler is borrowed: it must outlive the
 * poller.  Returns the poller, or NULL with errno set (ENOMEM, or the pthread error).
 */
struct idle_plugin_poller *idle_plugin_poller_start(struct idle_sampler *sampler,
						    double poll_seconds);

/*
 * Copies the latest complete snapshot into dst (initialised by the caller), holding the mutex
 * for the copy only.  Returns 0, EAGAIN before the first poll has finished, or ENOMEM (dst then
 * lacks the terminals, as idle_snapshot_copy says).  Thread-safe.
 */
int idle_plugin_poller_copy(struct idle_plugin_poller *poller, struct idle_snapshot *dst);

/* Wakes the thread, joins it and frees the poller (not the sampler); NULL is fine. */
void idle_plugin_poller_stop(struct idle_plugin_poller *poller);

#endif
