/* SPDX-License-Identifier: MIT */
/* One complete set of sampled values: what a scrape or a collectd read sees. */
#ifndef IDLE_SNAPSHOT_H
#define IDLE_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

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
	IDLE_SOURCE_COUNT
};

/* "pts", "utmp", "dev", "proc"; NULL for an out-of-range value. */
const char *idle_source_name(enum idle_source source);

/* One open terminal of the pts directory (ptmx excluded). */
struct idle_terminal {
	char tty[IDLE_TTY_MAX];   /* "pts/3" */
	char user[IDLE_USER_MAX]; /* owner of the device, or its uid in decimal */
	double input_seconds;     /* now - atime, clamped at 0 */
	double output_seconds;    /* now - mtime, clamped at 0 */
};

/*
 * A value is meaningful only when its has_ flag is set: a source that could not be read leaves
 * its values out rather than keeping stale ones.  Strings are always NUL-terminated.
 */
struct idle_snapshot {
	struct timespec taken; /* CLOCK_REALTIME of the poll */

	bool has_pts_age;       /* user_input_idle_time */
	double pts_age_seconds; /* now - newest mtime in the pts directory, ptmx included */
	bool has_pts_average;   /* avg_user_input_idle_time */
	double pts_average_seconds;

	bool has_terminals;     /* pts directory read: the fields below are valid */
	size_t terminal_count;  /* idle_terminals */
	bool has_input;         /* at least one terminal */
	double input_seconds;   /* idle_input_seconds: now - newest atime */
	double output_seconds;  /* idle_output_seconds: now - newest mtime */
	struct idle_terminal *terminals; /* per terminal, sorted by tty; NULL when none */
	size_t terminals_len;
	size_t terminals_cap;

	bool has_sessions;      /* utmp, dev and proc read: the fields below are valid */
	size_t session_count;   /* idle_sessions */
	bool has_w_idle;        /* false with no session: user_w_idle_time{process=""} NaN */
	double w_idle_seconds;  /* least idle session, as w's IDLE at full precision */
	char w_process[IDLE_LABEL_MAX + 1]; /* first word of that session's WHAT, raw bytes */

	uint64_t errors[IDLE_SOURCE_COUNT]; /* idle_collect_errors_total, cumulative */
};

/* Zeroes a snapshot; it owns no memory yet. */
void idle_snapshot_init(struct idle_snapshot *snap);

/* Frees what a snapshot owns and zeroes it; fine on an initialised, empty snapshot. */
void idle_snapshot_free(struct idle_snapshot *snap);

/* Clears the values, keeping allocated capacity for reuse. */
void idle_snapshot_clear(struct idle_snapshot *snap);

/*
 * Appends a terminal, growing the array.  Returns 0 or ENOMEM (snapshot unaltered).
 * Not thread-safe: the caller owns the snapshot.
 */
int idle_snapshot_add_terminal(struct idle_snapshot *snap, const struct idle_terminal *term);

/*
 * Copies src into dst, reusing dst's capacity; allocates only when dst's is too small.
 * Returns 0 or ENOMEM (dst then holds src's values without terminals, has_terminals false).
 */
int idle_snapshot_copy(struct idle_snapshot *dst, const struct idle_snapshot *src);

#endif
