/* SPDX-License-Identifier: MIT */
/* Every metric family the project exports, declared once; both front ends walk this table. */
#ifndef IDLE_METRICS_H
#define IDLE_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "idle_snapshot.h"

enum idle_metric_type {
	IDLE_METRIC_GAUGE,
	IDLE_METRIC_COUNTER, /* its name ends in _total, as the 0.0.4 text format names samples */
};

/* Which things a family has one sample for. */
enum idle_metric_scope {
	IDLE_SCOPE_SUBJECT,  /* the host, then each container: the subject's labels */
	IDLE_SCOPE_TERMINAL, /* each terminal of each subject: the subject's labels, tty, user */
	IDLE_SCOPE_SESSIONS, /* the host's login sessions */
	IDLE_SCOPE_SOURCE,   /* each source: label source */
	IDLE_SCOPE_POLL,     /* the snapshot itself */
	IDLE_SCOPE_PROCESS,  /* the exporter's own process */
	IDLE_SCOPE_BUILD,    /* constant 1, label version */
};

/* How collectd's type_instance is made from a sample's labels. */
enum idle_collectd_instance {
	IDLE_COLLECTD_NO_INSTANCE,  /* "" */
	IDLE_COLLECTD_LAST_LABEL,   /* the value of the sample's one label (process, source) */
	IDLE_COLLECTD_USER_AT_TTY,  /* "alice@pts-3": '/' separates identifier parts */
};

/* The exporter's own process, as the Python client exported it by default. */
struct idle_process_stats {
	bool valid;
	double cpu_seconds;
	double resident_bytes;
	double virtual_bytes;
	double start_time_seconds;
	double open_fds;
	double max_fds;
};

/* What a sample's value is read from; each field is set for the scopes that have one. */
struct idle_metric_item {
	const struct idle_snapshot *snap;
	const struct idle_subject *subject;   /* SUBJECT, TERMINAL */
	const struct idle_terminal *terminal; /* TERMINAL */
	enum idle_source source;              /* SOURCE */
	const struct idle_process_stats *proc; /* PROCESS */
};

struct idle_metric {
	const char *name;   /* the sample name */
	const char *help;   /* holds no backslash, quote or newline */
	enum idle_metric_type type;
	const char *unit;   /* "seconds", "" when none: for the docs and the collectd type */
	enum idle_metric_scope scope;
	const char *label;  /* SESSIONS: the label of the sample (NULL: none) */
	bool sampled;       /* a sampled value: left out of a stale snapshot */
	/* Sets *value and returns true when the item has this value; false leaves it out. */
	bool (*value)(const struct idle_metric_item *item, double *value);
	const char *collectd_type; /* a type of collectd's types.db; NULL: not dispatched */
	enum idle_collectd_instance collectd_instance;
};

/* The table, in the order families are rendered and dispatched. */
extern const struct idle_metric idle_metrics[];
extern const size_t idle_metrics_count;

#define IDLE_METRIC_LABELS_MAX 7 /* a container's five, tty and user */

struct idle_metric_label {
	const char *name;
	const char *value; /* raw bytes: a reader repairs and escapes them */
};

/* One sample of one family. */
struct idle_metric_sample {
	const struct idle_metric *metric;
	struct idle_metric_label labels[IDLE_METRIC_LABELS_MAX];
	size_t n_labels;
	double value;
	const struct idle_subject *subject; /* SUBJECT and TERMINAL scopes; else NULL */
	bool host;                          /* from the host rather than a container */
};

/* What the walk reads; proc and version may be NULL (the plugin has neither). */
struct idle_metrics_input {
	const struct idle_snapshot *snap;
	const struct idle_process_stats *proc;
	const char *version;
};

/* Called for each sample in table order; a non-zero return stops the walk and is returned. */
typedef int (*idle_metric_sample_fn)(void *arg, const struct idle_metric_sample *sample);

/*
 * Calls fn for every sample of every family in the table, families in table order, samples of
 * a family together: the host's first, then each container's.  Returns 0 or fn's non-zero
 * return.  Pure and reentrant.
 */
int idle_metrics_walk(const struct idle_metrics_input *in, idle_metric_sample_fn fn, void *arg);

#endif
