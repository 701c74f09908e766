/* SPDX-License-Identifier: MIT */
/* idle-exporter's command line: one table of flags, spelled as Prometheus' own exporters do. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idle_defaults.h"
#include "log.h"
#include "options.h"

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

enum flag_kind {
	FLAG_SWITCH,   /* --name alone: --help, --version */
	FLAG_BOOL,     /* --name and --no-name; def "true" or "false" */
	FLAG_LISTEN,   /* [HOST]:PORT into listen_host and listen_port */
	FLAG_URL_PATH, /* an absolute URL path, copied into a buffer of OPTIONS_PATH_MAX */
	FLAG_PATH,     /* a non-empty file name (const char *) */
	FLAG_CHOICE,   /* one of choices (const char *) */
	FLAG_UNSIGNED, /* a whole number in [min, max] (unsigned) */
	FLAG_SIZE,     /* a whole number in [min, max] (size_t) */
	FLAG_SECONDS,  /* a number of seconds in [min, max] (double) */
};

/* One flag, declared once: parsing, defaults, bounds and --help all read this row. */
struct flag {
	const char *name;
	enum flag_kind kind;
	const char *value_name; /* what --help shows after '=' when it cannot show the default */
	const char *def;        /* parsed like a given value before argv; NULL: none */
	double min, max;
	const char *const *choices;
	size_t offset; /* of the field in struct options */
	bool rooted;   /* when not given: --path.rootfs joined with def */
	const char *help;
};

#define FIELD(member) offsetof(struct options, member)

