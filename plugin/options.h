/* SPDX-License-Identifier: MIT */
/* The <Plugin idle> block: keys, defaults and validation, on collectd's parsed config tree. */
#ifndef IDLE_PLUGIN_OPTIONS_H
#define IDLE_PLUGIN_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "idle_sampler.h"
#include "liboconfig/oconfig.h"

/* Bounds of the numeric keys; a value outside is an error, never silently clamped. */
/* Per-terminal values per read: write_prometheus re-sorts its family on every insert, and at
 * Interval 1 on a 2-core machine it fell behind (and collectd grew without bound) between 1,000
 * and 2,000 terminals. */
#define OPTIONS_MAX_TERMINALS_DEFAULT 500
#define OPTIONS_MAX_TERMINALS_MAX 100000

struct options {
	char *pts_dir;	       /* PtsDir, default /dev/pts */
	char *dev_dir;	       /* DevDir, default /dev */
	char *utmp_file;       /* UtmpFile, default /var/run/utmp */
	char *proc_dir;	       /* ProcDir, default /proc */
	size_t window;	       /* AverageWindow: polls in the average, default 60 */
	double poll_seconds;   /* PollInterval, default 1 */
	bool report_terminals; /* ReportTerminals, default false */
	size_t max_terminals;  /* MaxTerminals: per-terminal values for at most this many */
};

/* Sets the defaults.  Returns 0 or ENOMEM (cfg then frees cleanly). */
int options_init(struct options *cfg);

/* Frees the strings; fine after a failed init. */
void options_free(struct options *cfg);

/*
 * Applies the children of a <Plugin idle> block to cfg; a later key overrides an earlier one.
 * Returns 0, EINVAL with a message naming the key in err (an unknown key, a missing, extra or
 * bad value), or ENOMEM.  cfg keeps the keys applied before the error.  Pure.
 */
int options_apply(struct options *cfg, const oconfig_item_t *block, char *err, size_t err_size);

/* Fills sampler (pointing into cfg, which must outlive it) from cfg. */
void options_sampler(const struct options *cfg, struct idle_sampler_config *sampler);

#endif
