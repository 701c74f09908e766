/* SPDX-License-Identifier: MIT */
/* Unit tests of the exposition rendering: golden text, label escaping, UTF-8 repair, numbers. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check_run.h"
#include "idle_expo.h"

struct label_case {
	const char *name;
	const char *raw;
	size_t cap;
	const char *want;
};

static const struct label_case label_cases[] = {
	{"plain", "bash", 128, "bash"},
	{"empty", "", 128, ""},
	{"backslash", "a\\b", 128, "a\\\\b"},
	{"double quote", "a\"b", 128, "a\\\"b"},
	{"newline", "a\nb", 128, "a\\nb"},
	{"injection attempt", "x\"} 1\nevil_metric 2", 128, "x\\\"} 1\\nevil_metric 2"},
	{"valid UTF-8 kept", "caf\xc3\xa9", 128, "caf\xc3\xa9"},
	{"invalid byte replaced", "a\xffz", 128, "a\xef\xbf\xbdz"},
	{"lone continuation replaced", "\x80", 128, "\xef\xbf\xbd"},
	{"overlong form replaced", "\xc0\xaf", 128, "\xef\xbf\xbd\xef\xbf\xbd"},
	{"surrogate replaced", "\xed\xa0\x80", 128, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
	{"truncated sequence replaced", "\xe2\x82", 128, "\xef\xbf\xbd\xef\xbf\xbd"},
	{"cap cuts", "abcdef", 3, "abc"},
	{"cap never splits a sequence", "ab\xc3\xa9", 3, "ab"},
	{"invalid byte at the cap replaced", "ab\xff\xa9", 3, "ab\xef\xbf\xbd"},
	{"four-byte sequence kept", "\xf0\x9f\x98\x80", 128, "\xf0\x9f\x98\x80"},
	{"past U+10FFFF replaced", "\xf4\x90\x80\x80", 128,
	 "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
};

START_TEST(test_label_cases)
{
	const struct label_case *c = &label_cases[_i];
	struct idle_buf buf;

	idle_buf_init(&buf);
	idle_expo_label_value(&buf, c->raw, c->cap);
	ck_assert_msg(buf.err == 0, "%s: err", c->name);
	ck_assert_msg(buf.len == strlen(c->want) && memcmp(buf.data ? buf.data : "", c->want,
							   buf.len) == 0,
		      "%s: got '%s'", c->name, buf.data ? buf.data : "");
	idle_buf_free(&buf);
}
END_TEST

struct number_case {
	const char *name;
	double value;
	const char *want;
};

static const struct number_case number_cases[] = {
	{"integer", 24, "24"},
	{"fraction", 14.945897, "14.945897"},
	{"shortest round trip", 0.1, "0.1"},
	{"needs 17 digits", 11.900574714285712, "11.900574714285712"},
	{"nan", NAN, "NaN"},
	{"plus infinity", INFINITY, "+Inf"},
	{"minus infinity", -INFINITY, "-Inf"},
	{"zero", 0, "0"},
	{"negative zero keeps its sign", -0.0, "-0"},
	{"negative whole", -7, "-7"},
	{"largest fast whole number", 999999999999999, "999999999999999"},
	{"1e15 as %.15g writes it", 1e15, "1e+15"},
	{"timestamp with a fraction", 1700000027.5, "1700000027.5"},
};

START_TEST(test_number_cases)
{
	const struct number_case *c = &number_cases[_i];
	struct idle_buf buf;

	idle_buf_init(&buf);
	idle_expo_number(&buf, c->value);
	ck_assert_msg(strcmp(buf.data, c->want) == 0, "%s: got %s", c->name, buf.data);
	idle_buf_free(&buf);
}
END_TEST

/* What idle_expo_number wrote before its decimal fast path: the oracle it must agree with. */
static void
printf_number(double value, char *text, size_t size)
{
	snprintf(text, size, "%.15g", value);
	if (strtod(text, NULL) != value)
		snprintf(text, size, "%.17g", value);
}

