/* SPDX-License-Identifier: MIT */
/* Structured logs on stderr as Prometheus' own programs write them: logfmt or JSON lines. */
#ifndef IDLE_LOG_H
#define IDLE_LOG_H

#include <stddef.h>

enum log_level { LOG_LEVEL_DEBUG, LOG_LEVEL_INFO, LOG_LEVEL_WARN, LOG_LEVEL_ERROR };

/* The names --log.level and --log.format take, NULL-terminated; the level's index is its enum. */
extern const char *const log_level_names[];
extern const char *const log_format_names[];

/*
 * Sets the lowest level written and the format ("logfmt" or "json").  Returns 0, or EINVAL for
 * a name not in the lists above (nothing changed).  Call before any thread logs; until then
 * the exporter logs info and above in logfmt.
 */
int log_setup(const char *level, const char *format);

/*
 * Writes one line to stderr when level is enabled: ts, level and msg, then the key, value pairs
 * (const char *) that follow msg, ended by a NULL key; a NULL value ends the pairs too and
 * prints as (MISSING).  Values are quoted and escaped as go-kit's logfmt and Go's JSON do, and
 * invalid UTF-8 becomes U+FFFD.  A line longer than LOG_LINE_MAX is cut at a value, still well
 * formed.  Thread-safe: each line is one write(2).
 */
void log_kv(enum log_level level, const char *msg, ...) __attribute__((sentinel));

#define LOG_LINE_MAX 4096 /* PIPE_BUF: a line this long reaches a pipe whole */

/*
 * Formats what log_kv would write at now_ms (milliseconds since the epoch) into buf (size
 * >= 128), whatever the level set: keyvals holds 2 * n strings.  Returns the line's length, its
 * newline included (no NUL is written).  Pure; for log_kv and the tests.
 */
size_t log_format_line(char *buf, size_t size, int json, long long now_ms, enum log_level level,
		       const char *msg, const char *const *keyvals, size_t n);

#endif
