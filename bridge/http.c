/* SPDX-License-Identifier: MIT */
/* The HTTP side: a listening socket and libmicrohttpd serving the metrics page. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "http.h"
#include "listen.h"
#include "negotiate.h"

/* The challenge of a 401: RFC 7617 wants a realm; exporter-toolkit sends a bare "Basic". */
#define HTTP_CHALLENGE "Basic realm=\"idle-exporter\""

/* What find_authorization collects. */
struct authorization {
	unsigned count;
	const char *value; /* NULL when it held a NUL */
};

/* Whether a message of this format may be printed now; counts it when not.  Thread-safe. */
static bool
log_allowed(struct http_log_limit *limit, const char *fmt, unsigned *suppressed)
{
	struct timespec now;
	struct http_log_kind *kind = NULL;
	size_t i;
	bool allowed;

	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&limit->lock);
	for (i = 0; i < HTTP_LOG_KINDS && kind == NULL; i++)
		if (limit->kinds[i].fmt == fmt)
			kind = &limit->kinds[i];
	if (kind == NULL) {
		kind = &limit->kinds[limit->next];
		limit->next = (limit->next + 1) % HTTP_LOG_KINDS;
		kind->fmt = fmt;
		kind->since = now.tv_sec - HTTP_LOG_REPEAT_SECONDS;
		kind->suppressed = 0;
	}
	allowed = now.tv_sec - kind->since >= HTTP_LOG_REPEAT_SECONDS;
	*suppressed = kind->suppressed;
	if (allowed) {
		kind->since = now.tv_sec;
		kind->suppressed = 0;
	} else {
		kind->suppressed++;
	}
	pthread_mutex_unlock(&limit->lock);
	return allowed;
}

/*
 * Prints libmicrohttpd's own errors as one prefixed line each, the same message at most once
 * every HTTP_LOG_REPEAT_SECONDS: a client hammering the connection limit would otherwise
 * write thousands of lines a second.
 */
static void
log_mhd(void *cls, const char *fmt, va_list ap)
{
	struct http *http = cls;
	unsigned suppressed;
	char line[512];
	size_t len;

	if (!log_allowed(&http->log, fmt, &suppressed))
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	len = strlen(line);
	while (len > 0 && line[len - 1] == '\n')
		line[--len] = '\0';
	if (suppressed > 0)
		fprintf(stderr, "idle-exporter: http: %s (and %u more like it since the last)\n",
			line, suppressed);
	else
		fprintf(stderr, "idle-exporter: http: %s\n", line);
}

/* Adds name, value pairs (ending in NULL; NULL for none); false when one is refused. */
static bool
add_headers(struct MHD_Response *response, const char *const *pairs)
{
	for (; pairs != NULL && pairs[0] != NULL; pairs += 2)
		if (MHD_add_response_header(response, pairs[0], pairs[1]) != MHD_YES)
			return false;
	return true;
}

/* Queues a short plain-text status answer with the config's headers and extra ones. */
static enum MHD_Result
answer_status(struct http *http, struct MHD_Connection *conn, unsigned status, const char *body,
	      const char *const *extra)
{
	struct MHD_Response *response;
	enum MHD_Result ret;

	response = MHD_create_response_from_buffer(strlen(body), (void *)body,
						   MHD_RESPMEM_PERSISTENT);
	if (response == NULL)
		return MHD_NO;
	if (MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE,
				    "text/plain; charset=utf-8") != MHD_YES ||
	    !add_headers(response, extra) || !add_headers(response, http->security.headers)) {
		MHD_destroy_response(response);
		return MHD_NO;
	}
	ret = MHD_queue_response(conn, status, response);
	MHD_destroy_response(response);
	return ret;
}

/* Serves the metrics page in the format and encoding the scraper asked for. */
static enum MHD_Result
answer_metrics(struct http *http, struct MHD_Connection *conn)
{
	const char *accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							 MHD_HTTP_HEADER_ACCEPT);
	const char *encoding = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							   MHD_HTTP_HEADER_ACCEPT_ENCODING);
	struct page_variant variant = {IDLE_EXPO_TEXT, negotiate_accepts(encoding, "gzip")};
	struct MHD_Response *response;

	/* As the Python client did: OpenMetrics whenever the scraper lists it. */
	if (negotiate_accepts(accept, "application/openmetrics-text"))
		variant.format = IDLE_EXPO_OPENMETRICS;
	response = page_current(http->page, variant);

	if (response == NULL)
		return answer_status(http, conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
				     "Out of memory rendering the metrics.\n", NULL);
	return MHD_queue_response(conn, MHD_HTTP_OK, response);
}