static const struct flag flags[] = {
	{.name = "web.listen-address", .kind = FLAG_LISTEN, .def = ":3003",
	 .help = "Address to listen on: HOST:PORT, [IPv6]:PORT, or :PORT for every address, IPv4 "
		 "and IPv6."},
	{.name = "web.telemetry-path", .kind = FLAG_URL_PATH, .def = "/metrics",
	 .offset = FIELD(telemetry_path), .help = "Path serving the metrics; / serves them too."},
	{.name = "web.config.file", .kind = FLAG_PATH, .value_name = "FILE",
	 .offset = FIELD(web_config_file),
	 .help = "TLS, basic auth and headers, in exporter-toolkit's web config format (default: "
		 "none, plain HTTP)."},
	{.name = "web.systemd-socket", .kind = FLAG_BOOL, .def = "false",
	 .offset = FIELD(web_systemd_socket),
	 .help = "Serve on the socket systemd passes (socket activation), not on "
		 "--web.listen-address."},
	{.name = "web.max-connections", .kind = FLAG_UNSIGNED, .def = "64", .min = 1, .max = 10000,
	 .offset = FIELD(max_connections), .help = "Connections served at once."},
	{.name = "web.max-connections-per-ip", .kind = FLAG_UNSIGNED, .def = "16", .min = 1,
	 .max = 10000, .offset = FIELD(max_connections_per_ip),
	 .help = "Connections at once from one client address."},
	{.name = "web.idle-timeout", .kind = FLAG_UNSIGNED, .def = "10", .min = 1, .max = 3600,
	 .offset = FIELD(idle_timeout_seconds),
	 .help = "Seconds after which an idle or stalled connection is closed."},
	{.name = "path.procfs", .kind = FLAG_PATH, .def = IDLE_DEFAULT_PROC_DIR,
	 .offset = FIELD(path_procfs),
	 .help = "procfs mount point: the processes of sessions and containers."},
	{.name = "path.sysfs", .kind = FLAG_PATH, .def = IDLE_DEFAULT_SYS_DIR,
	 .offset = FIELD(path_sysfs),
	 .help = "sysfs mount point, where --collector.containers finds the cgroup tree."},
	{.name = "path.rootfs", .kind = FLAG_PATH, .def = IDLE_DEFAULT_ROOT_DIR,
	 .offset = FIELD(path_rootfs),
	 .help = "Root under which the defaults of --pts-dir, --dev-dir and --utmp-file are found "
		 "(the host's, for an exporter in a container); those flags, when given, are used "
		 "as they are."},
	{.name = "pts-dir", .kind = FLAG_PATH, .value_name = "DIR", .def = IDLE_DEFAULT_PTS_DIR,
	 .offset = FIELD(pts_dir), .rooted = true, .help = "Pseudo-terminal directory."},
	{.name = "dev-dir", .kind = FLAG_PATH, .value_name = "DIR", .def = IDLE_DEFAULT_DEV_DIR,
	 .offset = FIELD(dev_dir), .rooted = true,
	 .help = "Where utmp's tty names (pts/3, tty1) are found."},
	{.name = "utmp-file", .kind = FLAG_PATH, .value_name = "FILE", .def = IDLE_DEFAULT_UTMP_FILE,
	 .offset = FIELD(utmp_file), .rooted = true, .help = "Login sessions."},
	{.name = "collector.sessions", .kind = FLAG_BOOL, .def = "true",
	 .offset = FIELD(collector_sessions),
	 .help = "Login sessions from utmp: user_w_idle_time and idle_sessions."},
	{.name = "collector.terminals", .kind = FLAG_BOOL, .def = "true",
	 .offset = FIELD(collector_terminals),
	 .help = "Per-terminal series: idle_terminal_input_seconds and "
		 "idle_terminal_output_seconds."},
	{.name = "collector.containers", .kind = FLAG_BOOL, .def = "false",
	 .offset = FIELD(collector_containers),
	 .help = "The terminals of every container, labelled with namespace, pod and container."},
	{.name = "containers.log-dir", .kind = FLAG_PATH, .def = IDLE_DEFAULT_CONTAINERS_LOG_DIR,
	 .offset = FIELD(containers_log_dir),
	 .help = "kubelet's container log links, which name the containers."},
	{.name = "window", .kind = FLAG_SIZE, .def = STRINGIFY(IDLE_DEFAULT_WINDOW),
	 .min = IDLE_WINDOW_MIN, .max = IDLE_WINDOW_MAX, .offset = FIELD(window),
	 .help = "Polls averaged in avg_user_input_idle_time."},
	{.name = "poll-interval", .kind = FLAG_SECONDS, .def = STRINGIFY(IDLE_DEFAULT_POLL_SECONDS),
	 .min = IDLE_POLL_SECONDS_MIN, .max = IDLE_POLL_SECONDS_MAX, .offset = FIELD(poll_seconds),
	 .help = "Seconds between polls; fractions are allowed."},
	{.name = "log.level", .kind = FLAG_CHOICE, .def = "info", .choices = log_level_names,
	 .offset = FIELD(log_level), .help = "Only log messages of this level or above."},
	{.name = "log.format", .kind = FLAG_CHOICE, .def = "logfmt", .choices = log_format_names,
	 .offset = FIELD(log_format), .help = "Format of the log lines on stderr."},
	{.name = "version", .kind = FLAG_SWITCH, .offset = FIELD(show_version),
	 .help = "Print the version and exit."},
	{.name = "help", .kind = FLAG_SWITCH, .offset = FIELD(show_help),
	 .help = "Print this help and exit."},
};

#define N_FLAGS (sizeof(flags) / sizeof(flags[0]))
static bool
takes_value(const struct flag *f)
{
	return f->kind != FLAG_SWITCH && f->kind != FLAG_BOOL;
}

