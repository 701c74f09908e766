/* SPDX-License-Identifier: MIT */
/* Unit tests of the collectd identifiers: every metric, left-out values, labels. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "map.h"

/* Finds the value with this plugin_instance and type_instance, or NULL. */
static const struct map_value *
find(const struct map_values *vals, const char *pinst, const char *tinst)
{
	size_t i;

	for (i = 0; i < vals->len; i++)
		if (strcmp(vals->v[i].plugin_instance, pinst) == 0 &&
		    strcmp(vals->v[i].type_instance, tinst) == 0)
			return &vals->v[i];
	return NULL;
}

/* A snapshot with every value present and two terminals. */
static void
full_snapshot(struct idle_snapshot *snap)
{
	struct idle_terminal a = {"pts/2", "alice", 3.5, 1.25, 1700000000, 1700000002.25};
	struct idle_terminal b = {"pts/10", "www-data", 100, 50, 1699999903.5, 1699999953.5};

	idle_snapshot_init(snap);
	snap->host.has_pts_age = true;
	snap->host.pts_age_seconds = 1.25;
	snap->host.has_pts_average = true;
	snap->host.pts_average_seconds = 2.5;
	snap->host.has_terminals = true;
	snap->host.terminal_count = 2;
	snap->host.has_input = true;
	snap->host.input_seconds = 3.5;
	snap->host.output_seconds = 1.25;
	ck_assert_int_eq(idle_snapshot_add_terminal(snap, &snap->host, &a), 0);
	ck_assert_int_eq(idle_snapshot_add_terminal(snap, &snap->host, &b), 0);
	snap->sessions.has_sessions = true;
	snap->sessions.session_count = 3;
	snap->sessions.has_w_idle = true;
	snap->sessions.w_idle_seconds = 7.75;
	strcpy(snap->sessions.w_process, "-bash");
	snap->errors[IDLE_SOURCE_UTMP] = 4;
}

struct expect {
	const char *pinst;
	const char *tinst;
	const char *type;
	double value; /* gauge, or the derive as a double */
};

static const struct expect full_expect[] = {
	{"user_input_idle_time", "", "duration", 1.25},
	{"avg_user_input_idle_time", "", "duration", 2.5},
	{"user_w_idle_time", "-bash", "duration", 7.75},
	{"idle_terminals", "", "count", 2},
	{"idle_input_seconds", "", "duration", 3.5},
	{"idle_output_seconds", "", "duration", 1.25},
	{"idle_terminal_input_seconds", "alice@pts-2", "duration", 3.5},
	{"idle_terminal_output_seconds", "alice@pts-2", "duration", 1.25},
	{"idle_terminal_input_seconds", "www-data@pts-10", "duration", 100},
	{"idle_terminal_output_seconds", "www-data@pts-10", "duration", 50},
	{"idle_sessions", "", "count", 3},
	{"idle_collect_errors_total", "pts", "derive", 0},
	{"idle_collect_errors_total", "utmp", "derive", 4},
	{"idle_collect_errors_total", "dev", "derive", 0},
	{"idle_collect_errors_total", "proc", "derive", 0},
};

START_TEST(test_map_full)
{
	const struct expect *e = &full_expect[_i];
	const struct map_value *v;
	struct map_values vals;
	struct idle_snapshot snap;

	full_snapshot(&snap);
	map_values_init(&vals);
	ck_assert_int_eq(map_snapshot(&vals, &snap, SIZE_MAX), 0);
	ck_assert_msg(vals.len == sizeof(full_expect) / sizeof(full_expect[0]), "%s: %zu values",
		      e->pinst, vals.len);
	v = find(&vals, e->pinst, e->tinst);
	ck_assert_msg(v != NULL, "%s/%s: missing", e->pinst, e->tinst);
	ck_assert_msg(strcmp(v->type, e->type) == 0, "%s: type %s", e->pinst, v->type);
	ck_assert_msg(v->is_derive == (strcmp(e->type, "derive") == 0), "%s: is_derive", e->pinst);
	ck_assert_msg((v->is_derive ? (double)v->derive : v->gauge) == e->value, "%s/%s: value %g",
		      e->pinst, e->tinst, v->is_derive ? (double)v->derive : v->gauge);
	map_values_free(&vals);
	idle_snapshot_free(&snap);
}
END_TEST

START_TEST(test_map_no_terminals_flag)
{
	struct map_values vals;
	struct idle_snapshot snap;

	full_snapshot(&snap);
	map_values_init(&vals);
	ck_assert_int_eq(map_snapshot(&vals, &snap, 0), 0);
	ck_assert_uint_eq(vals.len, sizeof(full_expect) / sizeof(full_expect[0]) - 4);
	ck_assert_ptr_null(find(&vals, "idle_terminal_input_seconds", "alice@pts-2"));
	ck_assert_ptr_nonnull(find(&vals, "idle_terminals", ""));
	map_values_free(&vals);
	idle_snapshot_free(&snap);
}
END_TEST

