/* SPDX-License-Identifier: MIT */
/* idle-exporter's command line: one table of flags, spelled as Prometheus' own exporters do. */
#ifndef IDLE_OPTIONS_H
#define IDLE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define OPTIONS_HOST_MAX 256
#define OPTIONS_PATH_MAX 256
#define OPTIONS_ROOTED_MAX 3 /* the defaults --path.rootfs prefixes: pts dir, dev dir, utmp file */

struct options {
	char listen_host[OPTIONS_HOST_MAX]; /* "" for every address, IPv4 and IPv6 */
	unsigned short listen_port;
	char telemetry_path[OPTIONS_PATH_MAX];
	const char *pts_dir, *dev_dir, *utmp_file; /* given as is, or under path_rootfs */
	size_t window;                             /* polls in the average */
	double poll_seconds;
	unsigned max_connections;
	unsigned max_connections_per_ip;
	unsigned idle_timeout_seconds;
	size_t memory_per_connection;
	const char *web_config_file; /* exporter-toolkit's TLS, auth and headers file; NULL: none */
	bool web_systemd_socket;     /* serve on the socket systemd passes (LISTEN_FDS) */
	bool collector_containers, collector_sessions, collector_terminals;
	const char *containers_log_dir, *path_procfs, *path_rootfs, *path_sysfs;
	const char *log_level;  /* one of log_level_names */
	const char *log_format; /* one of log_format_names */
	bool show_help;
	bool show_version;
	char rooted[OPTIONS_ROOTED_MAX][OPTIONS_PATH_MAX]; /* --path.rootfs joined with defaults */
};

/*
 * Parses argv into opts, every default first.  --flag=value and --flag value are taken,
 * abbreviations are not.  Returns 0, or 2 after writing one line naming the bad flag or value
 * into err (size errsize): the exit code for a usage error.  String fields point into argv,
 * the table's defaults or opts->rooted, so opts must not be copied while they are in use.
 * Reentrant: no state is kept between calls.
 */
int options_parse(struct options *opts, int argc, char **argv, char *err, size_t errsize);

/*
 * Splits "[HOST]:PORT" ("[::1]:3003", "127.0.0.1:3003", ":3003") into host and port.
 * Returns 0 or EINVAL.
 */
int options_parse_listen(const char *text, char *host, size_t hostsize, unsigned short *port);

/* Writes the --help text, made from the table: one line per flag with its default.  Returns 0
 * or the errno of a failed write. */
int options_print_help(FILE *out);

#endif
