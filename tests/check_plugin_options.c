/* SPDX-License-Identifier: MIT */
/* Unit tests of the <Plugin idle> block: every key, defaults, and errors named by key. */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "options.h"

/* One config line as collectd's parser hands it over: a key and up to two values. */
struct line {
	const char *key;
	int nvalues;
	int type; /* OCONFIG_TYPE_* of both values */
	const char *string;
	double number;
	int boolean;
};

struct config_case {
	const char *name;
	struct line lines[3];
	int nlines;
	int rc;             /* 0 or EINVAL */
	const char *in_err; /* substring of the message on error */
	const char *pts_dir;
	size_t window;
	double poll_seconds;
	int report_terminals; /* -1: default (false) */
};

#define STR(k, v) {k, 1, OCONFIG_TYPE_STRING, v, 0, 0}
#define NUM(k, v) {k, 1, OCONFIG_TYPE_NUMBER, NULL, v, 0}
#define BOOL(k, v) {k, 1, OCONFIG_TYPE_BOOLEAN, NULL, 0, v}

static const struct config_case config_cases[] = {
	{"empty block keeps the defaults", {{0}}, 0, 0, NULL, "/dev/pts", 60, 1.0, -1},
	{"PtsDir", {STR("PtsDir", "/tmp/pts")}, 1, 0, NULL, "/tmp/pts", 60, 1.0, -1},
	{"keys are case-insensitive", {STR("ptsdir", "/x")}, 1, 0, NULL, "/x", 60, 1.0, -1},
	{"later key wins", {STR("PtsDir", "/a"), STR("PtsDir", "/b")}, 2, 0, NULL, "/b", 60, 1.0, -1},
	{"AverageWindow", {NUM("AverageWindow", 5)}, 1, 0, NULL, "/dev/pts", 5, 1.0, -1},
	{"PollInterval", {NUM("PollInterval", 0.5)}, 1, 0, NULL, "/dev/pts", 60, 0.5, -1},
	{"ReportTerminals true", {BOOL("ReportTerminals", 1)}, 1, 0, NULL, "/dev/pts", 60, 1.0, 1},
	{"ReportTerminals \"yes\"", {STR("ReportTerminals", "yes")}, 1, 0, NULL, "/dev/pts", 60, 1.0,
	 1},
	{"ReportTerminals false", {BOOL("ReportTerminals", 0)}, 1, 0, NULL, "/dev/pts", 60, 1.0, 0},
	{"unknown key", {STR("Foo", "x")}, 1, EINVAL, "unknown key \"Foo\"", NULL, 0, 0, 0},
	{"unknown key after good ones", {NUM("AverageWindow", 3), BOOL("Bogus", 1)}, 2, EINVAL,
	 "\"Bogus\"", NULL, 0, 0, 0},
	{"empty path", {STR("DevDir", "")}, 1, EINVAL, "\"DevDir\" needs a non-empty", NULL, 0, 0,
	 0},
	{"path as a number", {NUM("UtmpFile", 3)}, 1, EINVAL, "\"UtmpFile\"", NULL, 0, 0, 0},
	{"window zero", {NUM("AverageWindow", 0)}, 1, EINVAL, "\"AverageWindow\"", NULL, 0, 0, 0},
	{"window fraction", {NUM("AverageWindow", 2.5)}, 1, EINVAL, "\"AverageWindow\"", NULL, 0, 0,
	 0},
	{"window too big", {NUM("AverageWindow", 1e9)}, 1, EINVAL, "\"AverageWindow\"", NULL, 0, 0,
	 0},
	{"window as a string", {STR("AverageWindow", "60")}, 1, EINVAL, "\"AverageWindow\"", NULL,
	 0, 0, 0},
	{"poll zero", {NUM("PollInterval", 0)}, 1, EINVAL, "\"PollInterval\"", NULL, 0, 0, 0},
	{"poll negative", {NUM("PollInterval", -1)}, 1, EINVAL, "\"PollInterval\"", NULL, 0, 0, 0},
	{"poll NaN", {NUM("PollInterval", NAN)}, 1, EINVAL, "\"PollInterval\"", NULL, 0, 0, 0},
	{"bool as a word", {STR("ReportTerminals", "maybe")}, 1, EINVAL,
	 "\"ReportTerminals\" needs true or false", NULL, 0, 0, 0},
	{"bool as a number", {NUM("ReportTerminals", 1)}, 1, EINVAL, "\"ReportTerminals\"", NULL, 0,
	 0, 0},
	{"no value", {{"ProcDir", 0, OCONFIG_TYPE_STRING, NULL, 0, 0}}, 1, EINVAL,
	 "\"ProcDir\" takes exactly one value", NULL, 0, 0, 0},
	{"two values", {{"ProcDir", 2, OCONFIG_TYPE_STRING, "/a", 0, 0}}, 1, EINVAL,
	 "\"ProcDir\" takes exactly one value", NULL, 0, 0, 0},
};

