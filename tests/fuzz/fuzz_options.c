/* SPDX-License-Identifier: MIT */
/* Fuzzes the exporter's flags: argv made of the input's NUL-separated pieces, and addresses. */
#include <string.h>

#include "fuzz.h"
#include "idle_defaults.h"
#include "log.h"
#include "options.h"

#define MAX_ARGS 16

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy, *argv[MAX_ARGS + 1], err[512], host[OPTIONS_HOST_MAX];
	struct options opts;
	unsigned short port;
	int argc = 1, rc;
	size_t i, start = 0;

	copy = malloc(size + 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	argv[0] = (char *)"idle-exporter";
	for (i = 0; i <= size && argc < MAX_ARGS; i++) {
		if (copy[i] == '\0') {
			argv[argc++] = copy + start;
			start = i + 1;
		}
	}
	argv[argc] = NULL;
	err[0] = '\0';
	rc = options_parse(&opts, argc, argv, err, sizeof(err));
	FUZZ_CHECK(rc == 0 || rc == 2, "rc %d", rc);
	FUZZ_CHECK(rc == 0 || (err[0] != '\0' && memchr(err, '\0', sizeof(err)) != NULL),
		   "no message for a bad flag");
	if (rc == 0) {
		FUZZ_CHECK(opts.telemetry_path[0] == '/', "path %s", opts.telemetry_path);
		FUZZ_CHECK(opts.max_connections >= 1 && opts.max_connections_per_ip >= 1 &&
				   opts.idle_timeout_seconds >= 1 && opts.window >= IDLE_WINDOW_MIN &&
				   opts.window <= IDLE_WINDOW_MAX,
			   "a limit out of bounds");
		FUZZ_CHECK(opts.poll_seconds >= IDLE_POLL_SECONDS_MIN &&
				   opts.poll_seconds <= IDLE_POLL_SECONDS_MAX,
			   "poll %g", opts.poll_seconds);
		FUZZ_CHECK(opts.pts_dir[0] != '\0' && opts.dev_dir[0] != '\0' &&
				   opts.utmp_file[0] != '\0' && opts.path_procfs[0] != '\0' &&
				   opts.path_sysfs[0] != '\0' && opts.containers_log_dir[0] != '\0',
			   "an empty path");
		FUZZ_CHECK(log_setup(opts.log_level, opts.log_format) == 0, "log %s %s",
			   opts.log_level, opts.log_format);
	}
	for (i = 1; i < (size_t)argc; i++) {
		/* A host that is no address ("[a]:b]:1" gives "a]:b") is left to getaddrinfo. */
		if (options_parse_listen(argv[i], host, sizeof(host), &port) == 0)
			FUZZ_CHECK(memchr(host, '\0', sizeof(host)) != NULL, "host from %s", argv[i]);
	}
	free(copy);
	return 0;
}
