/* SPDX-License-Identifier: MIT */
/* idle-exporter: serves terminal idle time on :3003 in the Prometheus text format. */
#include "config.h"

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <zlib.h>

#include "auth.h"
#include "http.h"
#include "landing.h"
#include "listen.h"
#include "log.h"
#include "options.h"
#include "page.h"
#include "idle_publisher.h"
#include "idle_sampler.h"
#include "tls.h"
#include "webconfig.h"

#define PROGRAM "idle-exporter"
#define FLAGS_SHOWN 24

/* The flags in force as "name=value" strings, for the landing page. */
struct flag_list {
	char text[FLAGS_SHOWN][OPTIONS_PATH_MAX + 64];
	const char *items[FLAGS_SHOWN + 1]; /* ends in NULL */
	size_t n;
};

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

/* Appends one "name=value" string; one too long is cut, as it is only shown. */
static void __attribute__((format(printf, 2, 3)))
flag_add(struct flag_list *list, const char *fmt, ...)
{
	va_list ap;

	if (list->n == FLAGS_SHOWN)
		return;
	va_start(ap, fmt);
	vsnprintf(list->text[list->n], sizeof(list->text[0]), fmt, ap);
	va_end(ap);
	list->items[list->n] = list->text[list->n];
	list->items[++list->n] = NULL;
}

/* Lists the flags in force, defaults included. */
static void
flag_list_make(struct flag_list *list, const struct options *opts)
{
	list->n = 0;
	list->items[0] = NULL;
	if (opts->web_systemd_socket)
		flag_add(list, "web.systemd-socket=true");
	else
		flag_add(list, "web.listen-address=%s%s%s:%u", strchr(opts->listen_host, ':') ? "[" : "",
			 opts->listen_host, strchr(opts->listen_host, ':') ? "]" : "",
			 opts->listen_port);
	flag_add(list, "web.telemetry-path=%s", opts->telemetry_path);
	flag_add(list, "web.config.file=%s", opts->web_config_file ? opts->web_config_file : "");
	flag_add(list, "web.max-connections=%u", opts->max_connections);
	flag_add(list, "web.max-connections-per-ip=%u", opts->max_connections_per_ip);
	flag_add(list, "web.idle-timeout=%u", opts->idle_timeout_seconds);
	flag_add(list, "path.procfs=%s", opts->path_procfs);
	flag_add(list, "path.rootfs=%s", opts->path_rootfs);
	flag_add(list, "path.sysfs=%s", opts->path_sysfs);
	flag_add(list, "pts-dir=%s", opts->pts_dir);
	flag_add(list, "dev-dir=%s", opts->dev_dir);
	flag_add(list, "utmp-file=%s", opts->utmp_file);
	flag_add(list, "window=%zu", opts->window);
	flag_add(list, "poll-interval=%g", opts->poll_seconds);
	flag_add(list, "collector.sessions=%s", opts->collector_sessions ? "true" : "false");
	flag_add(list, "collector.terminals=%s", opts->collector_terminals ? "true" : "false");
	flag_add(list, "collector.containers=%s", opts->collector_containers ? "true" : "false");
	flag_add(list, "containers.log-dir=%s", opts->containers_log_dir);
	flag_add(list, "log.level=%s", opts->log_level);
	flag_add(list, "log.format=%s", opts->log_format);
}

/* Fills what the landing page says about this run: version, libraries, flags. */
static void
describe_run(struct landing_info *landing, struct flag_list *flags, char *build,
	     size_t buildsize, const struct options *opts, const struct http_security *security)
{
	flag_list_make(flags, opts);
	snprintf(build, buildsize, "libmicrohttpd %s, zlib %s%s", MHD_get_version(),
		 zlibVersion(), security != NULL && security->tls != NULL ? ", TLS" : "");
	landing->version = PACKAGE_VERSION;
	landing->build = build;
	landing->telemetry_path = opts->telemetry_path;
	landing->flags = flags->items;
}

/* Opens the listening socket, or takes systemd's; -1 after printing why. */
static int
open_listener(const struct options *opts, char *where, size_t wheresize)
{
	char err[512];
	int fd;

	if (opts->web_systemd_socket)
		fd = listen_systemd(err, sizeof(err));
	else
		fd = listen_open(opts->listen_host, opts->listen_port, err, sizeof(err));
	if (fd < 0) {
		log_kv(LOG_LEVEL_ERROR, "cannot listen", "err", err, NULL);
		return -1;
	}
	if (listen_describe(fd, where, wheresize) != 0)
		snprintf(where, wheresize, "fd %d", fd);
	return fd;
}

