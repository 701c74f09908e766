/* SPDX-License-Identifier: MIT */
/* One poll of every source into a snapshot, with the rolling average and error bookkeeping. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idle_label.h"
#include "idle_publisher.h"
#include "idle_pts.h"
#include "idle_sampler.h"
#include "idle_sessions.h"
#include "idle_time.h"
#include "idle_users.h"
#include "idle_window.h"

struct idle_sampler {
	char *pts_dir;
	char *dev_dir;
	char *utmp_file;
	char *proc_dir;
	bool sessions_enabled;
	bool terminals_enabled;
	idle_report_fn report;
	void *report_arg;
	struct idle_window *window;
	struct idle_sessions *sessions;
	struct idle_users *users;
	int last_err[IDLE_SOURCE_COUNT]; /* to report a failure when it starts and when it clears */
	uint64_t errors[IDLE_SOURCE_COUNT];
};

void
idle_sampler_config_defaults(struct idle_sampler_config *config)
{
	memset(config, 0, sizeof(*config));
	config->pts_dir = IDLE_DEFAULT_PTS_DIR;
	config->dev_dir = IDLE_DEFAULT_DEV_DIR;
	config->utmp_file = IDLE_DEFAULT_UTMP_FILE;
	config->proc_dir = IDLE_DEFAULT_PROC_DIR;
	config->window = IDLE_DEFAULT_WINDOW;
	config->sessions = true;
	config->terminals = true;
}

struct idle_sampler *
idle_sampler_new(const struct idle_sampler_config *config)
{
	struct idle_sessions_paths paths = {config->utmp_file, config->dev_dir, config->proc_dir};
	struct idle_sampler *sampler;
	int saved;

	if (config->pts_dir == NULL || config->dev_dir == NULL || config->utmp_file == NULL ||
	    config->proc_dir == NULL || config->window == 0) {
		errno = EINVAL;
		return NULL;
	}
	sampler = calloc(1, sizeof(*sampler));
	if (sampler == NULL)
		return NULL;
	sampler->sessions_enabled = config->sessions;
	sampler->terminals_enabled = config->terminals;
	sampler->report = config->report;
	sampler->report_arg = config->report_arg;
	sampler->pts_dir = strdup(config->pts_dir);
	sampler->dev_dir = strdup(config->dev_dir);
	sampler->utmp_file = strdup(config->utmp_file);
	sampler->proc_dir = strdup(config->proc_dir);
	sampler->window = idle_window_new(config->window);
	sampler->users = idle_users_new();
	if (config->sessions)
		/* Its own cache: sessions are sampled on another thread than the terminals. */
		sampler->sessions = idle_sessions_new(&paths, NULL);
	if (sampler->pts_dir == NULL || sampler->dev_dir == NULL || sampler->utmp_file == NULL ||
	    sampler->proc_dir == NULL || sampler->window == NULL || sampler->users == NULL ||
	    (config->sessions && sampler->sessions == NULL)) {
		saved = errno ? errno : ENOMEM;
		idle_sampler_free(sampler);
		errno = saved;
		return NULL;
	}
	return sampler;
}

void
idle_sampler_free(struct idle_sampler *sampler)
{
	if (sampler == NULL)
		return;
	free(sampler->pts_dir);
	free(sampler->dev_dir);
	free(sampler->utmp_file);
	free(sampler->proc_dir);
	idle_window_free(sampler->window);
	idle_sessions_free(sampler->sessions);
	idle_users_free(sampler->users);
	free(sampler);
}

struct terminal_ctx {
	struct idle_sampler *sampler;
	const struct timespec *now;
	struct idle_snapshot *snap;
	struct idle_subject *subject;
};

/*
 * Adds one terminal's values.  Left out of the list (still counted in idle_terminals): a name
 * too long for a tty label, and one that is not valid UTF-8, whose repaired label could equal
 * another terminal's and make two series one.  devpts only makes decimal names.
 */
static int
add_terminal(void *arg, const char *name, const struct stat *st)
{
	struct terminal_ctx *ctx = arg;
	struct idle_terminal term;
	size_t len = strlen(name);

	/* memcpy, not snprintf: with thousands of terminals this is the poll's hot loop. */
	if (len + sizeof("pts/") > sizeof(term.tty) || !idle_label_is_utf8(name, len))
		return 0;
	memcpy(term.tty, "pts/", 4);
	memcpy(term.tty + 4, name, len + 1);
	idle_users_name(ctx->sampler->users, st->st_uid, ctx->now, term.user, sizeof(term.user));
	term.input_seconds = idle_time_age_seconds(ctx->now, &st->st_atim);
	term.output_seconds = idle_time_age_seconds(ctx->now, &st->st_mtim);
	term.input_time = idle_time_seconds(&st->st_atim);
	term.output_time = idle_time_seconds(&st->st_mtim);
	return idle_snapshot_add_terminal(ctx->snap, ctx->subject, &term);
}

/*
 * Orders pts/2 before pts/10: shorter names first, then bytewise, which is numeric order for
 * devpts' decimal names and a total order for anything else.
 */
static int
compare_terminals(const void *a, const void *b)
{
	const char *x = ((const struct idle_terminal *)a)->tty;
	const char *y = ((const struct idle_terminal *)b)->tty;
	size_t lx = strlen(x), ly = strlen(y);

	if (lx != ly)
		return lx < ly ? -1 : 1;
	return memcmp(x, y, lx);
}

