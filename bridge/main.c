/* SPDX-License-Identifier: MIT */
/* idle-exporter: serves terminal idle time on :3003 in the Prometheus text format. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "http.h"
#include "log.h"
#include "options.h"
#include "page.h"
#include "poller.h"
#include "tls.h"
#include "webconfig.h"

#define PROGRAM "idle-exporter"

/* What --web.config.file asks for, loaded and checked before anything starts. */
struct security {
	struct webconfig config;
	struct tls tls;
	struct auth *auth;
	struct http_security http;
};

static const char *const client_auth_names[] = {
	"NoClientCert", "RequestClientCert", "RequireAnyClientCert", "VerifyClientCertIfGiven",
	"RequireAndVerifyClientCert",
};

/* Says once what the web config enforces. */
static void
log_security(const char *path, const struct security *sec)
{
	const struct webconfig *cfg = &sec->config;
	char tls[32] = "off", users[24], headers[24];
	size_t n = 0;

	while (cfg->headers[n] != NULL)
		n += 2;
	if (cfg->tls)
		snprintf(tls, sizeof(tls), "1.%d-1.%d", cfg->min_version - 10,
			 cfg->max_version - 10);
	snprintf(users, sizeof(users), "%zu", cfg->n_users);
	snprintf(headers, sizeof(headers), "%zu", n / 2);
	log_kv(LOG_LEVEL_INFO, "web config file loaded", "file", path, "tls", tls, "client_auth",
	       cfg->tls ? client_auth_names[cfg->client_auth] : "none", "basic_auth_users", users,
	       "headers", headers, NULL);
}

/* Frees what security_load made; fine on a zeroed sec. */
static void
security_free(struct security *sec)
{
	auth_free(sec->auth);
	tls_free(&sec->tls);
	webconfig_free(&sec->config);
	memset(sec, 0, sizeof(*sec));
}

/*
 * Reads the web config file, its certificates and keys, and prepares basic auth.  Returns 0,
 * or 2 (a usage error, before anything starts) after printing one line naming the file and the
 * field.
 */
static int
security_load(struct security *sec, const char *path)
{
	char err[512];

	memset(sec, 0, sizeof(*sec));
	if (webconfig_load(&sec->config, path, err, sizeof(err)) != 0 ||
	    (sec->config.tls && tls_load(&sec->tls, &sec->config, err, sizeof(err)) != 0) ||
	    (sec->config.n_users > 0 &&
	     (sec->auth = auth_new(sec->config.users, sec->config.n_users, err,
				   sizeof(err))) == NULL)) {
		log_kv(LOG_LEVEL_ERROR, "cannot load the web config file", "file", path, "err", err,
		       NULL);
		security_free(sec);
		return 2;
	}
	sec->http.tls = sec->config.tls ? &sec->tls : NULL;
	sec->http.auth = sec->auth;
	sec->http.headers = (const char *const *)sec->config.headers;
	log_security(path, sec);
	return 0;
}

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

/* The sampler's configuration from the flags; points into opts. */
static void
sampler_config(const struct options *opts, struct idle_sampler_config *config)
{
	idle_sampler_config_defaults(config);
	config->pts_dir = opts->pts_dir;
	config->dev_dir = opts->dev_dir;
	config->utmp_file = opts->utmp_file;
	config->proc_dir = opts->path_procfs;
	config->window = opts->window;
	config->sessions = opts->collector_sessions;
	config->terminals = opts->collector_terminals;
}

/* Logs a failure to start with its cause; returns the exit code 1. */
static int
start_failed(const char *msg, int err)
{
	log_kv(LOG_LEVEL_ERROR, msg, "err", strerror(err), NULL);
	return 1;
}

/* Starts everything, serves until told to stop, stops everything.  Returns the exit code. */
static int
serve(const struct options *opts, const struct http_security *security)
{
	struct idle_sampler_config config;
	char port[8];
	struct poller poller;
	struct page page;
	struct http http;
	char err[512];
	sigset_t set;
	int rc;

	if ((rc = block_stop_signals(&set)) != 0)
		return start_failed("cannot set up signals", rc);
	sampler_config(opts, &config);
	if ((rc = poller_init(&poller, &config, opts->poll_seconds)) != 0)
		return start_failed("cannot start sampling", rc);
	if ((rc = page_init(&page, &poller, PACKAGE_VERSION)) != 0) {
		poller_destroy(&poller);
		return start_failed("cannot read /proc/self", rc);
	}
	if (http_start(&http, opts, security, &page, err, sizeof(err)) != 0) {
		log_kv(LOG_LEVEL_ERROR, "cannot serve", "err", err, NULL);
		page_destroy(&page);
		poller_destroy(&poller);
		return 1;
	}
	if ((rc = poller_start(&poller)) != 0) {
		http_stop(&http);
		page_destroy(&page);
		poller_destroy(&poller);
		return start_failed("cannot start the sampling thread", rc);
	}
	snprintf(port, sizeof(port), "%u", opts->listen_port);
	log_kv(LOG_LEVEL_INFO, "listening", "version", PACKAGE_VERSION, "address",
	       opts->listen_host, "port", port, "telemetry_path", opts->telemetry_path, NULL);
	wait_for_stop(&set);
	http_stop(&http);
	page_destroy(&page);
	poller_destroy(&poller);
	return 0;
}

int
main(int argc, char **argv)
{
	struct security sec;
	struct options opts;
	char err[512];
	int rc;

	if (options_parse(&opts, argc, argv, err, sizeof(err)) != 0) {
		fprintf(stderr, PROGRAM ": %s (see --help)\n", err);
		return 2;
	}
	if (opts.show_help)
		return options_print_help(stdout) == 0 ? 0 : 1;
	if (opts.show_version) {
		printf(PROGRAM " " PACKAGE_VERSION "\n");
		return fflush(stdout) == 0 ? 0 : 1;
	}
	/* options_parse took only the names log_setup knows. */
	(void)log_setup(opts.log_level, opts.log_format);
	if (opts.web_config_file == NULL)
		return serve(&opts, NULL);
	if (security_load(&sec, opts.web_config_file) != 0)
		return 2;
	rc = serve(&opts, &sec.http);
	security_free(&sec);
	return rc;
}
