/* SPDX-License-Identifier: MIT */
/* Request handling: credentials, then the metrics or the landing page by path and Accept. */
#ifndef IDLE_ROUTE_H
#define IDLE_ROUTE_H

#include <microhttpd.h>
#include <stdbool.h>

#include "auth.h"
#include "landing.h"
#include "page.h"
#include "tls.h"

/* What --web.config.file adds; every part optional. */
struct http_security {
	const struct tls *tls; /* NULL: plain HTTP */
	struct auth *auth;     /* NULL: no basic auth */
	const char *const
	    *headers; /* name, value pairs ending in NULL, on every response; or NULL */
};

/* Everything a request is answered from; owned by the caller, read by libmicrohttpd's thread. */
struct route {
	struct page *page;
	const char *telemetry_path;
	struct http_security security;
	const struct landing_info *landing;
};

/*
 * The path of a request target as libmicrohttpd hands it over (decoded, query cut off): itself
 * in origin form ("/metrics"); what follows the authority in absolute form
 * ("http://host:3003/metrics", which RFC 9112 says a server must accept), "/" when nothing does.
 * Points into target.  Pure.
 */
const char *route_path(const char *target);

/* libmicrohttpd's request handler (MHD_AccessHandlerCallback); cls is a struct route. */
enum MHD_Result route_request(void *cls, struct MHD_Connection *conn, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_size, void **req_cls);

/*
 * Applies the client certificate policy to a new connection, before its handshake; a connection
 * it cannot secure is marked in *socket_context and never served.
 */
void route_connection_started(const struct route *route, struct MHD_Connection *conn,
			      void **socket_context);

#endif
