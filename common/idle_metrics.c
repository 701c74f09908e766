/* SPDX-License-Identifier: MIT */
/* Every metric family the project exports, declared once; both front ends walk this table. */
#include <math.h>
#include <stddef.h>

#include "idle_metrics.h"

/* The Python exporter's HELP texts, byte for byte: dashboards and alerts were written against
 * them. */
#define HELP_PTS_AGE "Time since last user input, based on /dev/pts mod time"
#define HELP_PTS_AVERAGE                                                                           \
	"Time since last user input, 1 minute average based on 1 second polls to improve "        \
	"reliability regardless of prometheus poll rate, based on /dev/pts mod time"
#define HELP_W_IDLE                                                                                \
	"Time since last user input based on w, process label shows the WHAT Field of w"

/* A subject's value, present when its flag is. */
#define SUBJECT_VALUE(fn, flag, field)                                                             \
	static bool fn(const struct idle_metric_item *it, double *v)                               \
	{                                                                                          \
		if (!(flag))                                                                       \
			return false;                                                              \
		*v = (double)it->subject->field;                                                   \
		return true;                                                                       \
	}

SUBJECT_VALUE(pts_age, it->subject->has_pts_age, pts_age_seconds)
SUBJECT_VALUE(pts_average, it->subject->has_pts_average, pts_average_seconds)
SUBJECT_VALUE(terminal_count, it->subject->has_terminals, terminal_count)
SUBJECT_VALUE(input_age, it->subject->has_terminals && it->subject->has_input, input_seconds)
SUBJECT_VALUE(output_age, it->subject->has_terminals && it->subject->has_input, output_seconds)
SUBJECT_VALUE(input_time, it->subject->has_terminals && it->subject->has_input, input_time)
SUBJECT_VALUE(output_time, it->subject->has_terminals && it->subject->has_input, output_time)

/* A terminal's value: always there, since a terminal is listed only when it was read. */
#define TERMINAL_VALUE(fn, field)                                                                  \
	static bool fn(const struct idle_metric_item *it, double *v)                               \
	{                                                                                          \
		*v = it->terminal->field;                                                          \
		return true;                                                                       \
	}

TERMINAL_VALUE(terminal_input_age, input_seconds)
TERMINAL_VALUE(terminal_output_age, output_seconds)
TERMINAL_VALUE(terminal_input_time, input_time)
TERMINAL_VALUE(terminal_output_time, output_time)

/* The exporter's own process: every value is there when the stats were read. */
#define PROCESS_VALUE(fn, field)                                                                   \
	static bool fn(const struct idle_metric_item *it, double *v)                               \
	{                                                                                          \
		*v = it->proc->field;                                                              \
		return true;                                                                       \
	}

PROCESS_VALUE(process_cpu, cpu_seconds)
PROCESS_VALUE(process_resident, resident_bytes)
PROCESS_VALUE(process_virtual, virtual_bytes)
PROCESS_VALUE(process_start, start_time_seconds)
PROCESS_VALUE(process_open_fds, open_fds)
PROCESS_VALUE(process_max_fds, max_fds)

/* user_w_idle_time: NaN when nobody is logged in, as the Python exporter printed it. */
static bool
w_idle(const struct idle_metric_item *it, double *v)
{
	const struct idle_session_values *s = &it->snap->sessions;

	if (!s->has_sessions)
		return false;
	*v = s->has_w_idle ? s->w_idle_seconds : NAN;
	return true;
}

static bool
session_count(const struct idle_metric_item *it, double *v)
{
	if (!it->snap->sessions.has_sessions)
		return false;
	*v = (double)it->snap->sessions.session_count;
	return true;
}

static bool
container_count(const struct idle_metric_item *it, double *v)
{
	if (!it->snap->containers_enabled)
		return false;
	*v = (double)it->snap->containers_len;
	return true;
}

static bool
source_errors(const struct idle_metric_item *it, double *v)
{
	*v = (double)it->snap->errors[it->source];
	return true;
}

