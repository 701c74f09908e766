/* SPDX-License-Identifier: MIT */
/* The collectd identifiers of a snapshot's values: pure mapping, no collectd call, no IO. */
#ifndef IDLE_PLUGIN_MAP_H
#define IDLE_PLUGIN_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "idle_snapshot.h"

/* collectd's DATA_MAX_NAME_LEN: an identifier field holds at most 127 bytes and a NUL. */
#define MAP_NAME_MAX 128

/* The plugin name of every value. */
#define MAP_PLUGIN_NAME "idle"

/*
 * One value to dispatch as plugin "idle".  plugin_instance is the exporter's metric name, type
 * a type of collectd's own types.db, type_instance the exporter's label value(s) or "".
 */
struct map_value {
	const char *plugin_instance; /* static string */
	const char *type;	     /* "duration", "count" (gauges) or "derive" (counter) */
	char type_instance[MAP_NAME_MAX];
	bool is_derive;
	double gauge;	 /* when !is_derive; NaN for user_w_idle_time with no session */
	uint64_t derive; /* when is_derive */
};

/* A growable list of values, reused from one read to the next. */
struct map_values {
	struct map_value *v;
	size_t len;
	size_t cap;
	size_t terminals_left_out; /* terminals past the cap in the last mapping */
};

/* Empties a new list; it owns no memory yet. */
void map_values_init(struct map_values *vals);

/* Frees the list and empties it; fine on an empty list. */
void map_values_free(struct map_values *vals);

/*
 * Replaces vals with the values of snap, in the metric table's order; the per-terminal values
 * of the first max_terminals terminals only (in tty order; 0: none), the others counted in
 * vals->terminals_left_out.  A value the snapshot left out (has_ flag false) is left out here
 * too.  Returns 0, or ENOMEM (vals then holds the values that fit).  Pure; not thread-safe on
 * vals.
 */
int map_snapshot(struct map_values *vals, const struct idle_snapshot *snap, size_t max_terminals);

/*
 * Writes into out (size >= 1) the raw bytes of raw as a label value, the way the exporter does:
 * at most cap input bytes, each invalid UTF-8 byte replaced by U+FFFD; then cut at a character
 * boundary to fit size - 1 bytes.  Returns true when nothing had to be cut to fit.  Pure.
 */
bool map_label(char *out, size_t size, const char *raw, size_t cap);

/*
 * Writes the type_instance of a terminal into out: user "@" tty, each '/' of tty written as '-'
 * ("alice@pts-3"), since '/' separates the parts of a collectd identifier.  Pure.
 */
void map_terminal_instance(char *out, size_t size, const char *user, const char *tty);

#endif