/* A reproducible stream of 64-bit values (xorshift64*). */
static uint64_t
next_random(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 2685821657736338717ULL;
}

/* Compares value's text with the oracle's, both signs; returns false on a difference. */
static bool
same_as_printf(double value)
{
	char want[40];
	struct idle_buf buf;
	bool same;
	int sign;

	for (sign = 0; sign < 2; sign++, value = -value) {
		if (value == (double)(long long)value || isnan(value) || isinf(value))
			continue; /* whole numbers and the rest have their own cases */
		printf_number(value, want, sizeof(want));
		idle_buf_init(&buf);
		idle_expo_number(&buf, value);
		same = strcmp(buf.data, want) == 0;
		if (!same)
			fprintf(stderr, "%.17g: got %s, printf %s\n", value, buf.data, want);
		idle_buf_free(&buf);
		if (!same)
			return false;
	}
	return true;
}

/* Ages and timestamps as the sampler makes them (nanoseconds over 1e9), decimals of a few
 * digits, any bit pattern, and the edges of the fast path: the same text as printf's. */
START_TEST(test_number_matches_printf)
{
	static const double edges[] = {1e-4, 1e15, 0.1, 0.3, 2.5e-4, 123456789012345.6,
				       99999999999999.99, 999999999999999.4, 0.000123456789012345};
	uint64_t state = 88172645463325252ULL, bits;
	double v, d;
	size_t i, bad = 0;

	for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		bad += !same_as_printf(edges[i]);
		bad += !same_as_printf(nextafter(edges[i], 0));
		bad += !same_as_printf(nextafter(edges[i], INFINITY));
	}
	for (i = 0; i < 40000 && bad < 10; i++) {
		/* now - t in ns, over 1e9: ages of up to a year, and timestamps */
		bits = next_random(&state);
		bad += !same_as_printf((double)(bits % 31536000000000000ULL) / 1e9);
		bad += !same_as_printf((double)(1700000000000000000ULL + bits % 100000000000000000ULL) /
				       1e9);
		/* a decimal of 1 to 15 digits at any scale */
		d = (double)(next_random(&state) % 1000000000000000ULL);
		v = d / pow(10, (double)(next_random(&state) % 20));
		bad += !same_as_printf(v);
		/* any double */
		bits = next_random(&state);
		memcpy(&v, &bits, sizeof(v));
		bad += !same_as_printf(v);
	}
	ck_assert_uint_eq(bad, 0);
}
END_TEST

