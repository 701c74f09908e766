/* idle-exporter: serves terminal idle time on :3003 in the Prometheus text format. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "options.h"
#include "page.h"
#include "poller.h"

#define PROGRAM "idle-exporter"

/* Blocks the stop signals in every thread, so the main thread alone takes them with sigwait. */
static int
block_stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	/* A scraper hanging up mid-answer must not kill us. */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		return errno;
	return pthread_sigmask(SIG_BLOCK, set, NULL);
}

/* Waits for SIGTERM or SIGINT; SIGHUP is ignored (nothing to reload). */
static void
wait_for_stop(const sigset_t *set)
{
	int sig = 0;

	while (sigwait(set, &sig) == 0 && sig == SIGHUP)
		;
}

/* Starts everything, serves until told to stop, stops everything.  Returns the exit code. */
static int
serve(const struct options *opts)
{
	struct poller poller;
	struct page page;
	struct http http;
	char err[512];
	sigset_t set;
	int rc;

	if ((rc = block_stop_signals(&set)) != 0) {
		fprintf(stderr, PROGRAM ": cannot set up signals: %s\n", strerror(rc));
		return 1;
	}
	if ((rc = poller_init(&poller, &opts->sampler, opts->poll_seconds)) != 0) {
		fprintf(stderr, PROGRAM ": cannot start sampling: %s\n", strerror(rc));
		return 1;
	}
	if ((rc = page_init(&page, &poller, PACKAGE_VERSION)) != 0) {
		fprintf(stderr, PROGRAM ": cannot read /proc/self: %s\n", strerror(rc));
		poller_destroy(&poller);
		return 1;
	}
	if (http_start(&http, opts, &page, err, sizeof(err)) != 0) {
		fprintf(stderr, PROGRAM ": %s\n", err);
		page_destroy(&page);
		poller_destroy(&poller);
		return 1;
	}
	if ((rc = poller_start(&poller)) != 0) {
		fprintf(stderr, PROGRAM ": cannot start the sampling thread: %s\n", strerror(rc));
		http_stop(&http);
		page_destroy(&page);
		poller_destroy(&poller);
		return 1;
	}
	fprintf(stderr, PROGRAM ": listening on %s:%u, metrics at %s\n",
		opts->listen_host[0] ? opts->listen_host : "", opts->listen_port,
		opts->telemetry_path);
	wait_for_stop(&set);
	http_stop(&http);
	page_destroy(&page);
	poller_destroy(&poller);
	return 0;
}

int
main(int argc, char **argv)
{
	struct options opts;
	char err[512];

	if (options_parse(&opts, argc, argv, err, sizeof(err)) != 0) {
		fprintf(stderr, PROGRAM ": %s (see --help)\n", err);
		return 2;
	}
	if (opts.show_help) {
		fputs(options_usage, stdout);
		return fflush(stdout) == 0 ? 0 : 1;
	}
	if (opts.show_version) {
		printf(PROGRAM " " PACKAGE_VERSION "\n");
		return fflush(stdout) == 0 ? 0 : 1;
	}
	return serve(&opts);
}
