/* SPDX-License-Identifier: MIT */
/* Unit tests of idle-exporter's flags: the table, defaults, bounds, --path.rootfs, --help. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "options.h"

#define MAX_ARGS 6

/* Parses name's args (NULL-terminated) into opts; returns options_parse's code. */
static int
parse(struct options *opts, const char *const *args, char *err, size_t errsize)
{
	char *argv[MAX_ARGS + 2] = {"idle-exporter"};
	int argc = 1;

	while (argc <= MAX_ARGS && args[argc - 1] != NULL) {
		argv[argc] = (char *)args[argc - 1];
		argc++;
	}
	err[0] = '\0';
	return options_parse(opts, argc, argv, err, errsize);
}

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
	const char *args[MAX_ARGS + 1];
	int rc;
	const char *error_names; /* a word the error line must hold */
};

static const struct flags_case flags_cases[] = {
	{"defaults", {NULL}, 0, NULL},
	{"all good", {"--web.listen-address=127.0.0.1:9", "--window=5", "--poll-interval=0.5", NULL},
	 0, NULL},
	{"unknown flag", {"--nope", NULL}, 2, "--nope"},
	{"the old --proc-dir is gone", {"--proc-dir=/proc", NULL}, 2, "--proc-dir"},
	{"missing value", {"--window", NULL}, 2, "--window"},
	{"window zero", {"--window=0", NULL}, 2, "window"},
	{"window lowest", {"--window=1", NULL}, 0, NULL},
	{"window highest", {"--window=86400", NULL}, 0, NULL},
	{"window above", {"--window=86401", NULL}, 2, "window"},
	{"window not a number", {"--window=ten", NULL}, 2, "window"},
	{"window negative", {"--window=-1", NULL}, 2, "window"},
	{"poll interval zero", {"--poll-interval=0", NULL}, 2, "poll-interval"},
	{"poll interval lowest", {"--poll-interval=0.01", NULL}, 0, NULL},
	{"poll interval below", {"--poll-interval=0.009", NULL}, 2, "poll-interval"},
	{"poll interval highest", {"--poll-interval=3600", NULL}, 0, NULL},
	{"poll interval above", {"--poll-interval=3600.5", NULL}, 2, "poll-interval"},
	{"poll interval nan", {"--poll-interval=nan", NULL}, 2, "poll-interval"},
	{"poll interval inf", {"--poll-interval=inf", NULL}, 2, "poll-interval"},
	{"max connections zero", {"--web.max-connections=0", NULL}, 2, "max-connections"},
	{"max connections highest", {"--web.max-connections=10000", NULL}, 0, NULL},
	{"max connections above", {"--web.max-connections=10001", NULL}, 2, "max-connections"},
	{"per ip zero", {"--web.max-connections-per-ip=0", NULL}, 2, "per-ip"},
	{"idle timeout above", {"--web.idle-timeout=3601", NULL}, 2, "idle-timeout"},
	{"bad listen address", {"--web.listen-address=nowhere", NULL}, 2, "web.listen-address"},
	{"relative telemetry path", {"--web.telemetry-path=metrics", NULL}, 2, "telemetry-path"},
	{"empty pts dir", {"--pts-dir=", NULL}, 2, "pts-dir"},
	{"empty procfs", {"--path.procfs=", NULL}, 2, "path.procfs"},
	{"empty rootfs", {"--path.rootfs=", NULL}, 2, "path.rootfs"},
	{"empty web config file", {"--web.config.file=", NULL}, 2, "web.config.file"},
	{"log level named", {"--log.level=debug", NULL}, 0, NULL},
	{"log level unknown", {"--log.level=verbose", NULL}, 2, "log.level"},
	{"log level in capitals", {"--log.level=INFO", NULL}, 2, "log.level"},
	{"log format json", {"--log.format", "json", NULL}, 0, NULL},
	{"log format unknown", {"--log.format=text", NULL}, 2, "log.format"},
	{"boolean with a value", {"--collector.sessions=false", NULL}, 2, "takes no value"},
	{"negated boolean with a value", {"--no-collector.sessions=1", NULL}, 2, "takes no value"},
	{"no --no- form of a switch", {"--no-help", NULL}, 2, "--no-help"},
	{"stray argument", {"extra", NULL}, 2, "extra"},
	{"abbreviation refused", {"--windo=3", NULL}, 2, "--windo"},
	{"abbreviation with a separate value refused", {"--windo", "3", NULL}, 2, "--windo"},
	{"abbreviation of a --no- form refused", {"--no-collector.session", NULL}, 2,
	 "--no-collector.session"},
	{"abbreviation without its value refused", {"--windo", NULL}, 2, "--windo"},
	{"ambiguous prefix refused", {"--web.max", NULL}, 2, "--web.max"},
	{"separate value accepted", {"--window", "3", NULL}, 0, NULL},
	{"short option named", {"-xy", NULL}, 2, "-x"},
};

