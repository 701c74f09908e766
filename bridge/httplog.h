/* SPDX-License-Identifier: MIT */
/* The HTTP side's log lines, each kind at most once every HTTP_LOG_REPEAT_SECONDS. */
#ifndef IDLE_HTTPLOG_H
#define IDLE_HTTPLOG_H

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <time.h>

#define HTTP_LOG_KINDS 8
#define HTTP_LOG_REPEAT_SECONDS 10

/* One kind of message (its format string) and when it was last printed. */
struct http_log_kind {
	const char *fmt;
	time_t since;
	unsigned suppressed;
};

/*
 * Keeps messages to one line per kind every HTTP_LOG_REPEAT_SECONDS: a client hammering the
 * connection limit would otherwise write thousands of lines a second.
 */
struct http_log_limit {
	pthread_mutex_t lock;
	struct http_log_kind kinds[HTTP_LOG_KINDS];
	size_t next;
};

/* Prepares an empty limiter.  Returns 0 or an errno. */
int http_log_init(struct http_log_limit *limit);

/* Releases the limiter's mutex; no call may be running. */
void http_log_destroy(struct http_log_limit *limit);

/*
 * Prints fmt (a string literal: kinds are told apart by its address) as one prefixed line on
 * stderr, unless a line of the same kind was printed less than HTTP_LOG_REPEAT_SECONDS ago; the
 * next line printed says how many were left out.  Thread-safe.
 */
void http_log_vprintf(struct http_log_limit *limit, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
void http_log_printf(struct http_log_limit *limit, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* libmicrohttpd's MHD_OPTION_EXTERNAL_LOGGER callback; cls is a struct http_log_limit. */
void http_log_mhd(void *cls, const char *fmt, va_list ap);

#endif
