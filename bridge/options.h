/* SPDX-License-Identifier: MIT */
/* idle-exporter's command line: flags in the manner of Prometheus' own exporters. */
#ifndef IDLE_OPTIONS_H
#define IDLE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "idle_sampler.h"

#define OPTIONS_HOST_MAX 256
#define OPTIONS_PATH_MAX 256

struct options {
	char listen_host[OPTIONS_HOST_MAX]; /* "" for every address, IPv4 and IPv6 */
	unsigned short listen_port;
	char telemetry_path[OPTIONS_PATH_MAX];
	struct idle_sampler_config sampler;
	double poll_seconds;
	unsigned max_connections;
	unsigned max_connections_per_ip;
	unsigned idle_timeout_seconds;
	size_t memory_per_connection;
	const char *web_config_file; /* exporter-toolkit's TLS, auth and headers file; NULL: none */
	bool web_systemd_socket;     /* serve systemd's socket; the listen address is ignored */
	bool show_help;
	bool show_version;
};

/*
 * Parses argv into opts (defaults first).  Returns 0, or 2 after writing one line naming the bad
 * flag or value into err (size errsize): the exit code for a usage error.  Pointers in
 * opts->sampler point into argv.
 */
int options_parse(struct options *opts, int argc, char **argv, char *err, size_t errsize);

/*
 * Splits "[HOST]:PORT" ("[::1]:3003", "127.0.0.1:3003", ":3003") into host and port.
 * Returns 0 or EINVAL, also for "[]:PORT" and "*:PORT": every address is spelled ":PORT".
 */
int options_parse_listen(const char *text, char *host, size_t hostsize, unsigned short *port);

/* The --help text. */
extern const char options_usage[];

#endif
