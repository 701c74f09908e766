/* The collectd identifiers of a snapshot's values: pure mapping, no collectd call, no IO. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "idle_plugin_map.h"

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD, as the exporter writes an invalid byte */

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

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0: the exporter's rules. */
static size_t
utf8_sequence(const unsigned char *s, size_t n)
{
	unsigned long cp, min;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f, min = 0x80;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f, min = 0x800;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates and code points past U+10FFFF are invalid. */
	if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/*
 * Appends the repaired label value of raw at out + *pos, whole characters only, each '/' written
 * as slash_as; keeps out NUL-terminated.  Returns false when a character did not fit.
 */
static bool
append_label(char *out, size_t size, size_t *pos, const char *raw, size_t cap, char slash_as)
{
	const unsigned char *s = (const unsigned char *)raw;
	size_t n = strnlen(raw, cap);
	size_t i = 0, len, out_len;
	const char *chunk;

	while (i < n) {
		len = utf8_sequence(s + i, n - i);
		chunk = len == 0 ? REPLACEMENT : raw + i;
		out_len = len == 0 ? strlen(REPLACEMENT) : len;
		if (out_len >= size - *pos) {
			out[*pos] = '\0';
			return false;
		}
		memcpy(out + *pos, chunk, out_len);
		if (s[i] == '/')
			out[*pos] = slash_as;
		*pos += out_len;
		i += len == 0 ? 1 : len;
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
