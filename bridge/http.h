/* SPDX-License-Identifier: MIT */
/* The HTTP server: libmicrohttpd on a listening socket, within the connection limits. */
#ifndef IDLE_HTTP_H
#define IDLE_HTTP_H

#include <microhttpd.h>
#include <stdatomic.h>
#include <stddef.h>

#include "httplog.h"
#include "landing.h"
#include "page.h"
#include "route.h"

/* How much the server takes on at once. */
struct http_limits {
	unsigned max_connections;	 /* more are accepted and closed at once */
	unsigned max_connections_per_ip; /* the same, per client address */
	unsigned idle_timeout_seconds;	 /* an idle or stalled connection is closed after this */
	size_t memory_per_connection;	 /* libmicrohttpd's pool for a request's head */
};

/* What http_start needs; the strings and objects must outlive the server. */
struct http_config {
	int listen_fd; /* a listening TCP socket; http_start takes it */
	const char *telemetry_path;
	struct http_limits limits;
	const struct http_security *security; /* NULL: plain HTTP, no auth, no extra headers */
	struct page *page;
	const struct landing_info *landing;
};

struct http {
	struct http_log_limit log;
	struct MHD_Daemon *daemon;
	struct route route;
	unsigned max_connections;
	atomic_uint open_connections; /* counted by libmicrohttpd's notifications */
};

/*
 * Starts serving on config's socket, which it owns from then on (closed on failure too).
 * Returns 0, or writes one line with the reason into err and returns an errno.
 */
int http_start(struct http *http, const struct http_config *config, char *err, size_t errsize);

/* Stops serving: closes the socket and every connection, joins libmicrohttpd's thread. */
void http_stop(struct http *http);

#endif