/* When the values were polled: there once the first poll ran, stale or not. */
static bool
poll_time(const struct idle_metric_item *it, double *v)
{
	if (it->snap->taken.tv_sec == 0 && it->snap->taken.tv_nsec == 0)
		return false;
	*v = (double)it->snap->taken.tv_sec + (double)it->snap->taken.tv_nsec / 1e9;
	return true;
}

static bool
constant_one(const struct idle_metric_item *it, double *v)
{
	(void)it;
	*v = 1;
	return true;
}

const struct idle_metric idle_metrics[] = {
	{"user_input_idle_time", HELP_PTS_AGE, IDLE_METRIC_GAUGE, "seconds", IDLE_SCOPE_SUBJECT,
	 NULL, true, pts_age, "duration", IDLE_COLLECTD_NO_INSTANCE},
	{"avg_user_input_idle_time", HELP_PTS_AVERAGE, IDLE_METRIC_GAUGE, "seconds",
	 IDLE_SCOPE_SUBJECT, NULL, true, pts_average, "duration", IDLE_COLLECTD_NO_INSTANCE},
	{"user_w_idle_time", HELP_W_IDLE, IDLE_METRIC_GAUGE, "seconds", IDLE_SCOPE_SESSIONS,
	 "process", true, w_idle, "duration", IDLE_COLLECTD_LAST_LABEL},
	{"idle_terminals", "Open terminals in the pts directory, ptmx excluded.", IDLE_METRIC_GAUGE,
	 "", IDLE_SCOPE_SUBJECT, NULL, true, terminal_count, "count", IDLE_COLLECTD_NO_INSTANCE},
	{"idle_input_seconds",
	 "Seconds since any terminal last read input (newest atime in the pts directory).",
	 IDLE_METRIC_GAUGE, "seconds", IDLE_SCOPE_SUBJECT, NULL, true, input_age, "duration",
	 IDLE_COLLECTD_NO_INSTANCE},
	{"idle_output_seconds",
	 "Seconds since any terminal last wrote output (newest mtime in the pts directory).",
	 IDLE_METRIC_GAUGE, "seconds", IDLE_SCOPE_SUBJECT, NULL, true, output_age, "duration",
	 IDLE_COLLECTD_NO_INSTANCE},
	/* Timestamps, as Prometheus' instrumentation guide prefers to ages: constant while idle.
	 * collectd stamps each value with its own time, so the plugin sends the ages alone. */
	{"idle_last_input_timestamp_seconds",
	 "Unix time at which any terminal last read input (newest atime in the pts directory).",
	 IDLE_METRIC_GAUGE, "seconds", IDLE_SCOPE_SUBJECT, NULL, true, input_time, NULL,
	 IDLE_COLLECTD_NO_INSTANCE},
	{"idle_last_output_timestamp_seconds",
	 "Unix time at which any terminal last wrote output (newest mtime in the pts directory).",
	 IDLE_METRIC_GAUGE, "seconds", IDLE_SCOPE_SUBJECT, NULL, true, output_time, NULL,
	 IDLE_COLLECTD_NO_INSTANCE},
	{"idle_terminal_input_seconds", "Seconds since the terminal last read input (its atime).",
	 IDLE_METRIC_GAUGE, "seconds", IDLE_SCOPE_TERMINAL, NULL, true, terminal_input_age,
	 "duration", IDLE_COLLECTD_USER_AT_TTY},
	{"idle_terminal_output_seconds", "Seconds since the terminal last wrote output (its mtime).",
	 IDLE_METRIC_GAUGE, "seconds", IDLE_SCOPE_TERMINAL, NULL, true, terminal_output_age,
	 "duration", IDLE_COLLECTD_USER_AT_TTY},
	{"idle_terminal_last_input_timestamp_seconds",
	 "Unix time at which the terminal last read input (its atime).", IDLE_METRIC_GAUGE,
	 "seconds", IDLE_SCOPE_TERMINAL, NULL, true, terminal_input_time, NULL,
	 IDLE_COLLECTD_NO_INSTANCE},
	{"idle_terminal_last_output_timestamp_seconds",
	 "Unix time at which the terminal last wrote output (its mtime).", IDLE_METRIC_GAUGE,
	 "seconds", IDLE_SCOPE_TERMINAL, NULL, true, terminal_output_time, NULL,
	 IDLE_COLLECTD_NO_INSTANCE},
	{"idle_sessions",
	 "Live login sessions: utmp records of existing users whose login process runs.",
	 IDLE_METRIC_GAUGE, "", IDLE_SCOPE_SESSIONS, NULL, true, session_count, "count",
	 IDLE_COLLECTD_NO_INSTANCE},
	{"idle_containers", "Containers with their own devpts instance (container mode).",
	 IDLE_METRIC_GAUGE, "", IDLE_SCOPE_POLL, NULL, true, container_count, NULL,
	 IDLE_COLLECTD_NO_INSTANCE},
	{"idle_collect_errors_total", "Polls in which a source could not be read, by source.",
	 IDLE_METRIC_COUNTER, "", IDLE_SCOPE_SOURCE, NULL, false, source_errors, "derive",
	 IDLE_COLLECTD_LAST_LABEL},
	{"idle_last_poll_timestamp_seconds",
	 "Unix time of the poll the values come from; values of a poll older than a few poll "
	 "intervals are left out.",
	 IDLE_METRIC_GAUGE, "seconds", IDLE_SCOPE_POLL, NULL, false, poll_time, NULL,
	 IDLE_COLLECTD_NO_INSTANCE},
	{"process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
	 IDLE_METRIC_COUNTER, "seconds", IDLE_SCOPE_PROCESS, NULL, false, process_cpu, NULL,
	 IDLE_COLLECTD_NO_INSTANCE},
	{"process_resident_memory_bytes", "Resident memory size in bytes.", IDLE_METRIC_GAUGE,
	 "bytes", IDLE_SCOPE_PROCESS, NULL, false, process_resident, NULL,
	 IDLE_COLLECTD_NO_INSTANCE},
	{"process_virtual_memory_bytes", "Virtual memory size in bytes.", IDLE_METRIC_GAUGE, "bytes",
	 IDLE_SCOPE_PROCESS, NULL, false, process_virtual, NULL, IDLE_COLLECTD_NO_INSTANCE},
	{"process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
	 IDLE_METRIC_GAUGE, "seconds", IDLE_SCOPE_PROCESS, NULL, false, process_start, NULL,
	 IDLE_COLLECTD_NO_INSTANCE},
	{"process_open_fds", "Number of open file descriptors.", IDLE_METRIC_GAUGE, "",
	 IDLE_SCOPE_PROCESS, NULL, false, process_open_fds, NULL, IDLE_COLLECTD_NO_INSTANCE},
	{"process_max_fds", "Maximum number of open file descriptors.", IDLE_METRIC_GAUGE, "",
	 IDLE_SCOPE_PROCESS, NULL, false, process_max_fds, NULL, IDLE_COLLECTD_NO_INSTANCE},
	{"idle_exporter_build_info",
	 "A metric with a constant '1' value labeled by the version of idle-exporter.",
	 IDLE_METRIC_GAUGE, "", IDLE_SCOPE_BUILD, "version", false, constant_one, NULL,
	 IDLE_COLLECTD_NO_INSTANCE},
};

