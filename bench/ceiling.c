/* SPDX-License-Identifier: MIT */
/* bench-ceiling: a bare libmicrohttpd server answering every GET with one fixed buffer. */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: bench-ceiling PORT BODY-FILE [--gzip] [--tls CERT KEY]\n"
    "Serves BODY-FILE on 127.0.0.1:PORT to every request, with the exporter's Content-Type\n"
    "(and Content-Encoding: gzip with --gzip), from one internal libmicrohttpd thread as\n"
    "idle-exporter does, until SIGTERM or SIGINT.\n";

/* Reads a whole file into a new NUL-terminated buffer; returns NULL with errno set. */
static char *
slurp(const char *path, size_t *len)
{
	size_t cap = 4096, got = 0, n;
	char *buf, *grown;
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return NULL;
	buf = malloc(cap);
	while (buf != NULL && (n = fread(buf + got, 1, cap - got - 1, f)) > 0) {
		got += n;
		if (got + 1 == cap) {
			grown = realloc(buf, cap * 2);
			if (grown == NULL)
				free(buf);
			buf = grown;
			cap *= 2;
		}
	}
	fclose(f);
	if (buf == NULL)
		return NULL;
	buf[got] = '\0';
	*len = got;
	return buf;
}

/* Answers on the second call, as the exporter does, so keep-alive works the same way. */
static enum MHD_Result
handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
       const char *version, const char *upload_data, size_t *upload_size, void **req_cls)
{
	(void)url;
	(void)method;
	(void)version;
	(void)upload_data;
	if (*req_cls == NULL) {
		*req_cls = cls;
		return MHD_YES;
	}
	*upload_size = 0;
	return MHD_queue_response(conn, MHD_HTTP_OK, cls);
}

/* Builds the one response every request gets. */
static struct MHD_Response *
make_response(char *body, size_t len, int gzip)
{
	struct MHD_Response *r;

	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return NULL;
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				    "text/plain; version=0.0.4; charset=utf-8") != MHD_YES ||
	    (gzip &&
	     MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip") != MHD_YES)) {
		MHD_destroy_response(r);
		return NULL;
	}
	return r;
}

/* What the command line asks for. */
struct args {
	unsigned long port;
	const char *body_path;
	int gzip;
	char *cert; /* PEM, NULL without --tls */
	char *key;
};

/* Parses the command line; returns 0, or 2 after printing the usage. */
static int
parse_args(int argc, char **argv, struct args *args)
{
	size_t unused;
	char *end;
	int i;

	memset(args, 0, sizeof(*args));
	if (argc < 3)
		return fputs(usage, stderr), 2;
	errno = 0;
	args->port = strtoul(argv[1], &end, 10);
	if (errno != 0 || *end != '\0' || args->port == 0 || args->port > 65535)
		return fputs(usage, stderr), 2;
	args->body_path = argv[2];
	for (i = 3; i < argc; i++) {
		if (strcmp(argv[i], "--gzip") == 0) {
			args->gzip = 1;
		} else if (strcmp(argv[i], "--tls") == 0 && i + 2 < argc && args->cert == NULL) {
			args->cert = slurp(argv[++i], &unused);
			args->key = slurp(argv[++i], &unused);
			if (args->cert == NULL || args->key == NULL)
				return perror("bench-ceiling: --tls"), 2;
		} else {
			return fputs(usage, stderr), 2;
		}
	}
	return 0;
}

/* Starts the daemon on 127.0.0.1 with the exporter's threading: one internal thread. */
static struct MHD_Daemon *
start(const struct args *args, struct MHD_Response *response)
{
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
	struct sockaddr_in sa;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)args->port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (args->cert == NULL)
		return MHD_start_daemon(flags, (uint16_t)args->port, NULL, NULL, handle, response,
					MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_END);
	return MHD_start_daemon(flags | MHD_USE_TLS, (uint16_t)args->port, NULL, NULL, handle,
				response, MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_HTTPS_MEM_CERT,
				args->cert, MHD_OPTION_HTTPS_MEM_KEY, args->key, MHD_OPTION_END);
}

int
main(int argc, char **argv)
{
	struct MHD_Response *response;
	struct MHD_Daemon *daemon;
	struct args args;
	size_t len;
	sigset_t set;
	char *body;
	int sig;

	if (parse_args(argc, argv, &args) != 0)
		return 2;
	body = slurp(args.body_path, &len);
	if (body == NULL)
		return perror(args.body_path), 1;
	response = make_response(body, len, args.gzip);
	if (response == NULL)
		return fputs("bench-ceiling: cannot build the response\n", stderr), 1;
	/* The stop signals go to sigwait alone, in every thread. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	daemon = start(&args, response);
	if (daemon == NULL)
		return fprintf(stderr, "bench-ceiling: cannot listen on port %lu\n", args.port), 1;
	while (sigwait(&set, &sig) != 0)
		;
	MHD_stop_daemon(daemon);
	MHD_destroy_response(response);
	free(body);
	free(args.cert);
	free(args.key);
	return 0;
}
