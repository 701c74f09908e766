/* SPDX-License-Identifier: MIT */
/* The Prometheus text format (0.0.4) and OpenMetrics 1.0.0 of a snapshot: pure rendering, no IO. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idle_expo.h"
#include "idle_label.h"

void
idle_expo_label_value(struct idle_buf *out, const char *raw, size_t cap)
{
	struct idle_label_iter it;
	const char *chunk;
	size_t len;

	idle_label_iter_init(&it, raw, cap);
	while (idle_label_iter_next(&it, &chunk, &len)) {
		if (len == 1 && chunk[0] == '\\')
			idle_buf_puts(out, "\\\\");
		else if (len == 1 && chunk[0] == '"')
			idle_buf_puts(out, "\\\"");
		else if (len == 1 && chunk[0] == '\n')
			idle_buf_puts(out, "\\n");
		else
			idle_buf_append(out, chunk, len);
	}
}

/*
 * Appends a whole number below 1e15 in decimal, as %.15g would: counts and counters are most of
 * a page's samples, and snprintf with a strtod check costs a hundred times more.
 */
static void
whole_number(struct idle_buf *out, long long n)
{
	char text[24], *p = text + sizeof(text);
	unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (n < 0)
		*--p = '-';
	idle_buf_append(out, p, (size_t)(text + sizeof(text) - p));
}

void
idle_expo_number(struct idle_buf *out, double value)
{
	char text[32];

	if (value > -1e15 && value < 1e15 && value == (double)(long long)value &&
	    !(value == 0 && signbit(value))) {
		whole_number(out, (long long)value);
		return;
	}

	if (isnan(value)) {
		idle_buf_puts(out, "NaN");
		return;
	}
	if (isinf(value)) {
		idle_buf_puts(out, value > 0 ? "+Inf" : "-Inf");
		return;
	}
	/* The shortest of %.15g and %.17g that reads back as the same double. */
	snprintf(text, sizeof(text), "%.15g", value);
	if (strtod(text, NULL) != value)
		snprintf(text, sizeof(text), "%.17g", value);
	idle_buf_puts(out, text);
}

/* The walk's state: the family whose HELP and TYPE lines were written last. */
struct render_ctx {
	struct idle_buf *out;
	enum idle_expo_format format;
	const struct idle_metric *family;
};

/*
 * Appends the HELP and TYPE lines of m.  A counter's samples are name_total: OpenMetrics names
 * the family without the suffix, the 0.0.4 text format with it.
 */
static void
family(struct idle_buf *out, enum idle_expo_format format, const struct idle_metric *m)
{
	const char *type = m->type == IDLE_METRIC_COUNTER ? "counter" : "gauge";
	int len = (int)strlen(m->name);

	if (m->type == IDLE_METRIC_COUNTER && format == IDLE_EXPO_OPENMETRICS && len > 6 &&
	    strcmp(m->name + len - 6, "_total") == 0)
		len -= 6;
	idle_buf_printf(out, "# HELP %.*s %s\n# TYPE %.*s %s\n", len, m->name, m->help, len,
			m->name, type);
}

/* Appends one sample line, after its family's HELP and TYPE when it is the family's first. */
static int
render_sample(void *arg, const struct idle_metric_sample *s)
{
	struct render_ctx *ctx = arg;
	size_t i;

	if (ctx->family != s->metric) {
		family(ctx->out, ctx->format, s->metric);
		ctx->family = s->metric;
	}
	idle_buf_puts(ctx->out, s->metric->name);
	for (i = 0; i < s->n_labels; i++) {
		idle_buf_puts(ctx->out, i == 0 ? "{" : ",");
		idle_buf_puts(ctx->out, s->labels[i].name);
		idle_buf_puts(ctx->out, "=\"");
		idle_expo_label_value(ctx->out, s->labels[i].value, IDLE_LABEL_MAX);
		idle_buf_puts(ctx->out, "\"");
	}
	idle_buf_puts(ctx->out, s->n_labels > 0 ? "} " : " ");
	idle_expo_number(ctx->out, s->value);
	idle_buf_puts(ctx->out, "\n");
	return 0;
}

void
idle_expo_render(struct idle_buf *out, enum idle_expo_format format,
		 const struct idle_snapshot *snap, const struct idle_process_stats *proc,
		 const char *version)
{
	struct idle_metrics_input in = {snap, proc, version};
	struct render_ctx ctx = {out, format, NULL};

	(void)idle_metrics_walk(&in, render_sample, &ctx);
	if (format == IDLE_EXPO_OPENMETRICS)
		idle_buf_puts(out, "# EOF\n");
}
