/* SPDX-License-Identifier: MIT */
/* The HTTP server: libmicrohttpd on a listening socket, within the connection limits. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "tls.h"

/*
 * libmicrohttpd stops accepting at its own limit and leaves new connections in the listen
 * backlog, where a scraper waits out its whole timeout.  Its limit is set above ours, so that
 * accept_policy refuses at ours instead: accepted and closed at once.  The slack covers closed
 * connections libmicrohttpd still counts until its next cleanup.
 */
#define HTTP_LIMIT_SLACK 16

/* Refuses a connection beyond --web.max-connections at once, instead of leaving it queued. */
static enum MHD_Result
accept_policy(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	struct http *http = cls;
	unsigned open = atomic_load(&http->open_connections);

	(void)addr;
	(void)addrlen;
	if (open < http->max_connections)
		return MHD_YES;
	http_log_printf(&http->log, "connection refused: %u open, the --web.max-connections limit",
			open);
	return MHD_NO;
}

/* Counts connections and applies the client certificate policy before a TLS handshake. */
static void
notify_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
		  enum MHD_ConnectionNotificationCode code)
{
	struct http *http = cls;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		atomic_fetch_add(&http->open_connections, 1);
		route_connection_started(&http->route, conn, socket_context);
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		atomic_fetch_sub(&http->open_connections, 1);
	}
}

/* Starts libmicrohttpd's thread on fd with the limits; NULL when it cannot. */
static struct MHD_Daemon *
start_daemon(struct http *http, int fd, const struct http_limits *limits)
{
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG |
			 MHD_ALLOW_SUSPEND_RESUME;
	struct MHD_OptionItem tls_options[TLS_DAEMON_OPTIONS] = {{MHD_OPTION_END, 0, NULL}};

	if (http->route.security.tls != NULL) {
		flags |= MHD_USE_TLS;
		tls_daemon_options(http->route.security.tls, tls_options);
	}
	return MHD_start_daemon(
	    flags, 0, accept_policy, http, route_request, &http->route, MHD_OPTION_EXTERNAL_LOGGER,
	    http_log_mhd, &http->log, MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_CONNECTION_LIMIT,
	    limits->max_connections + HTTP_LIMIT_SLACK, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    limits->max_connections_per_ip, MHD_OPTION_CONNECTION_TIMEOUT,
	    limits->idle_timeout_seconds, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	    limits->memory_per_connection, MHD_OPTION_STRICT_FOR_CLIENT, 1,
	    MHD_OPTION_NOTIFY_CONNECTION, notify_connection, http, MHD_OPTION_ARRAY, tls_options,
	    MHD_OPTION_END);
}

int
http_start(struct http *http, const struct http_config *config, char *err, size_t errsize)
{
	int rc;

	memset(http, 0, sizeof(*http));
	http->route.page = config->page;
	http->route.telemetry_path = config->telemetry_path;
	http->route.landing = config->landing;
	if (config->security != NULL)
		http->route.security = *config->security;
	config->page->extra_headers = http->route.security.headers;
	http->max_connections = config->limits.max_connections;
	atomic_init(&http->open_connections, 0);
	if ((rc = http_log_init(&http->log)) != 0) {
		close(config->listen_fd);
		snprintf(err, errsize, "cannot create a mutex: %s", strerror(rc));
		return rc;
	}
	http->daemon = start_daemon(http, config->listen_fd, &config->limits);
	if (http->daemon == NULL) {
		close(config->listen_fd);
		http_log_destroy(&http->log);
		snprintf(err, errsize, "cannot start the HTTP server (libmicrohttpd)");
		return EIO;
	}
	return 0;
}

void
http_stop(struct http *http)
{
	if (http->daemon != NULL) {
		/* libmicrohttpd must not stop with a connection suspended for a bcrypt check. */
		if (http->route.security.auth != NULL)
			auth_stop(http->route.security.auth);
		MHD_stop_daemon(http->daemon);
		http_log_destroy(&http->log);
	}
	http->daemon = NULL;
}
