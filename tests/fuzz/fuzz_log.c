/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes the exporter's log lines: a message and pairs of any bytes, in logfmt and JSON, in
 * buffers small enough to cut them.  Every line must stay one well-formed line of its format.
 */
#include "fuzz.h"
#include "idle_label.h"
#include "log.h"

#define MAX_PAIRS 8

/* Skips a quoted string at *p (escapes as Go writes them); false when it is malformed. */
static bool
skip_quoted(const char **p)
{
	const char *s = *p;

	if (*s++ != '"')
		return false;
	while (*s != '"') {
		if ((unsigned char)*s < 0x20)
			return false;
		if (*s == '\\') {
			s++;
			if (*s == 'u') {
				if (strspn(s + 1, "0123456789abcdef") < 4)
					return false;
				s += 4;
			} else if (strchr("\"\\nrt", *s) == NULL || *s == '\0') {
				return false;
			}
		}
		s++;
	}
	*p = s + 1;
	return true;
}

/* True when line is {"k":"v",...}: one JSON object of strings. */
static bool
json_ok(const char *p)
{
	if (*p++ != '{')
		return false;
	for (;;) {
		if (!skip_quoted(&p) || *p++ != ':' || !skip_quoted(&p))
			return false;
		if (*p == '}')
			return strcmp(p, "}\n") == 0;
		if (*p++ != ',')
			return false;
	}
}

/* True when line is key=value pairs split by one space, each value bare or quoted. */
static bool
logfmt_ok(const char *p)
{
	for (;;) {
		if (strcspn(p, " =\"\n") == 0)
			return false;
		p += strcspn(p, " =\"\n");
		if (*p++ != '=')
			return false;
		if (*p == '"') {
			if (!skip_quoted(&p))
				return false;
		} else {
			p += strcspn(p, " =\"\n");
			if (*p == '=' || *p == '"')
				return false;
		}
		if (strcmp(p, "\n") == 0)
			return true;
		if (*p++ != ' ')
			return false;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = {data, size};
	uint8_t mode = fuzz_byte(&in), room = fuzz_byte(&in);
	size_t bufsize = 128 + (size_t)room * 16, len, n = 0, i;
	char *msg, *kv[2 * MAX_PAIRS], buf[LOG_LINE_MAX + 1];
	int json = mode & 1;

	msg = fuzz_string(&in, 512);
	while (n < MAX_PAIRS && in.size > 0) {
		kv[2 * n] = fuzz_string(&in, 64);
		kv[2 * n + 1] = fuzz_string(&in, 4096);
		n++;
	}
	if (bufsize > LOG_LINE_MAX)
		bufsize = LOG_LINE_MAX;
	len = log_format_line(buf, bufsize, json, (long long)(mode >> 1) * 86400000LL * 365,
			      (enum log_level)((mode >> 1) % 4), msg, (const char *const *)kv, n);
	FUZZ_CHECK(len > 0 && len <= bufsize, "length %zu of %zu", len, bufsize);
	buf[len] = '\0';
	FUZZ_CHECK(strlen(buf) == len && strchr(buf, '\n') == buf + len - 1, "not one line: %s",
		   buf);
	/* The decoder itself is checked against an oracle of its own by fuzz_expo. */
	FUZZ_CHECK(idle_label_is_utf8(buf, len), "not UTF-8: %s", buf);
	FUZZ_CHECK(json ? json_ok(buf) : logfmt_ok(buf), "malformed %s: %s",
		   json ? "JSON" : "logfmt", buf);
	free(msg);
	for (i = 0; i < 2 * n; i++)
		free(kv[i]);
	return 0;
}
