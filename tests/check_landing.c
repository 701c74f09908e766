/* SPDX-License-Identifier: MIT */
/* Unit tests of the landing page renderer: hostile names escaped, ages, empty snapshots. */
#include <check.h>
#include <string.h>

#include "check_run.h"
#include "landing.h"

static const char *const flags[] = {"web.telemetry-path=/m<x>", "pts-dir=/dev/\"pts\"", NULL};
static const struct landing_info info = {"1.2.3", "libmicrohttpd 0.9.75", "/metrics", flags};

struct landing_case {
	const char *name;
	const char *tty, *user, *process;
	const char *want[3];  /* substrings the page must hold */
	const char *unwanted; /* a substring it must not */
};

static const struct landing_case landing_cases[] = {
    {"markup in a tty",
     "pts/<script>",
     "root",
     "bash",
     {"<td>pts/&lt;script&gt;</td>", NULL, NULL},
     "<script>"},
    {"quotes and ampersand in a user",
     "pts/1",
     "a\"b'c&d",
     "bash",
     {"<td>a&quot;b&#39;c&amp;d</td>", NULL, NULL},
     "a\"b"},
    {"markup in the process",
     "pts/1",
     "root",
     "</code><img src=x onerror=alert(1)>",
     {"&lt;/code&gt;&lt;img src=x onerror=alert(1)&gt;", NULL, NULL},
     "<img"},
    {"control bytes become U+FFFD",
     "pts/\x1b[2J",
     "root",
     "vi\x7f",
     {"pts/&#xFFFD;[2J", "vi&#xFFFD;", NULL},
     "\x1b"},
    {"flags escaped",
     "pts/1",
     "root",
     "bash",
     {"<code>--web.telemetry-path</code></th><td><code>/m&lt;x&gt;</code>", "/dev/&quot;pts&quot;",
      NULL},
     "/m<x>"},
};

/* A snapshot with one terminal and one session, from a case's names. */
static void
snapshot_of(struct idle_snapshot *snap, struct idle_terminal *term, const struct landing_case *c)
{
	memset(snap, 0, sizeof(*snap));
	memset(term, 0, sizeof(*term));
	strncpy(term->tty, c->tty, sizeof(term->tty) - 1);
	strncpy(term->user, c->user, sizeof(term->user) - 1);
	term->input_seconds = 4.2;
	term->output_seconds = 7300;
	snap->terminals = term;
	snap->terminals_len = 1;
	snap->host.has_terminals = true;
	snap->host.terminals_len = 1;
	snap->sessions.has_sessions = true;
	snap->sessions.session_count = 1;
	snap->sessions.has_w_idle = true;
	snap->sessions.w_idle_seconds = 187;
	strncpy(snap->sessions.w_process, c->process, sizeof(snap->sessions.w_process) - 1);
}

START_TEST(test_landing_cases)
{
	const struct landing_case *c = &landing_cases[_i];
	struct idle_snapshot snap;
	struct idle_terminal term;
	struct idle_buf out;
	size_t i;

	snapshot_of(&snap, &term, c);
	idle_buf_init(&out);
	landing_render(&out, &info, &snap);
	ck_assert_msg(out.err == 0, "%s: render failed", c->name);
	for (i = 0; i < 3 && c->want[i] != NULL; i++)
		ck_assert_msg(strstr(out.data, c->want[i]) != NULL, "%s: no '%s' in:\n%s", c->name,
			      c->want[i], out.data);
	ck_assert_msg(strstr(out.data, c->unwanted) == NULL, "%s: '%s' unescaped", c->name,
		      c->unwanted);
	ck_assert_msg(strstr(out.data, "<script") == NULL, "%s: a script element", c->name);
	/* The ages as w prints them. */
	ck_assert_msg(strstr(out.data, "4.20s") != NULL, "%s: input age", c->name);
	ck_assert_msg(strstr(out.data, "2:01h") != NULL, "%s: output age", c->name);
	ck_assert_msg(strstr(out.data, "3:07m") != NULL, "%s: w idle", c->name);
	ck_assert_msg(strstr(out.data, "<a href=\"/metrics\">") != NULL, "%s: link", c->name);
	ck_assert_msg(strstr(out.data, "<h1>idle-exporter 1.2.3</h1>") != NULL, "%s: version",
		      c->name);
	idle_buf_free(&out);
}
END_TEST

/* Before the first poll, or with no terminal and no session, the page says so. */
START_TEST(test_landing_empty)
{
	struct idle_snapshot snap;
	struct idle_buf out;

	memset(&snap, 0, sizeof(snap));
	idle_buf_init(&out);
	landing_render(&out, &info, &snap);
	ck_assert_int_eq(out.err, 0);
	ck_assert_ptr_nonnull(strstr(out.data, "None at the last poll"));
	ck_assert_ptr_nonnull(strstr(out.data, "Not read at the last poll"));
	ck_assert_ptr_null(strstr(out.data, "<td>pts/"));
	idle_buf_reset(&out);
	landing_render(&out, &info, NULL);
	ck_assert_int_eq(out.err, 0);
	ck_assert_ptr_nonnull(strstr(out.data, "</html>"));
	idle_buf_free(&out);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("landing");
	TCase *tc = tcase_create("landing");

	tcase_add_loop_test(tc, test_landing_cases, 0, CHECK_ROWS(landing_cases));
	tcase_add_test(tc, test_landing_empty);
	suite_add_tcase(s, tc);
	return check_run(s);
}