/* Past the cap, terminals get no values and are counted. */
START_TEST(test_map_terminal_cap)
{
	struct map_values vals;
	struct idle_snapshot snap;

	full_snapshot(&snap);
	map_values_init(&vals);
	ck_assert_int_eq(map_snapshot(&vals, &snap, 1), 0);
	ck_assert_uint_eq(vals.len, sizeof(full_expect) / sizeof(full_expect[0]) - 2);
	ck_assert_ptr_nonnull(find(&vals, "idle_terminal_input_seconds", "alice@pts-2"));
	ck_assert_ptr_null(find(&vals, "idle_terminal_input_seconds", "www-data@pts-10"));
	ck_assert_ptr_null(find(&vals, "idle_terminal_output_seconds", "www-data@pts-10"));
	ck_assert_uint_eq(vals.terminals_left_out, 1);
	map_values_free(&vals);
	idle_snapshot_free(&snap);
}
END_TEST

START_TEST(test_map_left_out)
{
	struct map_values vals;
	struct idle_snapshot snap;
	const struct map_value *v;

	/* Nothing readable: only the four error counters remain. */
	idle_snapshot_init(&snap);
	map_values_init(&vals);
	ck_assert_int_eq(map_snapshot(&vals, &snap, SIZE_MAX), 0);
	ck_assert_uint_eq(vals.len, 4);
	ck_assert_ptr_nonnull(find(&vals, "idle_collect_errors_total", "proc"));

	/* Sessions read, nobody logged in: exactly one NaN with an empty process. */
	snap.sessions.has_sessions = true;
	ck_assert_int_eq(map_snapshot(&vals, &snap, SIZE_MAX), 0);
	ck_assert_uint_eq(vals.len, 6);
	v = find(&vals, "user_w_idle_time", "");
	ck_assert_ptr_nonnull(v);
	ck_assert(isnan(v->gauge));
	ck_assert_ptr_nonnull(find(&vals, "idle_sessions", ""));

	/* Terminals read, none open: a count but no input or output age. */
	snap.host.has_terminals = true;
	ck_assert_int_eq(map_snapshot(&vals, &snap, SIZE_MAX), 0);
	ck_assert_ptr_nonnull(find(&vals, "idle_terminals", ""));
	ck_assert_ptr_null(find(&vals, "idle_input_seconds", ""));
	map_values_free(&vals);
	idle_snapshot_free(&snap);
}
END_TEST

struct label_case {
	const char *name;
	const char *raw;
	size_t cap;
	size_t size;
	const char *want;
	int fits;
};

static const struct label_case label_cases[] = {
	{"plain", "bash", 128, 128, "bash", 1},
	{"slash kept", "/usr/bin/vim", 128, 128, "/usr/bin/vim", 1},
	{"quote and backslash raw", "a\"b\\c", 128, 128, "a\"b\\c", 1},
	{"invalid byte", "a\xffz", 128, 128, "a\xef\xbf\xbdz", 1},
	{"overlong", "\xc0\xaf", 128, 128, "\xef\xbf\xbd\xef\xbf\xbd", 1},
	{"surrogate", "\xed\xa0\x80", 128, 128, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 1},
	{"valid multibyte", "caf\xc3\xa9", 128, 128, "caf\xc3\xa9", 1},
	{"input cap", "abcdef", 3, 128, "abc", 1},
	{"cap cuts a sequence: dropped, as the exporter does", "\xc3\xa9", 1, 128, "", 1},
	{"output cut at a boundary", "ab\xc3\xa9", 128, 4, "ab", 0},
	{"replacement does not fit", "a\xff", 128, 3, "a", 0},
	{"empty", "", 128, 128, "", 1},
};

START_TEST(test_label_cases)
{
	const struct label_case *c = &label_cases[_i];
	char out[128];
	bool fits;

	fits = map_label(out, c->size, c->raw, c->cap);
	ck_assert_msg(strcmp(out, c->want) == 0, "%s: got \"%s\"", c->name, out);
	ck_assert_msg(fits == (c->fits != 0), "%s: fits %d", c->name, fits);
}
END_TEST

START_TEST(test_terminal_instance)
{
	char out[MAP_NAME_MAX];
	char user[IDLE_USER_MAX];

	map_terminal_instance(out, sizeof(out), "alice", "pts/3");
	ck_assert_str_eq(out, "alice@pts-3");
	map_terminal_instance(out, sizeof(out), "1000", "pts/x/y");
	ck_assert_str_eq(out, "1000@pts-x-y");
	/* 32 invalid bytes grow to 96: the tty still fits in 127 bytes. */
	memset(user, 0xff, sizeof(user) - 1);
	user[sizeof(user) - 1] = '\0';
	map_terminal_instance(out, sizeof(out), user, "pts/12345");
	ck_assert_uint_eq(strlen(out), 96 + strlen("@pts-12345"));
	ck_assert_str_eq(out + 96, "@pts-12345");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("plugin_map");
	TCase *tc = tcase_create("map");

	tcase_add_loop_test(tc, test_map_full, 0,
			    (int)(sizeof(full_expect) / sizeof(full_expect[0])));
	tcase_add_test(tc, test_map_no_terminals_flag);
	tcase_add_test(tc, test_map_left_out);
	tcase_add_test(tc, test_map_terminal_cap);
	tcase_add_loop_test(tc, test_label_cases, 0,
			    (int)(sizeof(label_cases) / sizeof(label_cases[0])));
	tcase_add_test(tc, test_terminal_instance);
	suite_add_tcase(s, tc);
	return check_run(s);
}
