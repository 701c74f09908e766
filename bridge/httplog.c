/* SPDX-License-Identifier: MIT */
/* The HTTP side's log lines, each kind at most once every HTTP_LOG_REPEAT_SECONDS. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "httplog.h"

int
http_log_init(struct http_log_limit *limit)
{
	memset(limit, 0, sizeof(*limit));
	return pthread_mutex_init(&limit->lock, NULL);
}

void
http_log_destroy(struct http_log_limit *limit)
{
	pthread_mutex_destroy(&limit->lock);
}

/* The slot of a kind, taking the oldest-made one for a new kind.  Called with the lock held. */
static struct http_log_kind *
find_kind(struct http_log_limit *limit, const char *fmt, time_t now)
{
	struct http_log_kind *kind;
	size_t i;

	for (i = 0; i < HTTP_LOG_KINDS; i++)
		if (limit->kinds[i].fmt == fmt)
			return &limit->kinds[i];
	kind = &limit->kinds[limit->next];
	limit->next = (limit->next + 1) % HTTP_LOG_KINDS;
	kind->fmt = fmt;
	kind->since = now - HTTP_LOG_REPEAT_SECONDS;
	kind->suppressed = 0;
	return kind;
}

/* Whether a message of this format may be printed now; counts it when not. */
static bool
log_allowed(struct http_log_limit *limit, const char *fmt, unsigned *suppressed)
{
	struct http_log_kind *kind;
	struct timespec now;
	bool allowed;

	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&limit->lock);
	kind = find_kind(limit, fmt, now.tv_sec);
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

void
http_log_vprintf(struct http_log_limit *limit, const char *fmt, va_list ap)
{
	unsigned suppressed;
	char line[512];
	size_t len;

	if (!log_allowed(limit, fmt, &suppressed))
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

void
http_log_printf(struct http_log_limit *limit, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	http_log_vprintf(limit, fmt, ap);
	va_end(ap);
}

void
http_log_mhd(void *cls, const char *fmt, va_list ap)
{
	http_log_vprintf(cls, fmt, ap);
}