static const char golden_full[] =
	"# HELP user_input_idle_time Time since last user input, based on /dev/pts mod time\n"
	"# TYPE user_input_idle_time gauge\n"
	"user_input_idle_time 14.945897\n"
	"# HELP avg_user_input_idle_time Time since last user input, 1 minute average based on 1 "
	"second polls to improve reliability regardless of prometheus poll rate, based on /dev/pts "
	"mod time\n"
	"# TYPE avg_user_input_idle_time gauge\n"
	"avg_user_input_idle_time 11.900574714285712\n"
	"# HELP user_w_idle_time Time since last user input based on w, process label shows the "
	"WHAT Field of w\n"
	"# TYPE user_w_idle_time gauge\n"
	"user_w_idle_time{process=\"-bash\"} 24\n"
	"# HELP idle_terminals Open terminals in the pts directory, ptmx excluded.\n"
	"# TYPE idle_terminals gauge\n"
	"idle_terminals 1\n"
	"# HELP idle_input_seconds Seconds since any terminal last read input (newest atime in the "
	"pts directory).\n"
	"# TYPE idle_input_seconds gauge\n"
	"idle_input_seconds 30\n"
	"# HELP idle_output_seconds Seconds since any terminal last wrote output (newest mtime in "
	"the pts directory).\n"
	"# TYPE idle_output_seconds gauge\n"
	"idle_output_seconds 2.5\n"
	"# HELP idle_last_input_timestamp_seconds Unix time at which any terminal last read input "
	"(newest atime in the pts directory).\n"
	"# TYPE idle_last_input_timestamp_seconds gauge\n"
	"idle_last_input_timestamp_seconds 1700000000\n"
	"# HELP idle_last_output_timestamp_seconds Unix time at which any terminal last wrote output "
	"(newest mtime in the pts directory).\n"
	"# TYPE idle_last_output_timestamp_seconds gauge\n"
	"idle_last_output_timestamp_seconds 1700000027.5\n"
	"# HELP idle_terminal_input_seconds Seconds since the terminal last read input (its "
	"atime).\n"
	"# TYPE idle_terminal_input_seconds gauge\n"
	"idle_terminal_input_seconds{tty=\"pts/0\",user=\"alice\"} 30\n"
	"# HELP idle_terminal_output_seconds Seconds since the terminal last wrote output (its "
	"mtime).\n"
	"# TYPE idle_terminal_output_seconds gauge\n"
	"idle_terminal_output_seconds{tty=\"pts/0\",user=\"alice\"} 2.5\n"
	"# HELP idle_terminal_last_input_timestamp_seconds Unix time at which the terminal last read "
	"input (its atime).\n"
	"# TYPE idle_terminal_last_input_timestamp_seconds gauge\n"
	"idle_terminal_last_input_timestamp_seconds{tty=\"pts/0\",user=\"alice\"} 1700000000\n"
	"# HELP idle_terminal_last_output_timestamp_seconds Unix time at which the terminal last "
	"wrote output (its mtime).\n"
	"# TYPE idle_terminal_last_output_timestamp_seconds gauge\n"
	"idle_terminal_last_output_timestamp_seconds{tty=\"pts/0\",user=\"alice\"} 1700000027.5\n"
	"# HELP idle_sessions Live login sessions: utmp records of existing users whose login "
	"process runs.\n"
	"# TYPE idle_sessions gauge\n"
	"idle_sessions 1\n"
	"# HELP idle_collect_errors_total Polls in which a source could not be read, by source.\n"
	"# TYPE idle_collect_errors_total counter\n"
	"idle_collect_errors_total{source=\"pts\"} 0\n"
	"idle_collect_errors_total{source=\"utmp\"} 2\n"
	"idle_collect_errors_total{source=\"dev\"} 0\n"
	"idle_collect_errors_total{source=\"proc\"} 0\n"
	"# HELP idle_last_poll_timestamp_seconds Unix time of the poll the values come from; values "
	"of a poll older than a few poll intervals are left out.\n"
	"# TYPE idle_last_poll_timestamp_seconds gauge\n"
	"idle_last_poll_timestamp_seconds 1700000030.25\n"
	"# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n"
	"# TYPE process_cpu_seconds_total counter\n"
	"process_cpu_seconds_total 0.25\n"
	"# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
	"# TYPE process_resident_memory_bytes gauge\n"
	"process_resident_memory_bytes 1048576\n"
	"# HELP process_virtual_memory_bytes Virtual memory size in bytes.\n"
	"# TYPE process_virtual_memory_bytes gauge\n"
	"process_virtual_memory_bytes 8388608\n"
	"# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.\n"
	"# TYPE process_start_time_seconds gauge\n"
	"process_start_time_seconds 1700000000.5\n"
	"# HELP process_open_fds Number of open file descriptors.\n"
	"# TYPE process_open_fds gauge\n"
	"process_open_fds 7\n"
	"# HELP process_max_fds Maximum number of open file descriptors.\n"
	"# TYPE process_max_fds gauge\n"
	"process_max_fds 1024\n"
	"# HELP idle_exporter_build_info A metric with a constant '1' value labeled by the version "
	"of idle-exporter.\n"
	"# TYPE idle_exporter_build_info gauge\n"
	"idle_exporter_build_info{version=\"1.2.3\"} 1\n";