/* Sorts a subject's terminals; devpts lists them newest first, so a reversed list is common and
 * O(n). */
static void
sort_terminals(struct idle_snapshot *snap, const struct idle_subject *subject)
{
	struct idle_terminal *t = snap->terminals + subject->first_terminal, swap;
	size_t n = subject->terminals_len, i;
	bool reversed = true;

	for (i = 1; i < n && reversed; i++)
		reversed = compare_terminals(&t[i - 1], &t[i]) > 0;
	if (!reversed) {
		qsort(t, n, sizeof(*t), compare_terminals);
		return;
	}
	for (i = 0; i < n / 2; i++) {
		swap = t[i];
		t[i] = t[n - 1 - i];
		t[n - 1 - i] = swap;
	}
}

/* Fills a subject's values from a pts scan, pushing its age into its window. */
static void
fill_subject(struct idle_subject *subject, const struct idle_pts_scan *scan,
	     const struct timespec *now, struct idle_window *window)
{
	subject->has_terminals = true;
	subject->terminal_count = scan->terminals;
	if (scan->terminals > 0) {
		subject->has_input = true;
		subject->input_seconds = idle_time_age_seconds(now, &scan->newest_input);
		subject->output_seconds = idle_time_age_seconds(now, &scan->newest_output);
		subject->input_time = idle_time_seconds(&scan->newest_input);
		subject->output_time = idle_time_seconds(&scan->newest_output);
	}
	if (scan->entries > 0) {
		subject->has_pts_age = true;
		subject->pts_age_seconds = idle_time_age_seconds(now, &scan->newest_mtime);
		idle_window_push(window, subject->pts_age_seconds);
		subject->has_pts_average = true;
		subject->pts_average_seconds = idle_window_mean(window);
	}
}

/* Reads the host's pts directory into snap; returns 0 or the errno that left its values out. */
static int
poll_pts(struct idle_sampler *sampler, const struct timespec *now, struct idle_snapshot *snap)
{
	struct terminal_ctx ctx = {sampler, now, snap, &snap->host};
	struct idle_pts_scan scan;
	int err;

	err = idle_pts_read(sampler->pts_dir, &scan, sampler->terminals_enabled ? add_terminal : NULL,
			    &ctx);
	if (err != 0) {
		snap->terminals_len -= snap->host.terminals_len;
		snap->host.terminals_len = 0;
		return err;
	}
	sort_terminals(snap, &snap->host);
	fill_subject(&snap->host, &scan, now, sampler->window);
	return 0;
}

/* Counts a failed source and reports it when its state changes. */
static void
account(struct idle_sampler *sampler, enum idle_source source, int err, const char *detail)
{
	if (err != 0)
		sampler->errors[source]++;
	if (err != sampler->last_err[source] && sampler->report != NULL)
		sampler->report(sampler->report_arg, source, err, detail);
	sampler->last_err[source] = err;
}

int
idle_sampler_poll(struct idle_sampler *sampler, const struct timespec *now,
		  struct idle_snapshot *snap)
{
	int pts_err;

	idle_snapshot_clear(snap);
	snap->taken = *now;
	pts_err = poll_pts(sampler, now, snap);
	account(sampler, IDLE_SOURCE_PTS, pts_err, sampler->pts_dir);
	snap->errors[IDLE_SOURCE_PTS] = sampler->errors[IDLE_SOURCE_PTS];
	return pts_err == ENOMEM ? ENOMEM : 0;
}

void
idle_sampler_sessions(struct idle_sampler *sampler, const struct timespec *now,
		      struct idle_session_values *out, uint64_t errors[IDLE_SOURCE_COUNT])
{
	int err[IDLE_SOURCE_COUNT] = {0};

	memset(out, 0, sizeof(*out));
	if (!sampler->sessions_enabled)
		return;
	idle_sessions_sample(sampler->sessions, now, out, err);
	account(sampler, IDLE_SOURCE_UTMP, err[IDLE_SOURCE_UTMP], sampler->utmp_file);
	account(sampler, IDLE_SOURCE_DEV, err[IDLE_SOURCE_DEV], sampler->dev_dir);
	account(sampler, IDLE_SOURCE_PROC, err[IDLE_SOURCE_PROC], sampler->proc_dir);
	errors[IDLE_SOURCE_UTMP] = sampler->errors[IDLE_SOURCE_UTMP];
	errors[IDLE_SOURCE_DEV] = sampler->errors[IDLE_SOURCE_DEV];
	errors[IDLE_SOURCE_PROC] = sampler->errors[IDLE_SOURCE_PROC];
}

static void
publish_poll(void *arg, const struct timespec *now, struct idle_snapshot *work)
{
	/* ENOMEM is counted as a pts error inside the snapshot: the rest is worth publishing. */
	(void)idle_sampler_poll(arg, now, work);
}

static void
publish_sessions(void *arg, const struct timespec *now, struct idle_session_values *out,
		 uint64_t errors[IDLE_SOURCE_COUNT])
{
	idle_sampler_sessions(arg, now, out, errors);
}

static void
release_sampler(void *arg)
{
	idle_sampler_free(arg);
}

void
idle_sampler_publisher_ops(struct idle_sampler *sampler, struct idle_publisher_ops *ops)
{
	memset(ops, 0, sizeof(*ops));
	ops->poll = publish_poll;
	ops->sessions = sampler->sessions_enabled ? publish_sessions : NULL;
	ops->release = release_sampler;
	ops->arg = sampler;
}