START_TEST(test_flags_cases)
{
	const struct flags_case *c = &flags_cases[_i];
	struct options opts;
	char err[256];
	int rc = parse(&opts, c->args, err, sizeof(err));

	ck_assert_msg(rc == c->rc, "%s: rc %d (%s)", c->name, rc, err);
	if (c->error_names != NULL)
		ck_assert_msg(strstr(err, c->error_names) != NULL, "%s: error '%s'", c->name, err);
}
END_TEST

/* A short flag whose letter is a byte above 127 is named as it was given. */
START_TEST(test_short_option_beyond_ascii)
{
	const char *args[] = {"-\xe9", NULL};
	struct options o;
	char err[256];

	ck_assert_int_eq(parse(&o, args, err, sizeof(err)), 2);
	ck_assert_str_eq(err, "unknown flag: -\xe9");
}
END_TEST

/* Every default, field by field: what a user who gives no flag gets. */
START_TEST(test_defaults)
{
	const char *none[] = {NULL};
	struct options o;
	char err[256];

	ck_assert_int_eq(parse(&o, none, err, sizeof(err)), 0);
	ck_assert_str_eq(o.listen_host, "");
	ck_assert_uint_eq(o.listen_port, 3003);
	ck_assert_str_eq(o.telemetry_path, "/metrics");
	ck_assert_ptr_null(o.web_config_file);
	ck_assert(!o.web_systemd_socket);
	ck_assert_uint_eq(o.max_connections, 64);
	ck_assert_uint_eq(o.max_connections_per_ip, 16);
	ck_assert_uint_eq(o.idle_timeout_seconds, 10);
	ck_assert_str_eq(o.pts_dir, "/dev/pts");
	ck_assert_str_eq(o.dev_dir, "/dev");
	ck_assert_str_eq(o.utmp_file, "/var/run/utmp");
	ck_assert_str_eq(o.path_procfs, "/proc");
	ck_assert_str_eq(o.path_sysfs, "/sys");
	ck_assert_str_eq(o.path_rootfs, "/");
	ck_assert_str_eq(o.containers_log_dir, "/var/log/containers");
	ck_assert(!o.collector_containers);
	ck_assert(o.collector_sessions);
	ck_assert(o.collector_terminals);
	ck_assert_uint_eq(o.window, 60);
	ck_assert(o.poll_seconds == 1.0);
	ck_assert_str_eq(o.log_level, "info");
	ck_assert_str_eq(o.log_format, "logfmt");
	ck_assert(!o.show_help && !o.show_version);
}
END_TEST