START_TEST(test_golden_full)
{
	struct idle_terminal term = {"pts/0", "alice", 30, 2.5, 1700000000, 1700000027.5};
	struct idle_process_stats proc = {true, 0.25, 1048576, 8388608, 1700000000.5, 7, 1024};
	struct idle_snapshot snap;
	struct idle_buf buf;

	idle_snapshot_init(&snap);
	snap.host.has_pts_age = true;
	snap.host.pts_age_seconds = 14.945897;
	snap.host.has_pts_average = true;
	snap.host.pts_average_seconds = 11.900574714285712;
	snap.host.has_terminals = true;
	snap.host.terminal_count = 1;
	snap.host.has_input = true;
	snap.host.input_seconds = 30;
	snap.host.output_seconds = 2.5;
	snap.host.input_time = 1700000000;
	snap.host.output_time = 1700000027.5;
	snap.taken.tv_sec = 1700000030;
	snap.taken.tv_nsec = 250000000;
	ck_assert_int_eq(idle_snapshot_add_terminal(&snap, &snap.host, &term), 0);
	snap.sessions.has_sessions = true;
	snap.sessions.session_count = 1;
	snap.sessions.has_w_idle = true;
	snap.sessions.w_idle_seconds = 24;
	strcpy(snap.sessions.w_process, "-bash");
	snap.errors[IDLE_SOURCE_UTMP] = 2;
	idle_buf_init(&buf);
	idle_expo_render(&buf, IDLE_EXPO_TEXT, &snap, &proc, "1.2.3");
	ck_assert_int_eq(buf.err, 0);
	ck_assert_str_eq(buf.data, golden_full);
	idle_buf_free(&buf);
	idle_snapshot_free(&snap);
}
END_TEST

static const char golden_nothing[] =
	"# HELP user_w_idle_time Time since last user input based on w, process label shows the "
	"WHAT Field of w\n"
	"# TYPE user_w_idle_time gauge\n"
	"user_w_idle_time{process=\"\"} NaN\n"
	"# HELP idle_sessions Live login sessions: utmp records of existing users whose login "
	"process runs.\n"
	"# TYPE idle_sessions gauge\n"
	"idle_sessions 0\n"
	"# HELP idle_collect_errors_total Polls in which a source could not be read, by source.\n"
	"# TYPE idle_collect_errors_total counter\n"
	"idle_collect_errors_total{source=\"pts\"} 1\n"
	"idle_collect_errors_total{source=\"utmp\"} 0\n"
	"idle_collect_errors_total{source=\"dev\"} 0\n"
	"idle_collect_errors_total{source=\"proc\"} 0\n";

/* Failed pts, no session: the Python exporter's NaN line, pts values left out, no process metrics. */
START_TEST(test_golden_no_session_pts_failed)
{
	struct idle_snapshot snap;
	struct idle_buf buf;

	idle_snapshot_init(&snap);
	snap.sessions.has_sessions = true;
	snap.errors[IDLE_SOURCE_PTS] = 1;
	idle_buf_init(&buf);
	idle_expo_render(&buf, IDLE_EXPO_TEXT, &snap, NULL, NULL);
	ck_assert_str_eq(buf.data, golden_nothing);
	idle_buf_free(&buf);
	idle_snapshot_free(&snap);
}
END_TEST

