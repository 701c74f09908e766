/* SPDX-License-Identifier: MIT */
/* Request handling: credentials, then the metrics or the landing page by path and Accept. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "negotiate.h"
#include "route.h"

/* The challenge of a 401: RFC 7617 wants a realm; exporter-toolkit sends a bare "Basic". */
#define ROUTE_CHALLENGE "Basic realm=\"idle-exporter\""

/* What find_authorization collects. */
struct authorization {
	unsigned count;
	const char *value; /* NULL when it held a NUL */
};

/* Marks a connection whose client certificate policy could not be set: it is never served. */
static char untrusted;

const char *
route_path(const char *target)
{
	const char *rest, *slash;

	if (strncasecmp(target, "http://", 7) == 0)
		rest = target + 7;
	else if (strncasecmp(target, "https://", 8) == 0)
		rest = target + 8;
	else
		return target;
	slash = strchr(rest, '/');
	return slash != NULL ? slash : "/";
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

/* Queues response with its content type, extra headers and the config's; destroys it. */
static enum MHD_Result
queue(const struct route *route, struct MHD_Connection *conn, unsigned status,
      struct MHD_Response *response, const char *type, const char *const *extra)
{
	enum MHD_Result ret;

	if (response == NULL)
		return MHD_NO;
	if (MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, type) != MHD_YES ||
	    !add_headers(response, extra) || !add_headers(response, route->security.headers)) {
		MHD_destroy_response(response);
		return MHD_NO;
	}
	ret = MHD_queue_response(conn, status, response);
	MHD_destroy_response(response);
	return ret;
}

/* Queues a short plain-text status answer with the config's headers and extra ones. */
static enum MHD_Result
answer_status(const struct route *route, struct MHD_Connection *conn, unsigned status,
	      const char *body, const char *const *extra)
{
	return queue(
	    route, conn, status,
	    MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_PERSISTENT),
	    "text/plain; charset=utf-8", extra);
}

/* Serves the metrics page in the format and encoding the scraper asked for. */
static enum MHD_Result
answer_metrics(const struct route *route, struct MHD_Connection *conn)
{
	const char *accept =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
	const char *encoding =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
	struct page_variant variant = {IDLE_EXPO_TEXT, negotiate_accepts(encoding, "gzip")};
	struct MHD_Response *response;
	enum MHD_Result ret;
	bool owned;

	/* As the Python client did: OpenMetrics whenever the scraper lists it. */
	if (negotiate_accepts(accept, "application/openmetrics-text"))
		variant.format = IDLE_EXPO_OPENMETRICS;
	response = page_current(route->page, variant, &owned);

	if (response == NULL)
		return answer_status(route, conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
				     "Out of memory rendering the metrics.\n", NULL);
	ret = MHD_queue_response(conn, MHD_HTTP_OK, response);
	if (owned)
		MHD_destroy_response(response);
	return ret;
}

/* Frees a rendered landing page once libmicrohttpd no longer needs it. */
static void
free_body(void *cls)
{
	free(cls);
}

/* A browser on / gets the landing page, rendered from the latest snapshot for each request. */
static enum MHD_Result
answer_landing(const struct route *route, struct MHD_Connection *conn)
{
	static const char *const no_store[] = {MHD_HTTP_HEADER_CACHE_CONTROL, "no-store", NULL};
	const struct idle_snapshot *snap = page_snapshot(route->page);
	struct MHD_Response *response;
	struct idle_buf html;

	idle_buf_init(&html);
	if (snap != NULL)
		landing_render(&html, route->landing, snap);
	if (snap == NULL || html.err != 0) {
		idle_buf_free(&html);
		return answer_status(route, conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
				     "Out of memory rendering the page.\n", NULL);
	}
	response = MHD_create_response_from_buffer_with_free_callback_cls(html.len, html.data,
									  free_body, html.data);
	if (response == NULL)
		idle_buf_free(&html);
	return queue(route, conn, MHD_HTTP_OK, response, "text/html; charset=utf-8", no_store);
}