int
options_parse_listen(const char *text, char *host, size_t hostsize, unsigned short *port)
{
	const char *colon = strrchr(text, ':');
	const char *start = text, *end;
	unsigned long value;
	char *stop;

	if (colon == NULL || colon[1] == '\0')
		return EINVAL;
	end = colon;
	if (text[0] == '[') {
		if (colon == text || colon[-1] != ']')
			return EINVAL;
		start = text + 1;
		end = colon - 1;
	} else if (memchr(text, ':', (size_t)(colon - text)) != NULL) {
		return EINVAL; /* a bare IPv6 address needs brackets */
	}
	if ((size_t)(end - start) >= hostsize || (text[0] == '[' && end == start) ||
	    (end - start == 1 && *start == '*'))
		return EINVAL;
	errno = 0;
	value = strtoul(colon + 1, &stop, 10);
	if (errno != 0 || *stop != '\0' || value > 65535 || colon[1] < '0' || colon[1] > '9')
		return EINVAL;
	memcpy(host, start, (size_t)(end - start));
	host[end - start] = '\0';
	*port = (unsigned short)value;
	return 0;
}

/* Parses a whole number in [min, max]; returns 0 or EINVAL. */
static int
parse_whole(const char *text, double min, double max, unsigned long *out)
{
	char *end;

	if (text[0] < '0' || text[0] > '9')
		return EINVAL;
	errno = 0;
	*out = strtoul(text, &end, 10);
	if (errno != 0 || *end != '\0' || (double)*out < min || (double)*out > max)
		return EINVAL;
	return 0;
}

/* Parses a finite number of seconds in [min, max]; returns 0 or EINVAL. */
static int
parse_seconds(const char *text, double min, double max, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(text, &end);
	if (errno != 0 || end == text || *end != '\0' || !isfinite(*out) || *out < min ||
	    *out > max)
		return EINVAL;
	return 0;
}

/* Copies an absolute URL path into a buffer of OPTIONS_PATH_MAX; returns 0 or EINVAL. */
static int
copy_url_path(char *dst, const char *text)
{
	size_t len = strlen(text);

	/* A request's path is decoded and cut at '?' first: these could never match. */
	if (text[0] != '/' || len >= OPTIONS_PATH_MAX || strpbrk(text, "?%#") != NULL)
		return EINVAL;
	memcpy(dst, text, len + 1);
	return 0;
}

/* What a bad value of the flags people most often get wrong should look like, or "". */
static const char *
value_hint(const struct flag *f)
{
	if (f->kind == FLAG_LISTEN)
		return " (want HOST:PORT, [IPv6]:PORT, or :PORT for every address)";
	if (f->kind == FLAG_URL_PATH)
		return " (want a path from /, without '?', '%' or '#': a request's path is decoded"
		       " and cut at '?' before it is compared, so it could never match)";
	return "";
}

/* Points a string field at one of the choices; returns 0 or EINVAL. */
static int
set_choice(const char **field, const char *const *choices, const char *text)
{
	for (; *choices != NULL; choices++) {
		if (strcmp(*choices, text) == 0) {
			*field = *choices;
			return 0;
		}
	}
	return EINVAL;
}

/* Applies one flag's value (NULL for a boolean given on the command line, negated for its
 * --no- form); returns 0 or EINVAL for a bad value. */
static int
apply(struct options *opts, const struct flag *f, bool negated, const char *arg)
{
	void *field = (char *)opts + f->offset;
	unsigned long n;
	int err;

	switch (f->kind) {
	case FLAG_SWITCH:
		*(bool *)field = true;
		return 0;
	case FLAG_BOOL:
		*(bool *)field = arg != NULL ? strcmp(arg, "true") == 0 : !negated;
		return 0;
	case FLAG_LISTEN:
		return options_parse_listen(arg, opts->listen_host, sizeof(opts->listen_host),
					    &opts->listen_port);
	case FLAG_URL_PATH:
		return copy_url_path(field, arg);
	case FLAG_PATH:
		*(const char **)field = arg;
		return arg[0] != '\0' ? 0 : EINVAL;
	case FLAG_CHOICE:
		return set_choice(field, f->choices, arg);
	case FLAG_UNSIGNED:
		err = parse_whole(arg, f->min, f->max, &n);
		*(unsigned *)field = (unsigned)n;
		return err;
	case FLAG_SIZE:
		err = parse_whole(arg, f->min, f->max, &n);
		*(size_t *)field = n;
		return err;
	case FLAG_SECONDS:
		return parse_seconds(arg, f->min, f->max, field);
	}
	return EINVAL;
}