/* OpenMetrics: counter families lose _total, samples keep it, and the text ends in # EOF. */
START_TEST(test_openmetrics_counters_and_eof)
{
	struct idle_process_stats proc = {true, 0.25, 1, 2, 3, 4, 5};
	struct idle_snapshot snap;
	struct idle_buf buf;
	size_t len;

	idle_snapshot_init(&snap);
	idle_buf_init(&buf);
	idle_expo_render(&buf, IDLE_EXPO_OPENMETRICS, &snap, &proc, "1");
	ck_assert_ptr_nonnull(strstr(buf.data, "\n# TYPE idle_collect_errors counter\n"));
	ck_assert_ptr_nonnull(strstr(buf.data, "\nidle_collect_errors_total{source=\"pts\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(buf.data, "\n# TYPE process_cpu_seconds counter\n"));
	ck_assert_ptr_nonnull(strstr(buf.data, "\nprocess_cpu_seconds_total 0.25\n"));
	ck_assert_ptr_null(strstr(buf.data, "# TYPE idle_collect_errors_total"));
	len = strlen(buf.data);
	ck_assert(len > 6 && strcmp(buf.data + len - 6, "# EOF\n") == 0);
	idle_buf_free(&buf);
	idle_snapshot_free(&snap);
}
END_TEST

/* A hostile process name stays inside its label. */
START_TEST(test_hostile_process_label)
{
	struct idle_snapshot snap;
	struct idle_buf buf;

	idle_snapshot_init(&snap);
	snap.sessions.has_sessions = true;
	snap.sessions.has_w_idle = true;
	snap.sessions.w_idle_seconds = 1;
	strcpy(snap.sessions.w_process, "a\"}\n\\x\xff");
	idle_buf_init(&buf);
	idle_expo_render(&buf, IDLE_EXPO_TEXT, &snap, NULL, NULL);
	ck_assert_ptr_nonnull(
		strstr(buf.data, "user_w_idle_time{process=\"a\\\"}\\n\\\\x\xef\xbf\xbd\"} 1\n"));
	idle_buf_free(&buf);
	idle_snapshot_free(&snap);
}
END_TEST

/* A stale snapshot keeps its error counters and poll time, and no sampled value. */
START_TEST(test_stale_leaves_values_out)
{
	struct idle_snapshot snap;
	struct idle_buf buf;

	idle_snapshot_init(&snap);
	snap.taken.tv_sec = 1700000000;
	snap.host.has_pts_age = true;
	snap.host.has_terminals = true;
	snap.sessions.has_sessions = true;
	snap.stale = true;
	idle_buf_init(&buf);
	idle_expo_render(&buf, IDLE_EXPO_TEXT, &snap, NULL, NULL);
	ck_assert_ptr_null(strstr(buf.data, "user_input_idle_time"));
	ck_assert_ptr_null(strstr(buf.data, "idle_terminals"));
	ck_assert_ptr_null(strstr(buf.data, "user_w_idle_time"));
	ck_assert_ptr_nonnull(strstr(buf.data, "\nidle_collect_errors_total{source=\"pts\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(buf.data, "\nidle_last_poll_timestamp_seconds 1700000000\n"));
	idle_buf_free(&buf);
	idle_snapshot_free(&snap);
}
END_TEST

/* A container's families carry its names after the host's unlabelled series. */
START_TEST(test_container_labels)
{
	struct idle_subject_id id = {"team-a", "nb-0", "main", "uid-1", "abc"}, other = id;
	struct idle_terminal term = {"pts/0", "jovyan", 5, 6, 1, 2};
	struct idle_snapshot snap, copy;
	struct idle_buf buf, again;
	struct idle_subject *c;

	idle_snapshot_init(&snap);
	snap.host.has_terminals = true;
	c = idle_snapshot_add_container(&snap, &id);
	ck_assert_ptr_nonnull(c);
	c->has_terminals = true;
	c->terminal_count = 1;
	c->has_input = true;
	c->input_seconds = 5;
	ck_assert_int_eq(idle_snapshot_add_terminal(&snap, c, &term), 0);
	idle_buf_init(&buf);
	idle_expo_render(&buf, IDLE_EXPO_TEXT, &snap, NULL, NULL);
	ck_assert_ptr_nonnull(strstr(buf.data, "\nidle_terminals 0\nidle_terminals{namespace=\"team-a\","
					       "pod=\"nb-0\",container=\"main\",pod_uid=\"uid-1\","
					       "container_id=\"abc\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(buf.data, "idle_terminal_input_seconds{namespace=\"team-a\","
					       "pod=\"nb-0\",container=\"main\",pod_uid=\"uid-1\","
					       "container_id=\"abc\",tty=\"pts/0\",user=\"jovyan\"} 5\n"));
	/* The labels live in the snapshot: a copy over one that held others renders the same. */
	idle_snapshot_init(&copy);
	other.container_id = "a-much-longer-id-than-abc";
	ck_assert_ptr_nonnull(idle_snapshot_add_container(&copy, &other));
	ck_assert_ptr_nonnull(idle_snapshot_add_container(&copy, &other));
	ck_assert_int_eq(idle_snapshot_copy(&copy, &snap), 0);
	idle_snapshot_free(&snap);
	idle_buf_init(&again);
	idle_expo_render(&again, IDLE_EXPO_TEXT, &copy, NULL, NULL);
	ck_assert_str_eq(again.data, buf.data);
	idle_buf_free(&again);
	idle_buf_free(&buf);
	idle_snapshot_free(&copy);
}
END_TEST

/* The parts of a page, at any size, make exactly the whole page, in both formats. */
START_TEST(test_parts_make_the_page)
{
	static const size_t sizes[] = {1, 37, 500, 4096, 1000000};
	struct idle_process_stats proc = {true, 1.5, 7, 1024, 1e6, 4096, 1.7e9};
	struct idle_terminal term = {"pts/0", "jovyan", 5.25, 6, 1.7e9, 1.7e9 + 0.5};
	char uid[8], cid[8];
	enum idle_expo_format format;
	struct idle_buf whole, parts, part;
	struct idle_snapshot snap;
	struct idle_subject *c;
	size_t i, next, n;
	bool done;

	idle_snapshot_init(&snap);
	snap.host.has_terminals = true;
	ck_assert_int_eq(idle_snapshot_add_terminal(&snap, &snap.host, &term), 0);
	snap.containers_enabled = true;
	for (i = 0; i < 3; i++) {
		struct idle_subject_id id = {"ns", "pod", "main", uid, cid};

		snprintf(uid, sizeof(uid), "u%zu", i);
		snprintf(cid, sizeof(cid), "c%zu", i);
		ck_assert_ptr_nonnull(c = idle_snapshot_add_container(&snap, &id));
		c->has_terminals = c->has_input = true;
		c->terminal_count = 2;
		ck_assert_int_eq(idle_snapshot_add_terminal(&snap, c, &term), 0);
		ck_assert_int_eq(idle_snapshot_add_terminal(&snap, c, &term), 0);
	}
	for (format = IDLE_EXPO_TEXT; format <= IDLE_EXPO_OPENMETRICS; format++) {
		idle_buf_init(&whole);
		idle_expo_render(&whole, format, &snap, &proc, "1.0");
		ck_assert_int_eq(whole.err, 0);
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			idle_buf_init(&parts);
			idle_buf_init(&part);
			next = 0;
			n = 0;
			do {
				idle_buf_reset(&part);
				done = idle_expo_render_part(&part, format, &snap, &proc, "1.0",
							     &next, sizes[i]);
				ck_assert_int_eq(part.err, 0);
				ck_assert(done || part.len >= sizes[i]);
				idle_buf_append(&parts, part.data ? part.data : "", part.len);
				ck_assert_uint_lt(++n, 10000);
			} while (!done);
			ck_assert_msg(parts.len == whole.len && memcmp(parts.data, whole.data,
								       whole.len) == 0,
				      "format %d, parts of %zu: not the page", (int)format, sizes[i]);
			ck_assert(sizes[i] < whole.len ? n > 1 : n == 1);
			idle_buf_free(&part);
			idle_buf_free(&parts);
		}
		idle_buf_free(&whole);
	}
	idle_snapshot_free(&snap);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("expo");
	TCase *tc = tcase_create("expo");

	tcase_add_loop_test(tc, test_label_cases, 0, sizeof(label_cases) / sizeof(label_cases[0]));
	tcase_add_test(tc, test_number_matches_printf);
	tcase_add_loop_test(tc, test_number_cases, 0,
			    sizeof(number_cases) / sizeof(number_cases[0]));
	tcase_add_test(tc, test_golden_full);
	tcase_add_test(tc, test_golden_no_session_pts_failed);
	tcase_add_test(tc, test_hostile_process_label);
	tcase_add_test(tc, test_openmetrics_counters_and_eof);
	tcase_add_test(tc, test_stale_leaves_values_out);
	tcase_add_test(tc, test_container_labels);
	tcase_add_test(tc, test_parts_make_the_page);
	suite_add_tcase(s, tc);
	return check_run(s);
}
