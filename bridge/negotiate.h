/* SPDX-License-Identifier: MIT */
/* Content negotiation: what format and encoding a scraper's Accept headers ask for. */
#ifndef IDLE_NEGOTIATE_H
#define IDLE_NEGOTIATE_H

#include <stdbool.h>

/*
 * True when an Accept or Accept-Encoding header value lists token (case-insensitive media type
 * or coding, parameters ignored) with a non-zero q.  NULL header: false.  Pure.
 */
bool negotiate_accepts(const char *header, const char *token);

#endif
