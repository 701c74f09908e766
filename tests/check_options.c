/* SPDX-License-Identifier: MIT */
/* Unit tests of idle-exporter's flags: listen addresses, values, and errors by name. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "options.h"

struct listen_case {
	const char *name;
	const char *text;
	int err;
	const char *host;
	unsigned short port;
};

static const struct listen_case listen_cases[] = {
	{"port only", ":3003", 0, "", 3003},
	{"IPv4 host", "127.0.0.1:9100", 0, "127.0.0.1", 9100},
	{"IPv6 in brackets", "[::1]:8080", 0, "::1", 8080},
	{"host name", "localhost:1", 0, "localhost", 1},
	{"port zero", ":0", 0, "", 0},
	{"no colon", "3003", 1, NULL, 0},
	{"empty port", "127.0.0.1:", 1, NULL, 0},
	{"port too big", ":65536", 1, NULL, 0},
	{"negative port", ":-1", 1, NULL, 0},
	{"port with junk", ":30x", 1, NULL, 0},
	{"bare IPv6", "::1:3003", 1, NULL, 0},
	{"unclosed bracket", "[::1:3003", 1, NULL, 0},
};

START_TEST(test_listen_cases)
{
	const struct listen_case *c = &listen_cases[_i];
	char host[64] = "unchanged";
	unsigned short port = 7;
	int err = options_parse_listen(c->text, host, sizeof(host), &port);

	ck_assert_msg((err != 0) == (c->err != 0), "%s: err %d", c->name, err);
	if (c->err == 0) {
		ck_assert_msg(strcmp(host, c->host) == 0, "%s: host '%s'", c->name, host);
		ck_assert_msg(port == c->port, "%s: port %u", c->name, port);
	}
}
END_TEST

struct flags_case {
	const char *name;
	const char *args[4];
	int rc;
	const char *error_names; /* a word the error line must hold */
};

static const struct flags_case flags_cases[] = {
	{"defaults", {NULL}, 0, NULL},
	{"all good", {"--web.listen-address=127.0.0.1:9", "--window=5", "--poll-interval=0.5", NULL},
	 0, NULL},
	{"unknown flag", {"--nope", NULL}, 2, "--nope"},
	{"missing value", {"--window", NULL}, 2, "--window"},
	{"window zero", {"--window=0", NULL}, 2, "window"},
	{"window not a number", {"--window=ten", NULL}, 2, "window"},
	{"poll interval zero", {"--poll-interval=0", NULL}, 2, "poll-interval"},
	{"poll interval nan", {"--poll-interval=nan", NULL}, 2, "poll-interval"},
	{"bad listen address", {"--web.listen-address=nowhere", NULL}, 2, "web.listen-address"},
	{"relative telemetry path", {"--web.telemetry-path=metrics", NULL}, 2, "telemetry-path"},
	{"empty pts dir", {"--pts-dir=", NULL}, 2, "pts-dir"},
	{"stray argument", {"extra", NULL}, 2, "extra"},
	{"abbreviation refused", {"--windo=3", NULL}, 2, "--windo"},
	{"abbreviation with a separate value refused", {"--windo", "3", NULL}, 2, "--windo"},
	{"separate value accepted", {"--window", "3", NULL}, 0, NULL},
	{"short option named", {"-xy", NULL}, 2, "-x"},
};

START_TEST(test_flags_cases)
{
	const struct flags_case *c = &flags_cases[_i];
	char *argv[6] = {"idle-exporter"};
	struct options opts;
	char err[256] = "";
	int argc = 1, rc;

	while (c->args[argc - 1] != NULL) {
		argv[argc] = (char *)c->args[argc - 1];
		argc++;
	}
	rc = options_parse(&opts, argc, argv, err, sizeof(err));
	ck_assert_msg(rc == c->rc, "%s: rc %d (%s)", c->name, rc, err);
	if (c->error_names != NULL)
		ck_assert_msg(strstr(err, c->error_names) != NULL, "%s: error '%s'", c->name, err);
}
END_TEST

START_TEST(test_values_applied)
{
	char *argv[] = {"idle-exporter", "--web.listen-address=[::1]:9999", "--window=5",
			"--poll-interval=0.5", "--pts-dir=/x/pts", "--web.telemetry-path=/m",
			NULL};
	struct options opts;
	char err[256];

	ck_assert_int_eq(options_parse(&opts, 6, argv, err, sizeof(err)), 0);
	ck_assert_str_eq(opts.listen_host, "::1");
	ck_assert_uint_eq(opts.listen_port, 9999);
	ck_assert_uint_eq(opts.sampler.window, 5);
	ck_assert(opts.poll_seconds == 0.5);
	ck_assert_str_eq(opts.sampler.pts_dir, "/x/pts");
	ck_assert_str_eq(opts.telemetry_path, "/m");
	ck_assert_str_eq(opts.sampler.utmp_file, "/var/run/utmp");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("options");

	tcase_add_loop_test(tc, test_listen_cases, 0,
			    sizeof(listen_cases) / sizeof(listen_cases[0]));
	tcase_add_loop_test(tc, test_flags_cases, 0, sizeof(flags_cases) / sizeof(flags_cases[0]));
	tcase_add_test(tc, test_values_applied);
	suite_add_tcase(s, tc);
	return check_run(s);
}
