/* SPDX-License-Identifier: MIT */
/* The landing page a browser gets on /: what runs, with which flags, and the latest terminals. */
#include <math.h>
#include <string.h>

#include "landing.h"

#define STYLE                                                                                      \
	"body{font-family:sans-serif;margin:2em;color:#222}"                                       \
	"table{border-collapse:collapse;margin:0.5em 0 1.5em}"                                     \
	"th,td{border:1px solid #bbb;padding:0.25em 0.75em;text-align:left}"                       \
	"th{background:#eee}td.n{text-align:right;font-family:monospace}"                          \
	"code{background:#f4f4f4;padding:0 0.2em}"

/*
 * Appends text with HTML's special characters escaped; control bytes, which HTML forbids, become
 * U+FFFD.  Other bytes pass as they are: the page is UTF-8 and a browser repairs bad sequences.
 */
static void
put_escaped_n(struct idle_buf *out, const char *text, size_t n)
{
	const unsigned char *p = (const unsigned char *)text, *end = p + n;

	for (; p < end && *p != '\0'; p++) {
		switch (*p) {
		case '&':
			idle_buf_puts(out, "&amp;");
			break;
		case '<':
			idle_buf_puts(out, "&lt;");
			break;
		case '>':
			idle_buf_puts(out, "&gt;");
			break;
		case '"':
			idle_buf_puts(out, "&quot;");
			break;
		case '\'':
			idle_buf_puts(out, "&#39;");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				idle_buf_puts(out, "&#xFFFD;");
			else
				idle_buf_append(out, (const char *)p, 1);
		}
	}
}

/* Appends a NUL-terminated string, escaped. */
static void
put_escaped(struct idle_buf *out, const char *text)
{
	put_escaped_n(out, text, strlen(text));
}

/* Appends a value as code, or "none" when it is empty. */
static void
put_code(struct idle_buf *out, const char *text)
{
	if (text[0] == '\0') {
		idle_buf_puts(out, "none");
		return;
	}
	idle_buf_puts(out, "<code>");
	put_escaped(out, text);
	idle_buf_puts(out, "</code>");
}

/* Appends an age the way w prints IDLE (4.20s, 3:07m, 2:05h, 3days), then the seconds. */
static void
put_age(struct idle_buf *out, double seconds)
{
	unsigned long s;

	if (!isfinite(seconds) || seconds < 0)
		seconds = 0;
	s = (unsigned long)seconds;
	if (seconds < 60)
		idle_buf_printf(out, "%.2fs", seconds);
	else if (s < 3600)
		idle_buf_printf(out, "%lu:%02lum", s / 60, s % 60);
	else if (s < 86400)
		idle_buf_printf(out, "%lu:%02luh", s / 3600, s / 60 % 60);
	else
		idle_buf_printf(out, "%lu days", s / 86400);
	idle_buf_printf(out, " <small>(%.0f&nbsp;s)</small>", seconds);
}

/* The head, the title and the exporter's version, build and link to the metrics. */
static void
put_about(struct idle_buf *out, const struct landing_info *info)
{
	idle_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
			   "<title>idle-exporter</title><style>" STYLE "</style></head>\n"
			   "<body>\n<h1>idle-exporter ");
	put_escaped(out, info->version);
	idle_buf_puts(out, "</h1>\n<p>Terminal idle time for Prometheus. Metrics: <a href=\"");
	put_escaped(out, info->telemetry_path);
	idle_buf_puts(out, "\">");
	put_escaped(out, info->telemetry_path);
	idle_buf_puts(out, "</a></p>\n");
	if (info->build != NULL) {
		idle_buf_puts(out, "<p>Build: ");
		put_escaped(out, info->build);
		idle_buf_puts(out, "</p>\n");
	}
}

/* One row per terminal of the host, or a line saying why there is none. */
static void
put_terminals(struct idle_buf *out, const struct idle_snapshot *snap)
{
	const struct idle_terminal *terms = snap ? idle_snapshot_terminals(snap, &snap->host) : NULL;
	size_t i;

	idle_buf_puts(out, "<h2>Terminals</h2>\n");
	if (terms == NULL) {
		idle_buf_puts(out, "<p>None at the last poll (or the pts directory could not be "
				   "read: see <code>idle_collect_errors_total</code>).</p>\n");
		return;
	}
	idle_buf_puts(out, "<table>\n<tr><th>tty</th><th>user</th><th>input age</th>"
			   "<th>output age</th></tr>\n");
	for (i = 0; i < snap->host.terminals_len; i++) {
		idle_buf_puts(out, "<tr><td>");
		put_escaped(out, terms[i].tty);
		idle_buf_puts(out, "</td><td>");
		put_escaped(out, terms[i].user);
		idle_buf_puts(out, "</td><td class=\"n\">");
		put_age(out, terms[i].input_seconds);
		idle_buf_puts(out, "</td><td class=\"n\">");
		put_age(out, terms[i].output_seconds);
		idle_buf_puts(out, "</td></tr>\n");
	}
	idle_buf_puts(out, "</table>\n");
}

/* The login sessions: how many, and the least idle one's age and process, as w shows them. */
static void
put_sessions(struct idle_buf *out, const struct idle_snapshot *snapshot)
{
	const struct idle_session_values *snap = snapshot ? &snapshot->sessions : NULL;

	idle_buf_puts(out, "<h2>Login sessions</h2>\n");
	if (snap == NULL || !snap->has_sessions) {
		idle_buf_puts(out, "<p>Not read at the last poll.</p>\n");
		return;
	}
	idle_buf_printf(out, "<table>\n<tr><th>sessions</th><td class=\"n\">%zu</td></tr>\n",
			snap->session_count);
	idle_buf_puts(out, "<tr><th>w idle</th><td class=\"n\">");
	if (snap->has_w_idle)
		put_age(out, snap->w_idle_seconds);
	else
		idle_buf_puts(out, "none");
	idle_buf_puts(out, "</td></tr>\n<tr><th>process</th><td>");
	put_code(out, snap->has_w_idle ? snap->w_process : "");
	idle_buf_puts(out, "</td></tr>\n</table>\n");
}

/* The flags in force, one per row. */
static void
put_flags(struct idle_buf *out, const char *const *flags)
{
	const char *eq;

	idle_buf_puts(out, "<h2>Flags</h2>\n<table>\n");
	for (; flags != NULL && *flags != NULL; flags++) {
		eq = strchr(*flags, '=');
		idle_buf_puts(out, "<tr><th><code>--");
		if (eq == NULL) {
			put_escaped(out, *flags);
			idle_buf_puts(out, "</code></th><td></td></tr>\n");
			continue;
		}
		put_escaped_n(out, *flags, (size_t)(eq - *flags));
		idle_buf_puts(out, "</code></th><td>");
		put_code(out, eq + 1);
		idle_buf_puts(out, "</td></tr>\n");
	}
	idle_buf_puts(out, "</table>\n");
}

void
landing_render(struct idle_buf *out, const struct landing_info *info,
	       const struct idle_snapshot *snap)
{
	put_about(out, info);
	put_terminals(out, snap);
	put_sessions(out, snap);
	put_flags(out, info->flags);
	idle_buf_puts(out, "</body></html>\n");
}
