/* SPDX-License-Identifier: MIT */
/* Content negotiation: what format and encoding a scraper's Accept headers ask for. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "negotiate.h"

/* Skips spaces and tabs. */
static const char *
skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* True when the parameters of one element (from p up to end) hold q=0, q=0.0 and the like. */
static bool
zero_quality(const char *p, const char *end)
{
	const char *q;
	char *stop;

	for (q = p; q < end; q++) {
		if (*q != ';')
			continue;
		q = skip_space(q + 1);
		if ((q[0] == 'q' || q[0] == 'Q') && q[1] == '=')
			return strtod(q + 2, &stop) <= 0.0 && stop > q + 2;
	}
	return false;
}

bool
negotiate_accepts(const char *header, const char *token)
{
	size_t len = strlen(token);
	const char *p = header, *end, *name_end;

	if (header == NULL)
		return false;
	while (*p != '\0') {
		p = skip_space(p);
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		for (name_end = p; name_end < end && *name_end != ';' && *name_end != ' ' &&
				   *name_end != '\t';
		     name_end++)
			;
		if ((size_t)(name_end - p) == len && strncasecmp(p, token, len) == 0 &&
		    !zero_quality(name_end, end))
			return true;
		p = *end == ',' ? end + 1 : end;
	}
	return false;
}
