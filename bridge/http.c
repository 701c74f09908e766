/* The HTTP side: a listening socket and libmicrohttpd serving the metrics page. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "listen.h"

/* Prints libmicrohttpd's own errors as one prefixed line each. */
static void
log_mhd(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	size_t len;

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	len = strlen(line);
	while (len > 0 && line[len - 1] == '\n')
		line[--len] = '\0';
	fprintf(stderr, "idle-exporter: http: %s\n", line);
}

/* Queues a short plain-text status answer, with an Allow header for 405. */
static enum MHD_Result
answer_status(struct MHD_Connection *conn, unsigned status, const char *body)
{
	struct MHD_Response *response;
	enum MHD_Result ret;

	response = MHD_create_response_from_buffer(strlen(body), (void *)body,
						   MHD_RESPMEM_PERSISTENT);
	if (response == NULL)
		return MHD_NO;
	if (MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE,
				    "text/plain; charset=utf-8") != MHD_YES ||
	    (status == MHD_HTTP_METHOD_NOT_ALLOWED &&
	     MHD_add_response_header(response, MHD_HTTP_HEADER_ALLOW, "GET, HEAD") != MHD_YES)) {
		MHD_destroy_response(response);
		return MHD_NO;
	}
	ret = MHD_queue_response(conn, status, response);
	MHD_destroy_response(response);
	return ret;
}

/* Serves the metrics page. */
static enum MHD_Result
answer_metrics(struct http *http, struct MHD_Connection *conn)
{
	struct MHD_Response *response = page_current(http->page);

	if (response == NULL)
		return answer_status(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
				     "Out of memory rendering the metrics.\n");
	return MHD_queue_response(conn, MHD_HTTP_OK, response);
}

/* Routes a request: GET and HEAD of the telemetry path or /, 404 elsewhere, 405 otherwise. */
static enum MHD_Result
handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
       const char *version, const char *upload_data, size_t *upload_size, void **req_cls)
{
	struct http *http = cls;

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
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return answer_status(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "Method Not Allowed\n");
	if (strcmp(url, http->telemetry_path) == 0 || strcmp(url, "/") == 0)
		return answer_metrics(http, conn);
	return answer_status(conn, MHD_HTTP_NOT_FOUND, "Not Found\n");
}

int
http_start(struct http *http, const struct options *opts, struct page *page, char *err,
	   size_t errsize)
{
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
	int fd;

	memset(http, 0, sizeof(*http));
	http->page = page;
	http->telemetry_path = opts->telemetry_path;
	fd = listen_open(opts->listen_host, opts->listen_port, err, errsize);
	if (fd < 0)
		return EADDRNOTAVAIL;
	http->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, handle, http, MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,
		MHD_OPTION_LISTEN_SOCKET, fd,
		MHD_OPTION_CONNECTION_LIMIT, opts->max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, opts->max_connections_per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT, opts->idle_timeout_seconds,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, opts->memory_per_connection,
		MHD_OPTION_STRICT_FOR_CLIENT, 1, MHD_OPTION_END);
	if (http->daemon == NULL) {
		close(fd);
		snprintf(err, errsize, "cannot start the HTTP server (libmicrohttpd)");
		return EIO;
	}
	return 0;
}

void
http_stop(struct http *http)
{
	if (http->daemon != NULL)
		MHD_stop_daemon(http->daemon);
	http->daemon = NULL;
}
