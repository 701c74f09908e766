/* SPDX-License-Identifier: MIT */
/* One pts directory into one subject of a snapshot: its terminals, ages and average. */
#include <stdlib.h>
#include <string.h>

#include "idle_label.h"
#include "idle_pts.h"
#include "idle_subject_poll.h"
#include "idle_time.h"

/* One pass: its settings, and the last owner named (terminals of one owner come in runs). */
struct pass {
	const struct idle_subject_poll *p;
	bool named;
	uid_t uid;
	char name[IDLE_USER_MAX];
};

/* Names uid, asking the owner function only when it differs from the last terminal's. */
static void
owner_name(struct pass *pass, uid_t uid, char *name, size_t size)
{
	if (!pass->named || pass->uid != uid) {
		pass->p->owner(pass->p->owner_arg, uid, pass->p->now, pass->name,
			       sizeof(pass->name));
		pass->uid = uid;
		pass->named = true;
	}
	memcpy(name, pass->name, size < sizeof(pass->name) ? size : sizeof(pass->name));
	name[size - 1] = '\0';
}

/*
 * Adds one terminal's values.  Left out of the list (still counted in idle_terminals): a name
 * too long for a tty label, and one that is not valid UTF-8, whose repaired label could equal
 * another terminal's and make two series one.  devpts only makes decimal names.
 */
static int
add_terminal(void *arg, const char *name, const struct stat *st)
{
	struct pass *pass = arg;
	const struct idle_subject_poll *p = pass->p;
	struct idle_terminal term;
	size_t len = strlen(name);

	/* memcpy, not snprintf: with thousands of terminals this is the poll's hot loop. */
	if (len + sizeof("pts/") > sizeof(term.tty) || !idle_label_is_utf8(name, len))
		return 0;
	memcpy(term.tty, "pts/", 4);
	memcpy(term.tty + 4, name, len + 1);
	owner_name(pass, st->st_uid, term.user, sizeof(term.user));
	term.input_seconds = idle_time_age_seconds(p->now, &st->st_atim);
	term.output_seconds = idle_time_age_seconds(p->now, &st->st_mtim);
	term.input_time = idle_time_seconds(&st->st_atim);
	term.output_time = idle_time_seconds(&st->st_mtim);
	return idle_snapshot_add_terminal(p->snap, p->subject, &term);
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

/* Sorts a subject's terminals; devpts lists them newest first, so a reversed list is common
 * and O(n). */
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

/* Keeps the scan's values, or drops the terminals a failed scan added. */
static int
finish(const struct idle_subject_poll *p, const struct idle_pts_scan *scan, int err)
{
	if (err != 0) {
		p->snap->terminals_len -= p->subject->terminals_len;
		p->subject->terminals_len = 0;
		return err;
	}
	sort_terminals(p->snap, p->subject);
	fill_subject(p->subject, scan, p->now, p->window);
	return 0;
}

int
idle_subject_poll_fd(const struct idle_subject_poll *p, int dir_fd)
{
	struct pass pass = {.p = p};
	struct idle_pts_scan scan;
	int err = idle_pts_read_fd(dir_fd, &scan, p->terminals ? add_terminal : NULL, &pass);

	return finish(p, &scan, err);
}
