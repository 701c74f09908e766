/* SPDX-License-Identifier: MIT */
/* The collectd identifiers of a snapshot's values: pure mapping, no collectd call, no IO. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "idle_label.h"
#include "idle_metrics.h"
#include "map.h"

void
map_values_init(struct map_values *vals)
{
	memset(vals, 0, sizeof(*vals));
}

void
map_values_free(struct map_values *vals)
{
	free(vals->v);
	map_values_init(vals);
}

/*
 * Appends the repaired label value of raw at out + *pos, whole characters only, each '/' written
 * as slash_as; keeps out NUL-terminated.  Returns false when a character did not fit.
 */
static bool
append_label(char *out, size_t size, size_t *pos, const char *raw, size_t cap, char slash_as)
{
	struct idle_label_iter it;
	const char *chunk;
	size_t len;

	idle_label_iter_init(&it, raw, cap);
	while (idle_label_iter_next(&it, &chunk, &len)) {
		if (len >= size - *pos) {
			out[*pos] = '\0';
			return false;
		}
		memcpy(out + *pos, chunk, len);
		if (len == 1 && chunk[0] == '/')
			out[*pos] = slash_as;
		*pos += len;
	}
	out[*pos] = '\0';
	return true;
}

bool
map_label(char *out, size_t size, const char *raw, size_t cap)
{
	size_t pos = 0;

	return append_label(out, size, &pos, raw, cap, '/');
}

void
map_terminal_instance(char *out, size_t size, const char *user, const char *tty)
{
	size_t pos = 0;

	if (append_label(out, size, &pos, user, IDLE_USER_MAX, '/') &&
	    append_label(out, size, &pos, "@", 1, '/'))
		append_label(out, size, &pos, tty, IDLE_TTY_MAX, '-');
}

/* Appends one value with an empty type_instance; returns it, or NULL on ENOMEM. */
static struct map_value *
push(struct map_values *vals, const struct idle_metric *m)
{
	struct map_value *v;
	size_t cap;

	if (vals->len == vals->cap) {
		cap = vals->cap == 0 ? 16 : vals->cap * 2;
		v = realloc(vals->v, cap * sizeof(*v));
		if (v == NULL)
			return NULL;
		vals->v = v;
		vals->cap = cap;
	}
	v = &vals->v[vals->len++];
	memset(v, 0, sizeof(*v));
	v->plugin_instance = m->name;
	v->type = m->collectd_type;
	v->is_derive = m->type == IDLE_METRIC_COUNTER;
	return v;
}

struct map_ctx {
	struct map_values *vals;
	size_t max_terminals;
	const struct idle_metric *family; /* of the last terminal value */
	size_t terminals;		  /* values of that family so far */
};

/* True when a per-terminal sample is within the cap; counts the terminals past it. */
static bool
within_cap(struct map_ctx *ctx, const struct idle_metric *m)
{
	if (ctx->family != m) {
		ctx->family = m;
		ctx->terminals = 0;
	}
	if (ctx->terminals++ < ctx->max_terminals)
		return true;
	if (ctx->vals->terminals_left_out < ctx->terminals - ctx->max_terminals)
		ctx->vals->terminals_left_out = ctx->terminals - ctx->max_terminals;
	return false;
}

/* Turns one sample of the host into a value, when the table gives it a collectd type. */
static int
map_sample(void *arg, const struct idle_metric_sample *s)
{
	struct map_ctx *ctx = arg;
	const struct idle_metric *m = s->metric;
	struct map_value *v;

	if (m->collectd_type == NULL || !s->host ||
	    (m->scope == IDLE_SCOPE_TERMINAL && !within_cap(ctx, m)))
		return 0;
	if ((v = push(ctx->vals, m)) == NULL)
		return ENOMEM;
	if (v->is_derive)
		v->derive = (uint64_t)s->value;
	else
		v->gauge = s->value;
	if (m->collectd_instance == IDLE_COLLECTD_LAST_LABEL && s->n_labels > 0)
		map_label(v->type_instance, sizeof(v->type_instance),
			  s->labels[s->n_labels - 1].value, IDLE_LABEL_MAX);
	else if (m->collectd_instance == IDLE_COLLECTD_USER_AT_TTY && s->n_labels >= 2)
		map_terminal_instance(v->type_instance, sizeof(v->type_instance),
				      s->labels[s->n_labels - 1].value,
				      s->labels[s->n_labels - 2].value);
	return 0;
}

int
map_snapshot(struct map_values *vals, const struct idle_snapshot *snap, size_t max_terminals)
{
	struct idle_metrics_input in = {snap, NULL, NULL};
	struct map_ctx ctx = {vals, max_terminals, NULL, 0};

	vals->len = 0;
	vals->terminals_left_out = 0;
	return idle_metrics_walk(&in, map_sample, &ctx);
}
