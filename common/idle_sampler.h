/* SPDX-License-Identifier: MIT */
/* One poll of every source into a snapshot, with the rolling average and error bookkeeping. */
#ifndef IDLE_SAMPLER_H
#define IDLE_SAMPLER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "idle_defaults.h"
#include "idle_publisher.h"
#include "idle_snapshot.h"

/*
 * Called when a source starts failing (err > 0) and once when it recovers (err == 0), never
 * on every poll.  detail names the path involved.  Runs on the polling thread.
 */
typedef void (*idle_report_fn)(void *arg, enum idle_source source, int err, const char *detail);

struct idle_sampler_config {
	const char *pts_dir;   /* /dev/pts */
	const char *dev_dir;   /* /dev */
	const char *utmp_file; /* /var/run/utmp */
	const char *proc_dir;  /* /proc */
	size_t window;         /* polls in the average, >= 1 */
	bool sessions;         /* sample utmp sessions (user_w_idle_time, idle_sessions) */
	bool terminals;        /* keep per-terminal values in the snapshot */
	bool containers;       /* container mode: every container's devpts too */
	const char *sysfs_dir; /* /sys: the cgroup tree of container mode */
	const char *containers_log_dir; /* kubelet's /var/log/containers, for names; NULL: none */
	idle_report_fn report; /* may be NULL */
	void *report_arg;
};

/* Fills config with the defaults of idle_defaults.h. */
void idle_sampler_config_defaults(struct idle_sampler_config *config);

struct idle_sampler;

/* Returns a new sampler (paths copied), or NULL with errno set (ENOMEM, EINVAL). */
struct idle_sampler *idle_sampler_new(const struct idle_sampler_config *config);

/* Frees it; NULL is fine. */
void idle_sampler_free(struct idle_sampler *sampler);

/*
 * Polls the pts directory at now (CLOCK_REALTIME) into snap, which is cleared first and must
 * have been initialised; sets snap->errors[IDLE_SOURCE_PTS] (the others stay 0).  A failure
 * leaves its values out and counts an error.  Returns 0, or ENOMEM when the snapshot could not
 * hold the terminals (counted as a pts error).  A sampler's poll runs on one thread at a time.
 */
int idle_sampler_poll(struct idle_sampler *sampler, const struct timespec *now,
		      struct idle_snapshot *snap);

/*
 * Samples the login sessions (utmp, tty devices, /proc) at now into out, and sets errors[] of
 * IDLE_SOURCE_UTMP, DEV and PROC to their cumulative failed samples.  Nothing when the sampler
 * was made without sessions.  May run on another thread than idle_sampler_poll (they share no
 * state but the report callback, which must then be thread-safe), one thread at a time.
 */
void idle_sampler_sessions(struct idle_sampler *sampler, const struct timespec *now,
			   struct idle_session_values *out, uint64_t errors[IDLE_SOURCE_COUNT]);
/*
 * Fills ops so that a publisher polls sampler on its timer and samples its sessions on demand
 * (none when the sampler has none); the publisher then owns sampler and frees it.
 */
void idle_sampler_publisher_ops(struct idle_sampler *sampler, struct idle_publisher_ops *ops);

#endif