/* Builds the oconfig items of a case; values[] must hold 2 per line. */
static void
build(const struct config_case *c, oconfig_item_t *items, oconfig_value_t *values,
      oconfig_item_t *block)
{
	int i, j;

	memset(block, 0, sizeof(*block));
	block->key = "Plugin";
	block->children = items;
	block->children_num = c->nlines;
	for (i = 0; i < c->nlines; i++) {
		memset(&items[i], 0, sizeof(items[i]));
		items[i].key = (char *)c->lines[i].key;
		items[i].values = &values[2 * i];
		items[i].values_num = c->lines[i].nvalues;
		items[i].parent = block;
		for (j = 0; j < 2; j++) {
			values[2 * i + j].type = c->lines[i].type;
			if (c->lines[i].type == OCONFIG_TYPE_STRING)
				values[2 * i + j].value.string = (char *)c->lines[i].string;
			else if (c->lines[i].type == OCONFIG_TYPE_NUMBER)
				values[2 * i + j].value.number = c->lines[i].number;
			else
				values[2 * i + j].value.boolean = c->lines[i].boolean;
		}
	}
}

START_TEST(test_config_cases)
{
	const struct config_case *c = &config_cases[_i];
	struct options cfg;
	oconfig_item_t items[3], block;
	oconfig_value_t values[6];
	char err[256] = "";
	int rc;

	ck_assert_msg(options_init(&cfg) == 0, "%s: init", c->name);
	build(c, items, values, &block);
	rc = options_apply(&cfg, &block, err, sizeof(err));
	ck_assert_msg(rc == c->rc, "%s: rc %d, want %d (%s)", c->name, rc, c->rc, err);
	if (c->rc != 0) {
		ck_assert_msg(strstr(err, c->in_err) != NULL, "%s: message \"%s\" lacks \"%s\"",
			      c->name, err, c->in_err);
	} else {
		ck_assert_msg(strcmp(cfg.pts_dir, c->pts_dir) == 0, "%s: pts_dir %s", c->name,
			      cfg.pts_dir);
		ck_assert_msg(cfg.window == c->window, "%s: window %zu", c->name, cfg.window);
		ck_assert_msg(cfg.poll_seconds == c->poll_seconds, "%s: poll %g", c->name,
			      cfg.poll_seconds);
		ck_assert_msg(cfg.report_terminals == (c->report_terminals == 1),
			      "%s: report_terminals", c->name);
	}
	options_free(&cfg);
}
END_TEST

START_TEST(test_config_to_sampler)
{
	struct options cfg;
	struct idle_sampler_config sc;

	ck_assert_int_eq(options_init(&cfg), 0);
	cfg.report_terminals = true;
	cfg.window = 7;
	options_sampler(&cfg, &sc);
	ck_assert_str_eq(sc.pts_dir, "/dev/pts");
	ck_assert_str_eq(sc.dev_dir, "/dev");
	ck_assert_str_eq(sc.utmp_file, "/var/run/utmp");
	ck_assert_str_eq(sc.proc_dir, "/proc");
	ck_assert_uint_eq(sc.window, 7);
	ck_assert(sc.sessions);
	ck_assert(sc.terminals);
	options_free(&cfg);
	options_free(&cfg); /* twice is fine */
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("plugin_options");
	TCase *tc = tcase_create("config");

	tcase_add_loop_test(tc, test_config_cases, 0,
			    (int)(sizeof(config_cases) / sizeof(config_cases[0])));
	tcase_add_test(tc, test_config_to_sampler);
	suite_add_tcase(s, tc);
	return check_run(s);
}