/* A browser on / gets a short page naming the exporter and linking to the metrics. */
static enum MHD_Result
answer_landing(struct http *http, struct MHD_Connection *conn)
{
	struct MHD_Response *response;
	enum MHD_Result ret;

	response = MHD_create_response_from_buffer(http->landing.len, http->landing.data,
						   MHD_RESPMEM_PERSISTENT);
	if (response == NULL)
		return MHD_NO;
	if (MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE,
				    "text/html; charset=utf-8") != MHD_YES ||
	    !add_headers(response, http->security.headers)) {
		MHD_destroy_response(response);
		return MHD_NO;
	}
	ret = MHD_queue_response(conn, MHD_HTTP_OK, response);
	MHD_destroy_response(response);
	return ret;
}

/* True when the request's Accept header lists text/html: a person with a browser. */
static bool
wants_html(struct MHD_Connection *conn)
{
	return negotiate_accepts(
		MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT),
		"text/html");
}

/* Appends text with HTML's special characters escaped. */
static void
append_html(struct idle_buf *out, const char *text)
{
	for (; *text != '\0'; text++) {
		switch (*text) {
		case '&': idle_buf_puts(out, "&amp;"); break;
		case '<': idle_buf_puts(out, "&lt;"); break;
		case '>': idle_buf_puts(out, "&gt;"); break;
		case '"': idle_buf_puts(out, "&quot;"); break;
		case '\'': idle_buf_puts(out, "&#39;"); break;
		default: idle_buf_append(out, text, 1);
		}
	}
}

/* Builds the landing page once: its content never changes while the exporter runs. */
static int
build_landing(struct http *http, const char *version)
{
	struct idle_buf *out = &http->landing;

	idle_buf_init(out);
	idle_buf_puts(out, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
			   "<title>idle-exporter</title></head>\n<body><h1>idle-exporter ");
	append_html(out, version);
	idle_buf_puts(out, "</h1>\n<p>Terminal idle time for Prometheus.</p>\n<p><a href=\"");
	append_html(out, http->telemetry_path);
	idle_buf_puts(out, "\">Metrics</a></p>\n</body></html>\n");
	return out->err;
}

/* Finds the Authorization header; more than one, or one holding a NUL, counts as malformed. */
static enum MHD_Result
find_authorization(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
		   const char *value, size_t value_size)
{
	struct authorization *found = cls;

	(void)kind;
	if (key_size != strlen(MHD_HTTP_HEADER_AUTHORIZATION) ||
	    strcasecmp(key, MHD_HTTP_HEADER_AUTHORIZATION) != 0)
		return MHD_YES;
	found->count++;
	found->value = value != NULL && strlen(value) == value_size ? value : NULL;
	return MHD_YES;
}

static void
suspend_connection(void *conn)
{
	MHD_suspend_connection(conn);
}

static void
resume_connection(void *conn)
{
	MHD_resume_connection(conn);
}

/*
 * Checks the request's credentials when the config has users.  A new credential's bcrypt runs
 * on auth's thread while the connection is suspended (AUTH_PENDING), so it never holds up other
 * requests; once resumed, the request is asked again and answered from the cache.
 */
static enum auth_result
authorize(struct http *http, struct MHD_Connection *conn)
{
	const struct auth_waiter waiter = {suspend_connection, resume_connection, conn};
	struct authorization found = {0, NULL};
	struct timespec now;

	if (http->security.auth == NULL)
		return AUTH_GRANTED;
	MHD_get_connection_values_n(conn, MHD_HEADER_KIND, find_authorization, &found);
	clock_gettime(CLOCK_MONOTONIC, &now);
	return auth_check(http->security.auth, found.count == 1 ? found.value : NULL,
			  (double)now.tv_sec + (double)now.tv_nsec / 1e9, &waiter);
}

/* 401 with the challenge, or 429 when new credentials must wait for the bcrypt budget. */
static enum MHD_Result
answer_unauthorized(struct http *http, struct MHD_Connection *conn, enum auth_result result)
{
	static const char *const challenge[] = {MHD_HTTP_HEADER_WWW_AUTHENTICATE,
						HTTP_CHALLENGE, NULL};
	static const char *const retry[] = {MHD_HTTP_HEADER_RETRY_AFTER, "1", NULL};

	if (result == AUTH_BUSY)
		return answer_status(http, conn, MHD_HTTP_TOO_MANY_REQUESTS,
				     "Too Many Requests\n", retry);
	return answer_status(http, conn, MHD_HTTP_UNAUTHORIZED, "Unauthorized\n", challenge);
}