/* Every default, through the same parsers as a given value; 2 names a bad row of the table. */
static int
options_defaults(struct options *opts, char *err, size_t errsize)
{
	size_t i;

	memset(opts, 0, sizeof(*opts));
	opts->memory_per_connection = 16384;
	for (i = 0; i < N_FLAGS; i++) {
		if (flags[i].def != NULL && apply(opts, &flags[i], false, flags[i].def) != 0) {
			snprintf(err, errsize, "bad default for --%s: '%s'", flags[i].name,
				 flags[i].def);
			return 2;
		}
	}
	return 0;
}

/* Joins root and path ("/" and "/dev" give "/dev", "/host/" and "/dev" "/host/dev"). */
static int
join_root(char *dst, size_t size, const char *root, const char *path)
{
	size_t len = strlen(root);
	int n;

	while (len > 0 && root[len - 1] == '/')
		len--;
	n = snprintf(dst, size, "%.*s%s", (int)len, root, path);
	return n < 0 || (size_t)n >= size ? ENAMETOOLONG : 0;
}

/* Puts the rooted flags that were not given under --path.rootfs. */
static int
root_defaults(struct options *opts, const bool *given, char *err, size_t errsize)
{
	size_t i, slot = 0;

	for (i = 0; i < N_FLAGS; i++) {
		if (!flags[i].rooted || slot >= OPTIONS_ROOTED_MAX)
			continue;
		if (!given[i]) {
			if (join_root(opts->rooted[slot], sizeof(opts->rooted[slot]),
				      opts->path_rootfs, flags[i].def) != 0) {
				snprintf(err, errsize, "bad value for --path.rootfs: '%s' (too long)",
					 opts->path_rootfs);
				return 2;
			}
			*(const char **)((char *)opts + flags[i].offset) = opts->rooted[slot];
		}
		slot++;
	}
	return 0;
}

/* The row named by name's first len bytes, or its --no- form (*negated then set); NULL for
 * none.  Whole names only: a prefix is no flag, as in node_exporter. */
static const struct flag *
find_flag(const char *name, size_t len, bool *negated)
{
	size_t i;

	*negated = false;
	for (i = 0; i < N_FLAGS; i++)
		if (strlen(flags[i].name) == len && memcmp(flags[i].name, name, len) == 0)
			return &flags[i];
	if (len > 3 && memcmp(name, "no-", 3) == 0) {
		for (i = 0; i < N_FLAGS; i++)
			if (flags[i].kind == FLAG_BOOL && strlen(flags[i].name) == len - 3 &&
			    memcmp(flags[i].name, name + 3, len - 3) == 0) {
				*negated = true;
				return &flags[i];
			}
	}
	return NULL;
}

/* Whether name's first len bytes begin some flag's name or --no- form: an abbreviation. */
static bool
abbreviates(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < N_FLAGS; i++) {
		if (strncmp(flags[i].name, name, len) == 0)
			return true;
		if (flags[i].kind == FLAG_BOOL && len > 3 && memcmp(name, "no-", 3) == 0 &&
		    strncmp(flags[i].name, name + 3, len - 3) == 0)
			return true;
	}
	return false;
}

/*
 * Our own loop over argv, not getopt_long: the table says everything it needs, and
 * getopt_long's page of libc (with getaddrinfo's) would stay resident for a parse done once.
 * --name=VALUE and --name VALUE, --[no-]name for booleans, "--" ending the flags; no short
 * flags, no prefixes, no stray arguments.
 */