const size_t idle_metrics_count = sizeof(idle_metrics) / sizeof(idle_metrics[0]);

/* Adds a label unless its value is empty (the host's, or a name not known). */
static void
add_label(struct idle_metric_sample *s, const char *name, const char *value)
{
	if (value[0] == '\0' || s->n_labels >= IDLE_METRIC_LABELS_MAX)
		return;
	s->labels[s->n_labels].name = name;
	s->labels[s->n_labels].value = value;
	s->n_labels++;
}

/* Starts a sample of m with the subject's labels (none for the host). */
static void
start_sample(struct idle_metric_sample *s, const struct idle_metric *m,
	     const struct idle_snapshot *snap, const struct idle_subject *subject)
{
	struct idle_subject_id id;

	s->metric = m;
	s->n_labels = 0;
	s->subject = subject;
	s->host = subject == NULL || subject == &snap->host;
	if (subject == NULL || s->host)
		return;
	idle_snapshot_subject_id(snap, subject, &id);
	add_label(s, "namespace", id.namespace_name);
	add_label(s, "pod", id.pod);
	add_label(s, "container", id.container);
	add_label(s, "pod_uid", id.pod_uid);
	add_label(s, "container_id", id.container_id);
}

/* Reads the item's value and hands the sample on when it has one. */
static int
emit(struct idle_metric_sample *s, const struct idle_metric_item *item, idle_metric_sample_fn fn,
     void *arg)
{
	if (!s->metric->value(item, &s->value))
		return 0;
	return fn(arg, s);
}

