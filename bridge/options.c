/* SPDX-License-Identifier: MIT */
/* idle-exporter's command line: flags in the manner of Prometheus' own exporters. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

const char options_usage[] =
	"Usage: idle-exporter [OPTION]...\n"
	"Serve terminal idle time as Prometheus metrics.\n"
	"\n"
	"  --web.listen-address=[HOST]:PORT  address to listen on (default :3003, IPv4 and IPv6)\n"
	"  --web.telemetry-path=PATH         path serving the metrics (default /metrics; / too)\n"
	"  --web.max-connections=N           connections at once (default 64)\n"
	"  --web.max-connections-per-ip=N    connections at once from one address (default 16)\n"
	"  --web.idle-timeout=SECONDS        close a connection idle this long (default 10)\n"
	"  --web.systemd-socket              serve the socket systemd's socket activation passes,\n"
	"                                    instead of --web.listen-address\n"
	"  --web.config.file=FILE            TLS, basic auth and headers, in exporter-toolkit's\n"
	"                                    web config format (default: none, plain HTTP)\n"
	"  --pts-dir=DIR                     pseudo-terminal directory (default /dev/pts)\n"
	"  --dev-dir=DIR                     device directory for utmp ttys (default /dev)\n"
	"  --utmp-file=FILE                  utmp file of login sessions (default /var/run/utmp)\n"
	"  --proc-dir=DIR                    proc file system (default /proc)\n"
	"  --window=N                        polls in the average (default 60)\n"
	"  --poll-interval=SECONDS           time between polls (default 1)\n"
	"  --version                         print the version and exit\n"
	"  --help                            print this help and exit\n";

enum {
	OPT_LISTEN = 256,
	OPT_PATH,
	OPT_MAX_CONN,
	OPT_MAX_CONN_IP,
	OPT_IDLE_TIMEOUT,
	OPT_WEB_CONFIG,
	OPT_SYSTEMD_SOCKET,
	OPT_PTS,
	OPT_DEV,
	OPT_UTMP,
	OPT_PROC,
	OPT_WINDOW,
	OPT_POLL,
	OPT_VERSION,
	OPT_HELP,
};

static const struct option long_options[] = {
	{"web.listen-address", required_argument, NULL, OPT_LISTEN},
	{"web.telemetry-path", required_argument, NULL, OPT_PATH},
	{"web.max-connections", required_argument, NULL, OPT_MAX_CONN},
	{"web.max-connections-per-ip", required_argument, NULL, OPT_MAX_CONN_IP},
	{"web.idle-timeout", required_argument, NULL, OPT_IDLE_TIMEOUT},
	{"web.config.file", required_argument, NULL, OPT_WEB_CONFIG},
	{"web.systemd-socket", no_argument, NULL, OPT_SYSTEMD_SOCKET},
	{"pts-dir", required_argument, NULL, OPT_PTS},
	{"dev-dir", required_argument, NULL, OPT_DEV},
	{"utmp-file", required_argument, NULL, OPT_UTMP},
	{"proc-dir", required_argument, NULL, OPT_PROC},
	{"window", required_argument, NULL, OPT_WINDOW},
	{"poll-interval", required_argument, NULL, OPT_POLL},
	{"version", no_argument, NULL, OPT_VERSION},
	{"help", no_argument, NULL, OPT_HELP},
	{NULL, 0, NULL, 0},
};

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
parse_unsigned(const char *text, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;

	if (text[0] < '0' || text[0] > '9')
		return EINVAL;
	errno = 0;
	*out = strtoul(text, &end, 10);
	if (errno != 0 || *end != '\0' || *out < min || *out > max)
		return EINVAL;
	return 0;
}

/* Parses seconds in [0.01, 3600]; returns 0 or EINVAL. */
static int
parse_seconds(const char *text, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(text, &end);
	if (errno != 0 || end == text || *end != '\0' || !isfinite(*out) || *out < 0.01 ||
	    *out > 3600)
		return EINVAL;
	return 0;
}

/* Copies a path flag's value; returns 0 or EINVAL when empty or too long. */
static int
copy_path(char *dst, size_t size, const char *text)
{
	size_t len = strlen(text);

	if (len == 0 || len >= size)
		return EINVAL;
	memcpy(dst, text, len + 1);
	return 0;
}

static void
options_defaults(struct options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->listen_port = 3003;
	memcpy(opts->telemetry_path, "/metrics", sizeof("/metrics"));
	idle_sampler_config_defaults(&opts->sampler);
	opts->poll_seconds = IDLE_DEFAULT_POLL_SECONDS;
	opts->max_connections = 64;
	opts->max_connections_per_ip = 16;
	opts->idle_timeout_seconds = 10;
	opts->memory_per_connection = 16384;
}