int
options_parse(struct options *opts, int argc, char **argv, char *err, size_t errsize)
{
	bool given[N_FLAGS] = {false}, negated;
	const char *arg, *name, *eq, *value;
	const struct flag *f;
	size_t len;
	int i;

	if (options_defaults(opts, err, errsize) != 0)
		return 2;
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (strcmp(arg, "--") == 0) {
			if (i + 1 < argc) {
				snprintf(err, errsize, "unexpected argument: %s", argv[i + 1]);
				return 2;
			}
			break;
		}
		if (arg[0] != '-' || arg[1] == '\0') {
			snprintf(err, errsize, "unexpected argument: %s", arg);
			return 2;
		}
		if (arg[1] != '-') {
			snprintf(err, errsize, "unknown flag: -%c", arg[1]);
			return 2;
		}
		name = arg + 2;
		eq = strchr(name, '=');
		len = eq != NULL ? (size_t)(eq - name) : strlen(name);
		if ((f = find_flag(name, len, &negated)) == NULL) {
			snprintf(err, errsize, "unknown flag: %s%s", arg,
				 len > 0 && abbreviates(name, len)
					 ? " (abbreviations are not accepted)"
					 : "");
			return 2;
		}
		value = NULL;
		if (takes_value(f)) {
			value = eq != NULL ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
			if (value == NULL) {
				snprintf(err, errsize, "missing value for --%s", f->name);
				return 2;
			}
		} else if (eq != NULL) {
			snprintf(err, errsize, "flag --%s takes no value: %s", f->name, arg);
			return 2;
		}
		if (apply(opts, f, negated, value) != 0) {
			snprintf(err, errsize, "bad value for --%s: '%s'%s", f->name, value,
				 value_hint(f));
			return 2;
		}
		given[f - flags] = true;
	}
	return root_defaults(opts, given, err, errsize);
}

/* The left column of a flag's line: --name=DEFAULT, --name=VALUE, --[no-]name or --name. */
static void
synopsis(const struct flag *f, char *buf, size_t size)
{
	if (f->kind == FLAG_SWITCH)
		snprintf(buf, size, "--%s", f->name);
	else if (f->kind == FLAG_BOOL)
		snprintf(buf, size, "--[no-]%s", f->name);
	else
		snprintf(buf, size, "--%s=%s", f->name,
			 f->def != NULL && !f->rooted ? f->def : f->value_name);
}

/* What follows a flag's own text: its default when the synopsis cannot show it, its range or
 * its choices. */
static void
print_tail(FILE *out, const struct flag *f)
{
	const char *const *c;

	if (f->kind == FLAG_BOOL)
		fprintf(out, " (default: %s)", strcmp(f->def, "true") == 0 ? "enabled" : "disabled");
	else if (f->rooted)
		fprintf(out, " (default: %s under --path.rootfs)", f->def);
	else if (f->kind == FLAG_UNSIGNED || f->kind == FLAG_SIZE || f->kind == FLAG_SECONDS)
		fprintf(out, " From %g to %g.", f->min, f->max);
	for (c = f->choices; c != NULL && *c != NULL; c++)
		fprintf(out, "%s%s", c == f->choices ? " One of: " : ", ", *c);
	if (f->choices != NULL)
		fputc('.', out);
}

int
options_print_help(FILE *out)
{
	char left[N_FLAGS][OPTIONS_HOST_MAX];
	size_t i, width = 0;

	for (i = 0; i < N_FLAGS; i++) {
		synopsis(&flags[i], left[i], sizeof(left[i]));
		if (strlen(left[i]) > width)
			width = strlen(left[i]);
	}
	fputs("usage: idle-exporter [<flags>]\n\n"
	      "Serve terminal idle time as Prometheus metrics.\n\nFlags:\n",
	      out);
	for (i = 0; i < N_FLAGS; i++) {
		fprintf(out, "  %-*s  %s", (int)width, left[i], flags[i].help);
		print_tail(out, &flags[i]);
		fputc('\n', out);
	}
	return fflush(out) == 0 && !ferror(out) ? 0 : errno ? errno : EIO;
}
