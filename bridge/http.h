/* SPDX-License-Identifier: MIT */
/* The HTTP side: a listening socket and libmicrohttpd serving the metrics page. */
#ifndef IDLE_HTTP_H
#define IDLE_HTTP_H

#include <pthread.h>
#include <stddef.h>
#include <time.h>
#include <microhttpd.h>

#include "auth.h"
#include "idle_buf.h"
#include "options.h"
#include "page.h"
#include "tls.h"

/* What --web.config.file adds; every part optional. */
struct http_security {
	const struct tls *tls;      /* NULL: plain HTTP */
	struct auth *auth;          /* NULL: no basic auth */
	const char *const *headers; /* name, value pairs ending in NULL, on every response; or NULL */
};

#define HTTP_LOG_KINDS 8
#define HTTP_LOG_REPEAT_SECONDS 10

/* One kind of libmicrohttpd message (its format string) and when it was last printed. */
struct http_log_kind {
	const char *fmt;
	time_t since;
	unsigned suppressed;
};

/* Keeps libmicrohttpd's messages to one line per kind every HTTP_LOG_REPEAT_SECONDS. */
struct http_log_limit {
	pthread_mutex_t lock;
	struct http_log_kind kinds[HTTP_LOG_KINDS];
	size_t next;
};

struct http {
	struct http_log_limit log;
	struct MHD_Daemon *daemon;
	struct page *page;
	const char *telemetry_path;
	struct http_security security;
	struct idle_buf landing; /* the HTML page for browsers on / */
};

/*
 * Binds opts' listen address and starts serving page, with security (NULL: none), which must
 * outlive the daemon.  Returns 0, or writes one line naming the address and the reason into err
 * and returns an errno.
 */
int http_start(struct http *http, const struct options *opts,
	       const struct http_security *security, struct page *page, char *err,
	       size_t errsize);

/* Stops serving: closes the socket and every connection, joins libmicrohttpd's thread. */
void http_stop(struct http *http);

#endif
