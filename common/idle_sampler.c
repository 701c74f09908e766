/* SPDX-License-Identifier: MIT */
/* One poll of every source into a snapshot, with the rolling average and error bookkeeping. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idle_label.h"
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
		sampler->sessions = idle_sessions_new(&paths, sampler->users);
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
	return idle_snapshot_add_terminal(ctx->snap, &term);
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

/* Sorts the terminals; devpts lists them newest first, so a reversed list is common and O(n). */
static void
sort_terminals(struct idle_snapshot *snap)
{
	struct idle_terminal *t = snap->terminals, swap;
	size_t n = snap->terminals_len, i;
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

/* Reads the pts directory into snap; returns 0 or the errno that left its values out. */
static int
poll_pts(struct idle_sampler *sampler, const struct timespec *now, struct idle_snapshot *snap)
{
	struct terminal_ctx ctx = {sampler, now, snap};
	struct idle_pts_scan scan;
	int err;

	err = idle_pts_read(sampler->pts_dir, &scan, sampler->terminals_enabled ? add_terminal : NULL,
			    &ctx);
	if (err != 0) {
		snap->terminals_len = 0;
		return err;
	}
	sort_terminals(snap);
	snap->has_terminals = true;
	snap->terminal_count = scan.terminals;
	if (scan.terminals > 0) {
		snap->has_input = true;
		snap->input_seconds = idle_time_age_seconds(now, &scan.newest_input);
		snap->output_seconds = idle_time_age_seconds(now, &scan.newest_output);
	}
	if (scan.entries > 0) {
		snap->has_pts_age = true;
		snap->pts_age_seconds = idle_time_age_seconds(now, &scan.newest_mtime);
		idle_window_push(sampler->window, snap->pts_age_seconds);
		snap->has_pts_average = true;
		snap->pts_average_seconds = idle_window_mean(sampler->window);
	}
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
	int err[IDLE_SOURCE_COUNT] = {0};
	int pts_err;

	idle_snapshot_clear(snap);
	snap->taken = *now;
	pts_err = poll_pts(sampler, now, snap);
	account(sampler, IDLE_SOURCE_PTS, pts_err, sampler->pts_dir);
	if (sampler->sessions_enabled) {
		idle_sessions_sample(sampler->sessions, now, snap, err);
		account(sampler, IDLE_SOURCE_UTMP, err[IDLE_SOURCE_UTMP], sampler->utmp_file);
		account(sampler, IDLE_SOURCE_DEV, err[IDLE_SOURCE_DEV], sampler->dev_dir);
		account(sampler, IDLE_SOURCE_PROC, err[IDLE_SOURCE_PROC], sampler->proc_dir);
	}
	memcpy(snap->errors, sampler->errors, sizeof(snap->errors));
	return pts_err == ENOMEM ? ENOMEM : 0;
}
