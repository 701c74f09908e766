/* SPDX-License-Identifier: MIT */
/* The collectd identifiers of a snapshot's values: pure mapping, no collectd call, no IO. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "idle_label.h"
#include "idle_plugin_map.h"

void
idle_plugin_values_init(struct idle_plugin_values *vals)
{
	memset(vals, 0, sizeof(*vals));
}

void
idle_plugin_values_free(struct idle_plugin_values *vals)
{
	free(vals->v);
	idle_plugin_values_init(vals);
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
idle_plugin_label(char *out, size_t size, const char *raw, size_t cap)
{
	size_t pos = 0;

	return append_label(out, size, &pos, raw, cap, '/');
}

void
idle_plugin_terminal_instance(char *out, size_t size, const char *user, const char *tty)
{
	size_t pos = 0;

	if (append_label(out, size, &pos, user, IDLE_USER_MAX, '/') &&
	    append_label(out, size, &pos, "@", 1, '/'))
		append_label(out, size, &pos, tty, IDLE_TTY_MAX, '-');
}

/* Appends one value with an empty type_instance; returns it, or NULL on ENOMEM. */
static struct idle_plugin_value *
push(struct idle_plugin_values *vals, const char *plugin_instance, const char *type)
{
	struct idle_plugin_value *v;
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
	v->plugin_instance = plugin_instance;
	v->type = type;
	v->is_derive = strcmp(type, "derive") == 0;
	return v;
}

/* Appends a gauge; returns 0 or ENOMEM. */
static int
push_gauge(struct idle_plugin_values *vals, const char *name, const char *type, double value)
{
	struct idle_plugin_value *v = push(vals, name, type);

	if (v == NULL)
		return ENOMEM;
	v->gauge = value;
	return 0;
}

/* The seed's three metrics. */
static int
map_seed(struct idle_plugin_values *vals, const struct idle_snapshot *snap)
{
	struct idle_plugin_value *v;

	if (snap->has_pts_age &&
	    push_gauge(vals, "user_input_idle_time", "duration", snap->pts_age_seconds) != 0)
		return ENOMEM;
	if (snap->has_pts_average &&
	    push_gauge(vals, "avg_user_input_idle_time", "duration", snap->pts_average_seconds) != 0)
		return ENOMEM;
	if (!snap->has_sessions)
		return 0;
	v = push(vals, "user_w_idle_time", "duration");
	if (v == NULL)
		return ENOMEM;
	v->gauge = snap->has_w_idle ? snap->w_idle_seconds : NAN;
	idle_plugin_label(v->type_instance, sizeof(v->type_instance), snap->w_process,
			  IDLE_LABEL_MAX);
	return 0;
}

/* Both values of every terminal, input first. */
static int
map_per_terminal(struct idle_plugin_values *vals, const struct idle_snapshot *snap, bool input)
{
	const struct idle_terminal *term;
	struct idle_plugin_value *v;
	size_t i;

	for (i = 0; i < snap->terminals_len; i++) {
		term = &snap->terminals[i];
		v = push(vals, input ? "idle_terminal_input_seconds" : "idle_terminal_output_seconds",
			 "duration");
		if (v == NULL)
			return ENOMEM;
		v->gauge = input ? term->input_seconds : term->output_seconds;
		idle_plugin_terminal_instance(v->type_instance, sizeof(v->type_instance),
					      term->user, term->tty);
	}
	return 0;
}

/* Terminals and sessions: what the seed could not tell apart. */
static int
map_terminals(struct idle_plugin_values *vals, const struct idle_snapshot *snap, bool terminals)
{
	if (snap->has_terminals &&
	    push_gauge(vals, "idle_terminals", "count", (double)snap->terminal_count) != 0)
		return ENOMEM;
	if (snap->has_terminals && snap->has_input &&
	    (push_gauge(vals, "idle_input_seconds", "duration", snap->input_seconds) != 0 ||
	     push_gauge(vals, "idle_output_seconds", "duration", snap->output_seconds) != 0))
		return ENOMEM;
	if (terminals && snap->has_terminals &&
	    (map_per_terminal(vals, snap, true) != 0 || map_per_terminal(vals, snap, false) != 0))
		return ENOMEM;
	if (snap->has_sessions &&
	    push_gauge(vals, "idle_sessions", "count", (double)snap->session_count) != 0)
		return ENOMEM;
	return 0;
}

/* Every source's error counter, zeros included. */
static int
map_errors(struct idle_plugin_values *vals, const struct idle_snapshot *snap)
{
	struct idle_plugin_value *v;
	int source;

	for (source = 0; source < IDLE_SOURCE_COUNT; source++) {
		v = push(vals, "idle_collect_errors_total", "derive");
		if (v == NULL)
			return ENOMEM;
		v->derive = snap->errors[source];
		idle_plugin_label(v->type_instance, sizeof(v->type_instance),
				  idle_source_name(source), IDLE_PLUGIN_NAME_MAX);
	}
	return 0;
}

int
idle_plugin_map(struct idle_plugin_values *vals, const struct idle_snapshot *snap, bool terminals)
{
	vals->len = 0;
	if (map_seed(vals, snap) != 0 || map_terminals(vals, snap, terminals) != 0 ||
	    map_errors(vals, snap) != 0)
		return ENOMEM;
	return 0;
}
