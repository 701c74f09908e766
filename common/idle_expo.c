/* SPDX-License-Identifier: MIT */
/* The Prometheus text format (0.0.4) and OpenMetrics 1.0.0 of a snapshot: pure rendering, no IO. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idle_expo.h"
#include "idle_label.h"

/* The seed's HELP texts, byte for byte: dashboards and alerts were written against them. */
#define HELP_PTS_AGE "Time since last user input, based on /dev/pts mod time"
#define HELP_PTS_AVERAGE                                                                           \
	"Time since last user input, 1 minute average based on 1 second polls to improve "        \
	"reliability regardless of prometheus poll rate, based on /dev/pts mod time"
#define HELP_W_IDLE                                                                                \
	"Time since last user input based on w, process label shows the WHAT Field of w"

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

void
idle_expo_number(struct idle_buf *out, double value)
{
	char text[32];

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

/* Appends the HELP and TYPE lines of a gauge (help holds no backslash, quote or newline). */
static void
family(struct idle_buf *out, const char *name, const char *type, const char *help)
{
	idle_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/*
 * Appends the HELP and TYPE lines of a counter whose samples are name_total: OpenMetrics names
 * the family without the suffix, the 0.0.4 text format with it.
 */
static void
counter_family(struct idle_buf *out, enum idle_expo_format format, const char *name_total,
	       const char *help)
{
	size_t len = strlen(name_total);

	if (format == IDLE_EXPO_OPENMETRICS && len > 6 && strcmp(name_total + len - 6, "_total") == 0)
		idle_buf_printf(out, "# HELP %.*s %s\n# TYPE %.*s counter\n", (int)(len - 6),
				name_total, help, (int)(len - 6), name_total);
	else
		family(out, name_total, "counter", help);
}

/* Appends "name value\n". */
static void
sample(struct idle_buf *out, const char *name, double value)
{
	idle_buf_puts(out, name);
	idle_buf_puts(out, " ");
	idle_expo_number(out, value);
	idle_buf_puts(out, "\n");
}

/* Appends a gauge family with a single unlabelled sample. */
static void
gauge(struct idle_buf *out, const char *name, const char *help, double value)
{
	family(out, name, "gauge", help);
	sample(out, name, value);
}

/* The seed's three metrics. */
static void
render_seed(struct idle_buf *out, const struct idle_snapshot *snap)
{
	if (snap->has_pts_age)
		gauge(out, "user_input_idle_time", HELP_PTS_AGE, snap->pts_age_seconds);
	if (snap->has_pts_average)
		gauge(out, "avg_user_input_idle_time", HELP_PTS_AVERAGE, snap->pts_average_seconds);
	if (!snap->has_sessions)
		return;
	family(out, "user_w_idle_time", "gauge", HELP_W_IDLE);
	idle_buf_puts(out, "user_w_idle_time{process=\"");
	idle_expo_label_value(out, snap->w_process, IDLE_LABEL_MAX);
	idle_buf_puts(out, "\"} ");
	idle_expo_number(out, snap->has_w_idle ? snap->w_idle_seconds : NAN);
	idle_buf_puts(out, "\n");
}

/* One per-terminal family: name{tty,user} for every terminal. */
static void
render_per_terminal(struct idle_buf *out, const struct idle_snapshot *snap, const char *name,
		    const char *help, bool input)
{
	const struct idle_terminal *term;
	size_t i;

	family(out, name, "gauge", help);
	for (i = 0; i < snap->terminals_len; i++) {
		term = &snap->terminals[i];
		idle_buf_printf(out, "%s{tty=\"", name);
		idle_expo_label_value(out, term->tty, IDLE_LABEL_MAX);
		idle_buf_puts(out, "\",user=\"");
		idle_expo_label_value(out, term->user, IDLE_LABEL_MAX);
		idle_buf_puts(out, "\"} ");
		idle_expo_number(out, input ? term->input_seconds : term->output_seconds);
		idle_buf_puts(out, "\n");
	}
}

/* What the seed could not tell apart: input against output, terminals and sessions. */
static void
render_terminals(struct idle_buf *out, const struct idle_snapshot *snap)
{
	if (snap->has_terminals) {
		gauge(out, "idle_terminals", "Open terminals in the pts directory, ptmx excluded.",
		      (double)snap->terminal_count);
	}
	if (snap->has_terminals && snap->has_input) {
		gauge(out, "idle_input_seconds",
		      "Seconds since any terminal last read input (newest atime in the pts directory).",
		      snap->input_seconds);
		gauge(out, "idle_output_seconds",
		      "Seconds since any terminal last wrote output (newest mtime in the pts directory).",
		      snap->output_seconds);
	}
	if (snap->has_terminals && snap->terminals_len > 0) {
		render_per_terminal(out, snap, "idle_terminal_input_seconds",
				    "Seconds since the terminal last read input (its atime).", true);
		render_per_terminal(out, snap, "idle_terminal_output_seconds",
				    "Seconds since the terminal last wrote output (its mtime).", false);
	}
	if (snap->has_sessions) {
		gauge(out, "idle_sessions",
		      "Live login sessions: utmp records of existing users whose login process runs.",
		      (double)snap->session_count);
	}
}

/* Every source's counter, zeros included, so rate() works from the first failure. */
static void
render_errors(struct idle_buf *out, enum idle_expo_format format, const struct idle_snapshot *snap)
{
	int source;

	counter_family(out, format, "idle_collect_errors_total",
		       "Polls in which a source could not be read, by source.");
	for (source = 0; source < IDLE_SOURCE_COUNT; source++) {
		idle_buf_printf(out, "idle_collect_errors_total{source=\"%s\"} %" PRIu64 "\n",
				idle_source_name(source), snap->errors[source]);
	}
}

/* The process metrics the Python client exported by default, with its HELP texts. */
static void
render_process(struct idle_buf *out, enum idle_expo_format format,
	       const struct idle_process_stats *proc)
{
	counter_family(out, format, "process_cpu_seconds_total",
		       "Total user and system CPU time spent in seconds.");
	sample(out, "process_cpu_seconds_total", proc->cpu_seconds);
	gauge(out, "process_resident_memory_bytes", "Resident memory size in bytes.",
	      proc->resident_bytes);
	gauge(out, "process_virtual_memory_bytes", "Virtual memory size in bytes.",
	      proc->virtual_bytes);
	gauge(out, "process_start_time_seconds",
	      "Start time of the process since unix epoch in seconds.", proc->start_time_seconds);
	gauge(out, "process_open_fds", "Number of open file descriptors.", proc->open_fds);
	gauge(out, "process_max_fds", "Maximum number of open file descriptors.", proc->max_fds);
}

void
idle_expo_render(struct idle_buf *out, enum idle_expo_format format,
		 const struct idle_snapshot *snap, const struct idle_process_stats *proc,
		 const char *version)
{
	render_seed(out, snap);
	render_terminals(out, snap);
	render_errors(out, format, snap);
	if (proc != NULL && proc->valid)
		render_process(out, format, proc);
	if (version != NULL) {
		family(out, "idle_exporter_build_info", "gauge",
		       "A metric with a constant '1' value labeled by the version of idle-exporter.");
		idle_buf_puts(out, "idle_exporter_build_info{version=\"");
		idle_expo_label_value(out, version, IDLE_LABEL_MAX);
		idle_buf_puts(out, "\"} 1\n");
	}
	if (format == IDLE_EXPO_OPENMETRICS)
		idle_buf_puts(out, "# EOF\n");
}