/* Applies one flag; returns 0 or EINVAL for a bad value. */
static int
apply(struct options *opts, int opt, const char *arg)
{
	unsigned long n;
	int err;

	switch (opt) {
	case OPT_LISTEN:
		return options_parse_listen(arg, opts->listen_host, sizeof(opts->listen_host),
					    &opts->listen_port);
	case OPT_PATH:
		/* A request's path is decoded and cut at '?' first: these could never match. */
		if (arg[0] != '/' || strpbrk(arg, "?%#") != NULL)
			return EINVAL;
		return copy_path(opts->telemetry_path, sizeof(opts->telemetry_path), arg);
	case OPT_MAX_CONN:
		err = parse_unsigned(arg, 1, 10000, &n);
		opts->max_connections = (unsigned)n;
		return err;
	case OPT_MAX_CONN_IP:
		err = parse_unsigned(arg, 1, 10000, &n);
		opts->max_connections_per_ip = (unsigned)n;
		return err;
	case OPT_IDLE_TIMEOUT:
		err = parse_unsigned(arg, 1, 3600, &n);
		opts->idle_timeout_seconds = (unsigned)n;
		return err;
	case OPT_WEB_CONFIG:
		opts->web_config_file = arg;
		return arg[0] ? 0 : EINVAL;
	case OPT_SYSTEMD_SOCKET:
		opts->web_systemd_socket = true;
		return 0;
	case OPT_PTS:
		opts->sampler.pts_dir = arg;
		return arg[0] ? 0 : EINVAL;
	case OPT_DEV:
		opts->sampler.dev_dir = arg;
		return arg[0] ? 0 : EINVAL;
	case OPT_UTMP:
		opts->sampler.utmp_file = arg;
		return arg[0] ? 0 : EINVAL;
	case OPT_PROC:
		opts->sampler.proc_dir = arg;
		return arg[0] ? 0 : EINVAL;
	case OPT_WINDOW:
		err = parse_unsigned(arg, 1, 86400, &n);
		opts->sampler.window = n;
		return err;
	case OPT_POLL:
		return parse_seconds(arg, &opts->poll_seconds);
	case OPT_VERSION:
		opts->show_version = true;
		return 0;
	case OPT_HELP:
		opts->show_help = true;
		return 0;
	}
	return EINVAL;
}

/* The long name of an option code, for error messages. */
static const char *
option_name(int opt)
{
	const struct option *o;

	for (o = long_options; o->name != NULL; o++)
		if (o->val == opt)
			return o->name;
	return "?";
}

/* What a bad value of the flags people most often get wrong should look like, or "". */
static const char *
option_hint(int opt)
{
	if (opt == OPT_LISTEN)
		return " (want HOST:PORT, [IPv6]:PORT, or :PORT for every address)";
	if (opt == OPT_PATH)
		return " (want a path from /, without '?', '%' or '#': a request's path is decoded"
		       " and cut at '?' before it is compared, so it could never match)";
	return "";
}

/* True when arg is "--name" or "--name=...": getopt_long also takes unique prefixes. */
static bool
spelled_out(const char *arg, const char *name)
{
	size_t len = strlen(name);

	return strncmp(arg, "--", 2) == 0 && strncmp(arg + 2, name, len) == 0 &&
	       (arg[2 + len] == '\0' || arg[2 + len] == '=');
}

int
options_parse(struct options *opts, int argc, char **argv, char *err, size_t errsize)
{
	const char *arg;
	int opt, index = 0;

	options_defaults(opts);
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", long_options, &index)) != -1) {
		if (opt == '?' || opt == ':') {
			/* A short option leaves optind on its cluster: name the letter. */
			if (optopt > 0 && optopt < 256)
				snprintf(err, errsize, "unknown flag: -%c", optopt);
			else
				snprintf(err, errsize, "unknown flag or missing value: %s",
					 argv[optind - 1]);
			return 2;
		}
		/* "--flag value" puts the value in its own argv element, after the flag. */
		arg = argv[optarg != NULL && optarg == argv[optind - 1] ? optind - 2 : optind - 1];
		if (!spelled_out(arg, long_options[index].name)) {
			snprintf(err, errsize, "unknown flag: %s (abbreviations are not accepted)",
				 arg);
			return 2;
		}
		if (apply(opts, opt, optarg) != 0) {
			snprintf(err, errsize, "bad value for --%s: '%s'%s", option_name(opt),
				 optarg, option_hint(opt));
			return 2;
		}
	}
	if (optind < argc) {
		snprintf(err, errsize, "unexpected argument: %s", argv[optind]);
		return 2;
	}
	return 0;
}