/* True when the request's Accept header lists text/html: a person with a browser. */
static bool
wants_html(struct MHD_Connection *conn)
{
	return negotiate_accepts(
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT),
	    "text/html");
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
authorize(const struct route *route, struct MHD_Connection *conn)
{
	const struct auth_waiter waiter = {suspend_connection, resume_connection, conn};
	struct authorization found = {0, NULL};
	struct timespec now;

	if (route->security.auth == NULL)
		return AUTH_GRANTED;
	MHD_get_connection_values_n(conn, MHD_HEADER_KIND, find_authorization, &found);
	clock_gettime(CLOCK_MONOTONIC, &now);
	return auth_check(route->security.auth, found.count == 1 ? found.value : NULL,
			  (double)now.tv_sec + (double)now.tv_nsec / 1e9, &waiter);
}

/* 401 with the challenge, or 429 when new credentials must wait for the bcrypt budget. */
static enum MHD_Result
answer_unauthorized(const struct route *route, struct MHD_Connection *conn, enum auth_result result)
{
	static const char *const challenge[] = {MHD_HTTP_HEADER_WWW_AUTHENTICATE, ROUTE_CHALLENGE,
						NULL};
	static const char *const retry[] = {MHD_HTTP_HEADER_RETRY_AFTER, "1", NULL};

	if (result == AUTH_BUSY)
		return answer_status(route, conn, MHD_HTTP_TOO_MANY_REQUESTS, "Too Many Requests\n",
				     retry);
	return answer_status(route, conn, MHD_HTTP_UNAUTHORIZED, "Unauthorized\n", challenge);
}

void
route_connection_started(const struct route *route, struct MHD_Connection *conn,
			 void **socket_context)
{
	if (route->security.tls != NULL && tls_connection_started(route->security.tls, conn) != 0)
		*socket_context = &untrusted;
}

/* False for a connection route_connection_started could not secure. */
static bool
connection_trusted(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *info =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return info == NULL || info->socket_context != &untrusted;
}

/*
 * Answers by path, the one place that says which paths exist: the telemetry path serves the
 * metrics, and so does / unless a browser asks for HTML; every other path is 404, so that a
 * mistyped metrics_path fails the scrape instead of quietly scraping something.
 */
static enum MHD_Result
answer_path(const struct route *route, struct MHD_Connection *conn, const char *path)
{
	bool telemetry = strcmp(path, route->telemetry_path) == 0;

	if (!telemetry && strcmp(path, "/") == 0 && wants_html(conn))
		return answer_landing(route, conn);
	if (telemetry || strcmp(path, "/") == 0)
		return answer_metrics(route, conn);
	return answer_status(route, conn, MHD_HTTP_NOT_FOUND, "Not Found\n", NULL);
}

enum MHD_Result
route_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
	      const char *version, const char *upload_data, size_t *upload_size, void **req_cls)
{
	static const char *const allow[] = {MHD_HTTP_HEADER_ALLOW, "GET, HEAD", NULL};
	const struct route *route = cls;
	enum auth_result result;

	(void)version;
	(void)upload_data;
	/*
	 * Answer on the second call: libmicrohttpd closes the connection when a response is
	 * queued on the first one, which would defeat keep-alive scrapes.
	 */
	if (*req_cls == NULL) {
		*req_cls = cls;
		return MHD_YES;
	}
	if (*upload_size != 0) {
		*upload_size = 0; /* a body is read and dropped */
		return MHD_YES;
	}
	if (!connection_trusted(conn))
		return MHD_NO;
	/* Every path and method, as exporter-toolkit does: nothing is served unauthenticated. */
	if ((result = authorize(route, conn)) == AUTH_PENDING)
		return MHD_YES;
	if (result != AUTH_GRANTED)
		return answer_unauthorized(route, conn, result);
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return answer_status(route, conn, MHD_HTTP_METHOD_NOT_ALLOWED,
				     "Method Not Allowed\n", allow);
	return answer_path(route, conn, route_path(url));
}