/* Given values land in their fields, in both spellings. */
START_TEST(test_values_applied)
{
	const char *eq[] = {"--web.listen-address=[::1]:9999", "--window=5", "--poll-interval=0.5",
			    "--pts-dir=/x/pts", "--web.telemetry-path=/m", NULL};
	const char *sep[] = {"--path.procfs", "/host/proc", "--path.sysfs", "/host/sys",
			     "--containers.log-dir", "/logs", NULL};
	struct options o;
	char err[256];

	ck_assert_int_eq(parse(&o, eq, err, sizeof(err)), 0);
	ck_assert_str_eq(o.listen_host, "::1");
	ck_assert_uint_eq(o.listen_port, 9999);
	ck_assert_uint_eq(o.window, 5);
	ck_assert(o.poll_seconds == 0.5);
	ck_assert_str_eq(o.pts_dir, "/x/pts");
	ck_assert_str_eq(o.telemetry_path, "/m");
	ck_assert_str_eq(o.utmp_file, "/var/run/utmp");
	ck_assert_int_eq(parse(&o, sep, err, sizeof(err)), 0);
	ck_assert_str_eq(o.path_procfs, "/host/proc");
	ck_assert_str_eq(o.path_sysfs, "/host/sys");
	ck_assert_str_eq(o.containers_log_dir, "/logs");
}
END_TEST

struct bool_case {
	const char *name;
	const char *args[MAX_ARGS + 1];
	bool containers, sessions, terminals, systemd_socket;
};

static const struct bool_case bool_cases[] = {
	{"defaults", {NULL}, false, true, true, false},
	{"containers on", {"--collector.containers", NULL}, true, true, true, false},
	{"sessions off", {"--no-collector.sessions", NULL}, false, false, true, false},
	{"terminals off", {"--no-collector.terminals", NULL}, false, true, false, false},
	{"the last one wins", {"--collector.containers", "--no-collector.containers", NULL}, false,
	 true, true, false},
	{"back on", {"--no-collector.sessions", "--collector.sessions", NULL}, false, true, true,
	 false},
	{"systemd socket", {"--web.systemd-socket", NULL}, false, true, true, true},
	{"systemd socket off", {"--no-web.systemd-socket", NULL}, false, true, true, false},
};

START_TEST(test_bool_cases)
{
	const struct bool_case *c = &bool_cases[_i];
	struct options o;
	char err[256];

	ck_assert_msg(parse(&o, c->args, err, sizeof(err)) == 0, "%s: %s", c->name, err);
	ck_assert_msg(o.collector_containers == c->containers, "%s: containers", c->name);
	ck_assert_msg(o.collector_sessions == c->sessions, "%s: sessions", c->name);
	ck_assert_msg(o.collector_terminals == c->terminals, "%s: terminals", c->name);
	ck_assert_msg(o.web_systemd_socket == c->systemd_socket, "%s: socket", c->name);
}
END_TEST

struct rootfs_case {
	const char *name;
	const char *args[MAX_ARGS + 1];
	const char *pts, *dev, *utmp, *procfs;
};

static const struct rootfs_case rootfs_cases[] = {
	{"the root itself", {"--path.rootfs=/", NULL}, "/dev/pts", "/dev", "/var/run/utmp", "/proc"},
	{"a host mount", {"--path.rootfs=/host", NULL}, "/host/dev/pts", "/host/dev",
	 "/host/var/run/utmp", "/proc"},
	{"trailing slashes", {"--path.rootfs=/host//", NULL}, "/host/dev/pts", "/host/dev",
	 "/host/var/run/utmp", "/proc"},
	{"a given pts dir is used as is", {"--path.rootfs=/host", "--pts-dir=/x", NULL}, "/x",
	 "/host/dev", "/host/var/run/utmp", "/proc"},
	{"whatever the order", {"--utmp-file=/run/utmp", "--path.rootfs", "/host", NULL},
	 "/host/dev/pts", "/host/dev", "/run/utmp", "/proc"},
	{"a given dev dir is used as is", {"--dev-dir=/d", "--path.rootfs=/h", NULL}, "/h/dev/pts",
	 "/d", "/h/var/run/utmp", "/proc"},
	{"procfs is its own flag", {"--path.rootfs=/host", "--path.procfs=/host/proc", NULL},
	 "/host/dev/pts", "/host/dev", "/host/var/run/utmp", "/host/proc"},
};

