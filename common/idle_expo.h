/* SPDX-License-Identifier: MIT */
/* The Prometheus text format (0.0.4) and OpenMetrics 1.0.0 of a snapshot: pure rendering, no IO. */
#ifndef IDLE_EXPO_H
#define IDLE_EXPO_H

#include <stdbool.h>
#include <stddef.h>

#include "idle_buf.h"
#include "idle_metrics.h"
#include "idle_snapshot.h"

enum idle_expo_format {
	IDLE_EXPO_TEXT,        /* text/plain; version=0.0.4 */
	IDLE_EXPO_OPENMETRICS, /* application/openmetrics-text; version=1.0.0 */
};


/*
 * Appends to out the label value made from the C string raw: at most cap bytes (never cutting a
 * UTF-8 sequence), each invalid UTF-8 byte replaced by U+FFFD, then backslash, double quote and
 * newline escaped.  Pure.
 */
void idle_expo_label_value(struct idle_buf *out, const char *raw, size_t cap);

/* Appends a sample value the way Prometheus parses it back exactly: NaN, +Inf, shortest digits. */
void idle_expo_number(struct idle_buf *out, double value);

/*
 * Renders every family of the metric table (idle_metrics) that has a sample in snap (the process
 * families when proc is non-NULL and valid, idle_exporter_build_info when version is non-NULL),
 * in the given format (OpenMetrics names counter families without _total and ends with # EOF).
 * Appends to out; out->err tells whether it all fit.  Pure and reentrant.
 */
void idle_expo_render(struct idle_buf *out, enum idle_expo_format format,
		      const struct idle_snapshot *snap, const struct idle_process_stats *proc,
		      const char *version);

/*
 * Renders the next part of what idle_expo_render renders: the samples from *next on (0 for the
 * first part), until out holds min_len bytes or more, then updates *next.  Returns true when
 * that was the last part (with OpenMetrics' # EOF), false when more follows; out->err tells
 * whether it fit.  The parts of one unchanged snapshot, proc and version concatenate to
 * idle_expo_render's text, so a large page can be sent as it is written.  Pure and reentrant.
 */
bool idle_expo_render_part(struct idle_buf *out, enum idle_expo_format format,
			   const struct idle_snapshot *snap, const struct idle_process_stats *proc,
			   const char *version, size_t *next, size_t min_len);

#endif
