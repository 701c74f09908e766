/* SPDX-License-Identifier: MIT */
/* The landing page a browser gets on /: what runs, with which flags, and the latest terminals. */
#ifndef IDLE_LANDING_H
#define IDLE_LANDING_H

#include "idle_buf.h"
#include "idle_snapshot.h"

/* What the page says about the exporter itself; every string is escaped when rendered. */
struct landing_info {
	const char *version;
	const char *build; /* libraries and features, one line; NULL: left out */
	const char *telemetry_path;
	const char *const *flags; /* "name=value" strings ending in NULL; NULL: none */
};

/*
 * Appends the HTML page (no script, every value HTML-escaped) to out: info, then the terminals
 * and the login-session value of snap, which may be NULL before the first poll.  Failure is left
 * in out->err.  Pure: reads only its arguments.
 */
void landing_render(struct idle_buf *out, const struct landing_info *info,
		    const struct idle_snapshot *snap);

#endif