START_TEST(test_rootfs_cases)
{
	const struct rootfs_case *c = &rootfs_cases[_i];
	struct options o;
	char err[256];

	ck_assert_msg(parse(&o, c->args, err, sizeof(err)) == 0, "%s: %s", c->name, err);
	ck_assert_msg(strcmp(o.pts_dir, c->pts) == 0, "%s: pts %s", c->name, o.pts_dir);
	ck_assert_msg(strcmp(o.dev_dir, c->dev) == 0, "%s: dev %s", c->name, o.dev_dir);
	ck_assert_msg(strcmp(o.utmp_file, c->utmp) == 0, "%s: utmp %s", c->name, o.utmp_file);
	ck_assert_msg(strcmp(o.path_procfs, c->procfs) == 0, "%s: procfs %s", c->name,
		      o.path_procfs);
}
END_TEST

START_TEST(test_rootfs_too_long)
{
	char root[OPTIONS_PATH_MAX + 2], flag[OPTIONS_PATH_MAX + 32];
	const char *args[] = {flag, NULL};
	struct options o;
	char err[512];

	memset(root, 'r', sizeof(root) - 1);
	root[0] = '/';
	root[sizeof(root) - 1] = '\0';
	snprintf(flag, sizeof(flag), "--path.rootfs=%s", root);
	ck_assert_int_eq(parse(&o, args, err, sizeof(err)), 2);
	ck_assert_msg(strstr(err, "path.rootfs") != NULL, "error '%s'", err);
}
END_TEST

/* The --help text, in a malloc'd string. */
static char *
help_text(void)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(options_print_help(out), 0);
	ck_assert_int_eq(fclose(out), 0);
	return text;
}

struct help_case {
	const char *synopsis; /* how the line starts, after two spaces */
	const char *tail;     /* what the rest of the line must hold: its default, range, choices */
};

/* One row per flag: a flag added to the table without a row here fails test_help_rows. */
static const struct help_case help_cases[] = {
	{"--web.listen-address=:3003", "every address"},
	{"--web.telemetry-path=/metrics", "Path"},
	{"--web.config.file=FILE", "(default: none"},
	{"--[no-]web.systemd-socket", "(default: disabled)"},
	{"--web.max-connections=64", "From 1 to 10000."},
	{"--web.max-connections-per-ip=16", "From 1 to 10000."},
	{"--web.idle-timeout=10", "From 1 to 3600."},
	{"--path.procfs=/proc", "procfs"},
	{"--path.sysfs=/sys", "cgroup"},
	{"--path.rootfs=/", "used as they are"},
	{"--pts-dir=DIR", "(default: /dev/pts under --path.rootfs)"},
	{"--dev-dir=DIR", "(default: /dev under --path.rootfs)"},
	{"--utmp-file=FILE", "(default: /var/run/utmp under --path.rootfs)"},
	{"--[no-]collector.sessions", "(default: enabled)"},
	{"--[no-]collector.terminals", "(default: enabled)"},
	{"--[no-]collector.containers", "(default: disabled)"},
	{"--containers.log-dir=/var/log/containers", "kubelet"},
	{"--window=60", "From 1 to 86400."},
	{"--poll-interval=1.0", "From 0.01 to 3600."},
	{"--log.level=info", "One of: debug, info, warn, error."},
	{"--log.format=logfmt", "One of: logfmt, json."},
	{"--version", "version"},
	{"--help", "help"},
};

START_TEST(test_help_cases)
{
	const struct help_case *c = &help_cases[_i];
	char *text = help_text(), *line, *end, want[128];

	snprintf(want, sizeof(want), "\n  %s ", c->synopsis);
	line = strstr(text, want);
	ck_assert_msg(line != NULL, "%s: no line in:\n%s", c->synopsis, text);
	end = strchr(line + 1, '\n');
	ck_assert_ptr_nonnull(end);
	*end = '\0';
	ck_assert_msg(strstr(line, c->tail) != NULL, "%s: '%s' not in '%s'", c->synopsis, c->tail,
		      line + 1);
	free(text);
}
END_TEST