/* One subject's sample, or one per terminal of it. */
static int
walk_subject(const struct idle_metric *m, const struct idle_snapshot *snap,
	     const struct idle_subject *subject, idle_metric_sample_fn fn, void *arg)
{
	struct idle_metric_item item = {.snap = snap, .subject = subject};
	const struct idle_terminal *terms = idle_snapshot_terminals(snap, subject);
	struct idle_metric_sample s;
	size_t i, base;
	int rc;

	start_sample(&s, m, snap, subject);
	if (m->scope == IDLE_SCOPE_SUBJECT)
		return emit(&s, &item, fn, arg);
	base = s.n_labels;
	for (i = 0; i < subject->terminals_len; i++) {
		item.terminal = &terms[i];
		s.n_labels = base;
		add_label(&s, "tty", terms[i].tty);
		s.labels[s.n_labels].name = "user"; /* an empty owner name is still a label */
		s.labels[s.n_labels++].value = terms[i].user;
		if ((rc = emit(&s, &item, fn, arg)) != 0)
			return rc;
	}
	return 0;
}

/* The host, then every container. */
static int
walk_subjects(const struct idle_metric *m, const struct idle_snapshot *snap,
	      idle_metric_sample_fn fn, void *arg)
{
	size_t i;
	int rc = walk_subject(m, snap, &snap->host, fn, arg);

	for (i = 0; rc == 0 && i < snap->containers_len; i++)
		rc = walk_subject(m, snap, &snap->containers[i], fn, arg);
	return rc;
}

/* One family's samples from the scopes that are not subjects. */
static int
walk_other(const struct idle_metric *m, const struct idle_metrics_input *in,
	   idle_metric_sample_fn fn, void *arg)
{
	struct idle_metric_item item = {.snap = in->snap, .proc = in->proc};
	struct idle_metric_sample s;
	int rc = 0;

	start_sample(&s, m, in->snap, NULL);
	switch (m->scope) {
	case IDLE_SCOPE_SESSIONS:
		if (m->label != NULL)
			s.labels[s.n_labels++] = (struct idle_metric_label){m->label,
									    in->snap->sessions.w_process};
		return emit(&s, &item, fn, arg);
	case IDLE_SCOPE_SOURCE:
		for (item.source = 0; rc == 0 && item.source < IDLE_SOURCE_COUNT; item.source++) {
			if (item.source == IDLE_SOURCE_CONTAINERS && !in->snap->containers_enabled)
				continue;
			s.n_labels = 0;
			add_label(&s, "source", idle_source_name(item.source));
			rc = emit(&s, &item, fn, arg);
		}
		return rc;
	case IDLE_SCOPE_PROCESS:
		return in->proc != NULL && in->proc->valid ? emit(&s, &item, fn, arg) : 0;
	case IDLE_SCOPE_BUILD:
		if (in->version == NULL)
			return 0;
		s.labels[s.n_labels++] = (struct idle_metric_label){m->label, in->version};
		return emit(&s, &item, fn, arg);
	default:
		return emit(&s, &item, fn, arg);
	}
}

int
idle_metrics_walk(const struct idle_metrics_input *in, idle_metric_sample_fn fn, void *arg)
{
	const struct idle_metric *m;
	size_t i;
	int rc;

	for (i = 0; i < idle_metrics_count; i++) {
		m = &idle_metrics[i];
		if (m->sampled && in->snap->stale)
			continue;
		if (m->scope == IDLE_SCOPE_SUBJECT || m->scope == IDLE_SCOPE_TERMINAL)
			rc = walk_subjects(m, in->snap, fn, arg);
		else
			rc = walk_other(m, in, fn, arg);
		if (rc != 0)
			return rc;
	}
	return 0;
}