/* Marks a connection whose client certificate policy could not be set: it is never served. */
static char untrusted;

/* Applies the client certificate policy to each new TLS connection, before its handshake. */
static void
notify_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
		  enum MHD_ConnectionNotificationCode code)
{
	struct http *http = cls;

	if (code == MHD_CONNECTION_NOTIFY_STARTED && http->security.tls != NULL &&
	    tls_connection_started(http->security.tls, conn) != 0)
		*socket_context = &untrusted;
}

/* False for a connection notify_connection could not secure. */
static bool
connection_trusted(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return info == NULL || info->socket_context != &untrusted;
}

/* Routes a request: credentials first, then GET and HEAD of the telemetry path or /. */
static enum MHD_Result
handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
       const char *version, const char *upload_data, size_t *upload_size, void **req_cls)
{
	static const char *const allow[] = {MHD_HTTP_HEADER_ALLOW, "GET, HEAD", NULL};
	struct http *http = cls;
	enum auth_result result;

	(void)version;
	(void)upload_data;
	/*
	 * Answer on the second call: libmicrohttpd closes the connection when a response is
	 * queued on the first one, which would defeat keep-alive scrapes.
	 */
	if (*req_cls == NULL) {
		*req_cls = http;
		return MHD_YES;
	}
	if (*upload_size != 0) {
		*upload_size = 0; /* a body is read and dropped */
		return MHD_YES;
	}
	if (!connection_trusted(conn))
		return MHD_NO;
	/* Every path and method, as exporter-toolkit does: nothing is served unauthenticated. */
	if ((result = authorize(http, conn)) == AUTH_PENDING)
		return MHD_YES;
	if (result != AUTH_GRANTED)
		return answer_unauthorized(http, conn, result);
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return answer_status(http, conn, MHD_HTTP_METHOD_NOT_ALLOWED,
				     "Method Not Allowed\n", allow);
	if (strcmp(url, http->telemetry_path) != 0 && strcmp(url, "/") == 0 && wants_html(conn))
		return answer_landing(http, conn);
	if (strcmp(url, http->telemetry_path) == 0 || strcmp(url, "/") == 0)
		return answer_metrics(http, conn);
	return answer_status(http, conn, MHD_HTTP_NOT_FOUND, "Not Found\n", NULL);
}

int
http_start(struct http *http, const struct options *opts,
	   const struct http_security *security, struct page *page, char *err,
	   size_t errsize)
{
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG |
			 MHD_ALLOW_SUSPEND_RESUME;
	struct MHD_OptionItem tls_options[TLS_DAEMON_OPTIONS] = {{MHD_OPTION_END, 0, NULL}};
	int fd;

	memset(http, 0, sizeof(*http));
	http->page = page;
	http->telemetry_path = opts->telemetry_path;
	if (security != NULL)
		http->security = *security;
	page->extra_headers = http->security.headers;
	if (http->security.tls != NULL) {
		flags |= MHD_USE_TLS;
		tls_daemon_options(http->security.tls, tls_options);
	}
	if (build_landing(http, page->version) != 0) {
		snprintf(err, errsize, "out of memory");
		return ENOMEM;
	}
	fd = listen_open(opts->listen_host, opts->listen_port, err, errsize);
	if (fd < 0) {
		idle_buf_free(&http->landing);
		return EADDRNOTAVAIL;
	}
	if (pthread_mutex_init(&http->log.lock, NULL) != 0) {
		close(fd);
		idle_buf_free(&http->landing);
		snprintf(err, errsize, "cannot create a mutex");
		return EAGAIN;
	}
	http->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, handle, http, MHD_OPTION_EXTERNAL_LOGGER, log_mhd, http,
		MHD_OPTION_LISTEN_SOCKET, fd,
		MHD_OPTION_CONNECTION_LIMIT, opts->max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, opts->max_connections_per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT, opts->idle_timeout_seconds,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, opts->memory_per_connection,
		MHD_OPTION_STRICT_FOR_CLIENT, 1,
		MHD_OPTION_NOTIFY_CONNECTION, notify_connection, http,
		MHD_OPTION_ARRAY, tls_options, MHD_OPTION_END);
	if (http->daemon == NULL) {
		close(fd);
		idle_buf_free(&http->landing);
		pthread_mutex_destroy(&http->log.lock);
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
		if (http->security.auth != NULL)
			auth_stop(http->security.auth);
		MHD_stop_daemon(http->daemon);
		pthread_mutex_destroy(&http->log.lock);
	}
	http->daemon = NULL;
	idle_buf_free(&http->landing);
}