START_TEST(test_help_rows)
{
	char *text = help_text(), *p;
	int lines = 0;

	for (p = text; (p = strstr(p, "\n  --")) != NULL; p++)
		lines++;
	ck_assert_int_eq(lines, CHECK_ROWS(help_cases));
	free(text);
}
END_TEST

/* A value that parses for a --help placeholder. */
static const char *
sample_value(const char *placeholder)
{
	if (strcmp(placeholder, "DIR") == 0 || strcmp(placeholder, "FILE") == 0)
		return "/some/where";
	return NULL;
}

/*
 * Every flag --help shows parses: a value flag with its default (or a sample for a placeholder)
 * in both spellings, a boolean in both forms, and a prefix of its name is refused.
 */
START_TEST(test_every_flag_parses)
{
	char *text = help_text(), *p, *name, *value, *end, sep_flag[128], prefix[128], cut[128];
	const char *args[3];
	struct options o;
	char err[256];

	for (p = text; (p = strstr(p, "\n  --")) != NULL;) {
		name = p + 3;
		end = strchr(name, ' ');
		ck_assert_ptr_nonnull(end);
		*end = '\0';
		p = end + 1;
		args[1] = args[2] = NULL;
		if (strncmp(name, "--[no-]", 7) == 0) {
			snprintf(sep_flag, sizeof(sep_flag), "--no-%s", name + 7);
			snprintf(prefix, sizeof(prefix), "--%s", name + 7);
			args[0] = sep_flag;
			ck_assert_msg(parse(&o, args, err, sizeof(err)) == 0, "%s: %s", name, err);
			args[0] = prefix;
			ck_assert_msg(parse(&o, args, err, sizeof(err)) == 0, "%s: %s", name, err);
		} else if ((value = strchr(name, '=')) != NULL) {
			*value++ = '\0';
			if (sample_value(value) != NULL)
				value = (char *)sample_value(value);
			snprintf(sep_flag, sizeof(sep_flag), "%s=%s", name, value);
			args[0] = sep_flag;
			ck_assert_msg(parse(&o, args, err, sizeof(err)) == 0, "%s: %s", name, err);
			args[0] = name;
			args[1] = value;
			ck_assert_msg(parse(&o, args, err, sizeof(err)) == 0, "%s %s: %s", name,
				      value, err);
			args[1] = NULL;
		} else {
			args[0] = name;
			ck_assert_msg(parse(&o, args, err, sizeof(err)) == 0, "%s: %s", name, err);
		}
		snprintf(cut, sizeof(cut), "%.*s", (int)strlen(args[0]) - 1, args[0]);
		args[0] = cut;
		ck_assert_msg(parse(&o, args, err, sizeof(err)) == 2, "%s accepted", cut);
	}
	free(text);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("options");

	tcase_add_loop_test(tc, test_listen_cases, 0, CHECK_ROWS(listen_cases));
	tcase_add_loop_test(tc, test_flags_cases, 0, CHECK_ROWS(flags_cases));
	tcase_add_test(tc, test_short_option_beyond_ascii);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_values_applied);
	tcase_add_loop_test(tc, test_bool_cases, 0, CHECK_ROWS(bool_cases));
	tcase_add_loop_test(tc, test_rootfs_cases, 0, CHECK_ROWS(rootfs_cases));
	tcase_add_test(tc, test_rootfs_too_long);
	tcase_add_loop_test(tc, test_help_cases, 0, CHECK_ROWS(help_cases));
	tcase_add_test(tc, test_help_rows);
	tcase_add_test(tc, test_every_flag_parses);
	suite_add_tcase(s, tc);
	return check_run(s);
}