/* Starts the HTTP server on fd; returns 0 or 1 after printing why. */
static int
start_http(struct http *http, int fd, const struct options *opts,
	   const struct http_security *security, struct page *page,
	   const struct landing_info *landing)
{
	struct http_config config = {
		.listen_fd = fd,
		.telemetry_path = opts->telemetry_path,
		.limits = {opts->max_connections, opts->max_connections_per_ip,
			   opts->idle_timeout_seconds, opts->memory_per_connection},
		.security = security,
		.page = page,
		.landing = landing,
	};
	char err[512];

	if (http_start(http, &config, err, sizeof(err)) != 0) {
		log_kv(LOG_LEVEL_ERROR, "cannot serve", "err", err, NULL);
		return 1;
	}
	return 0;
}

/* Logs a source's failure when it starts and when it clears: one line per event. */
static void
report_source(void *arg, enum idle_source source, int err, const char *detail)
{
	(void)arg;
	if (err != 0)
		log_kv(LOG_LEVEL_ERROR, "cannot read source", "source", idle_source_name(source),
		       "path", detail, "err", strerror(err), NULL);
	else
		log_kv(LOG_LEVEL_INFO, "reading source again", "source", idle_source_name(source),
		       "path", detail, NULL);
}

/* What the flags ask the sampler to read. */
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
	config->containers = opts->collector_containers;
	config->sysfs_dir = opts->path_sysfs;
	config->containers_log_dir = opts->containers_log_dir;
	config->report = report_source;
}

/* Container mode holds two directories per container: up to the hard limit of open files. */
static void
raise_fd_limit(void)
{
	struct rlimit lim;

	if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
		lim.rlim_cur = lim.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &lim) != 0)
			log_kv(LOG_LEVEL_WARN, "cannot raise the open files limit", "err",
			       strerror(errno), NULL);
	}
}

/* Logs why something could not start. */
static void
log_start_error(const char *msg, int err)
{
	log_kv(LOG_LEVEL_ERROR, msg, "err", strerror(err), NULL);
}

/* Makes the sampler and the publisher over it (not started).  NULL after logging why. */
static struct idle_publisher *
publisher_new(const struct options *opts)
{
	struct idle_sampler_config config;
	struct idle_publisher_ops ops;
	struct idle_publisher *pub;
	struct idle_sampler *sampler;

	sampler_config(opts, &config);
	if (opts->collector_containers)
		raise_fd_limit();
	if ((sampler = idle_sampler_new(&config)) == NULL) {
		log_start_error("cannot start sampling", errno);
		return NULL;
	}
	idle_sampler_publisher_ops(sampler, &ops);
	if ((pub = idle_publisher_new(&ops, opts->poll_seconds)) == NULL)
		log_start_error("cannot start sampling", errno);
	return pub;
}

/* Starts everything, serves until told to stop, stops everything.  Returns the exit code. */
static int
serve(const struct options *opts, const struct http_security *security)
{
	struct flag_list flags;
	struct landing_info landing;
	char build[128], where[128];
	struct idle_publisher *pub;
	struct page page;
	struct http http;
	sigset_t set;
	int rc, fd;

	if ((rc = block_stop_signals(&set)) != 0) {
		log_start_error("cannot set up signals", rc);
		return 1;
	}
	if ((pub = publisher_new(opts)) == NULL)
		return 1;
	if ((rc = page_init(&page, pub, PACKAGE_VERSION)) != 0) {
		log_start_error("cannot read /proc/self", rc);
		idle_publisher_free(pub);
		return 1;
	}
	describe_run(&landing, &flags, build, sizeof(build), opts, security);
	/* Listen first: the first poll may block in a read, and must not keep the port shut. */
	if ((fd = open_listener(opts, where, sizeof(where))) < 0 ||
	    start_http(&http, fd, opts, security, &page, &landing) != 0) {
		page_destroy(&page);
		idle_publisher_free(pub);
		return 1;
	}
	if ((rc = idle_publisher_start(pub)) != 0) {
		log_start_error("cannot start the sampling thread", rc);
		http_stop(&http);
		page_destroy(&page);
		idle_publisher_free(pub);
		return 1;
	}
	log_kv(LOG_LEVEL_INFO, "listening", "version", PACKAGE_VERSION, "address", where,
	       "systemd_socket", opts->web_systemd_socket ? "true" : "false", "telemetry_path",
	       opts->telemetry_path, NULL);
	wait_for_stop(&set);
	http_stop(&http);
	page_destroy(&page);
	idle_publisher_free(pub);
	return 0;
}

int
main(int argc, char **argv)
{
	struct security sec;
	struct options opts;
	char err[512];
	int rc;

	/* A few threads that allocate little: one malloc arena spares each of them an arena of
	 * its own, tens of KiB resident apiece. */
	(void)mallopt(M_ARENA_MAX, 1);
	/* A fixed threshold: a large page's buffer is mapped and unmapped, not left in the heap.
	 * glibc's own threshold rises to the largest block freed, after which every page of
	 * container mode (hundreds of KiB) stayed resident in the heap beside the next. */
	(void)mallopt(M_MMAP_THRESHOLD, 128 * 1024);
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
