/* SPDX-License-Identifier: MIT */
/* One complete set of sampled values: what a scrape or a collectd read sees. */
#ifndef IDLE_SNAPSHOT_H
#define IDLE_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "idle_cgroup.h" /* the sizes of a pod UID and a container ID */
#include "idle_podlog.h" /* the sizes of Kubernetes names */

/* Label values are capped at this many bytes (after UTF-8 repair, before escaping). */
#define IDLE_LABEL_MAX 128
/* "pts/NNNN", "tty63", ":0": utmp's ut_line is 32 bytes. */
#define IDLE_TTY_MAX 33
/* utmp's ut_user is 32 bytes; passwd names are shorter in practice. */
#define IDLE_USER_MAX 33


/* Where a sampled value comes from; each has its own error counter. */
enum idle_source {
	IDLE_SOURCE_PTS,  /* the pts directory: ages, terminals */
	IDLE_SOURCE_UTMP, /* the utmp file: sessions */
	IDLE_SOURCE_DEV,  /* tty devices under the dev directory: session idle */
	IDLE_SOURCE_PROC, /* the proc directory: login and foreground processes */
	IDLE_SOURCE_CONTAINERS, /* container mode: the cgroup tree and each container's devpts */
	IDLE_SOURCE_COUNT
};

/* "pts", "utmp", "dev", "proc", "containers"; NULL for an out-of-range value. */
const char *idle_source_name(enum idle_source source);

/* One open terminal of a pts directory (ptmx excluded). */
struct idle_terminal {
	char tty[IDLE_TTY_MAX];   /* "pts/3" */
	char user[IDLE_USER_MAX]; /* owner of the device, or its uid in decimal */
	double input_seconds;     /* now - atime, clamped at 0 */
	double output_seconds;    /* now - mtime, clamped at 0 */
	double input_time;        /* atime, Unix seconds */
	double output_time;       /* mtime, Unix seconds */
};

/* Who a set of terminals belongs to: a container's names and ids ("" when unknown), for
 * idle_snapshot_add_container to copy and idle_snapshot_subject_id to point into a snapshot. */
struct idle_subject_id {
	const char *namespace_name;
	const char *pod;
	const char *container;
	const char *pod_uid;
	const char *container_id;
};

/*
 * What one pts directory said: the host's, or a container's.  A value is meaningful only when
 * its has_ flag is set: a source that could not be read leaves its values out rather than
 * keeping stale ones.  Its terminals are snapshot->terminals[first_terminal..+terminals_len].
 */
struct idle_subject {
	size_t labels;          /* a container's: its five label values in snapshot->labels */

	bool has_pts_age;       /* user_input_idle_time */
	double pts_age_seconds; /* now - newest mtime in the pts directory, ptmx included */
	bool has_pts_average;   /* avg_user_input_idle_time */
	double pts_average_seconds;

	bool has_terminals;     /* pts directory read: the fields below are valid */
	size_t terminal_count;  /* idle_terminals */
	bool has_input;         /* at least one terminal */
	double input_seconds;   /* idle_input_seconds: now - newest atime */
	double output_seconds;  /* idle_output_seconds: now - newest mtime */
	double input_time;      /* newest atime, Unix seconds */
	double output_time;     /* newest mtime, Unix seconds */

	size_t first_terminal;
	size_t terminals_len;
};

/* The host's login sessions, as w sees them; valid only when has_sessions. */
struct idle_session_values {
	bool has_sessions;      /* utmp, dev and proc read: the fields below are valid */
	size_t session_count;   /* idle_sessions */
	bool has_w_idle;        /* false with no session: user_w_idle_time{process=""} NaN */
	double w_idle_seconds;  /* least idle session, as w's IDLE at full precision */
	char w_process[IDLE_LABEL_MAX + 1]; /* first word of that session's WHAT, raw bytes */
};

/* Strings are always NUL-terminated. */
struct idle_snapshot {
	struct timespec taken; /* CLOCK_REALTIME of the poll; 0 before the first */
	bool stale;            /* set by a reader: too old to serve, values left out */

	struct idle_subject host;        /* the host's pts directory (no labels) */
	bool containers_enabled;         /* container mode: the containers were polled */
	struct idle_subject *containers; /* one per container, by container ID */
	size_t containers_len;
	size_t containers_cap;

	struct idle_terminal *terminals; /* every subject's, each a contiguous run sorted by tty */
	size_t terminals_len;
	size_t terminals_cap;

	char *labels; /* the containers' label values, each NUL-terminated: a container costs what
			 its names do, not their bounds, in every copy of a snapshot */
	size_t labels_len;
	size_t labels_cap;

	struct idle_session_values sessions;

	uint64_t errors[IDLE_SOURCE_COUNT]; /* idle_collect_errors_total, cumulative */
};

/* Zeroes a snapshot; it owns no memory yet. */
void idle_snapshot_init(struct idle_snapshot *snap);

/* Frees what a snapshot owns and zeroes it; fine on an initialised, empty snapshot. */
void idle_snapshot_free(struct idle_snapshot *snap);

/* Clears the values, keeping allocated capacity (and the error counters) for reuse. */
void idle_snapshot_clear(struct idle_snapshot *snap);

/*
 * Appends a terminal of subject, which must be the last subject given terminals (its run grows
 * at the end of the array).  Returns 0 or ENOMEM (snapshot unaltered).  Not thread-safe.
 */
int idle_snapshot_add_terminal(struct idle_snapshot *snap, struct idle_subject *subject,
			       const struct idle_terminal *term);

/*
 * Appends an empty container subject with a copy of id's strings (NULL ones as ""); returns it (valid until the next call), or NULL on ENOMEM.  Not thread-safe.
 */
struct idle_subject *idle_snapshot_add_container(struct idle_snapshot *snap,
						 const struct idle_subject_id *id);

/* Points id's strings at subject's label values in snap: all "" for the host. */
void idle_snapshot_subject_id(const struct idle_snapshot *snap,
			      const struct idle_subject *subject, struct idle_subject_id *id);

/* The terminals of subject in snap (NULL when it has none). */
const struct idle_terminal *idle_snapshot_terminals(const struct idle_snapshot *snap,
						    const struct idle_subject *subject);

/*
 * Copies src into dst, reusing dst's capacity; allocates only when dst's is too small.
 * Returns 0 or ENOMEM (dst then holds src's host and sessions values without terminals and
 * containers, the host's has_terminals false).
 */
int idle_snapshot_copy(struct idle_snapshot *dst, const struct idle_snapshot *src);

#endif
