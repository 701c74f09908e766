/* SPDX-License-Identifier: MIT */
/* Structured logs on stderr as Prometheus' own programs write them: logfmt or JSON lines. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "idle_label.h"
#include "log.h"

#define LOG_PAIRS_MAX 16
/* Room kept back for what closes a cut line: a quote, a brace, the newline. */
#define LOG_RESERVE 8

const char *const log_level_names[] = {"debug", "info", "warn", "error", NULL};
const char *const log_format_names[] = {"logfmt", "json", NULL};

/* Set once by log_setup, before the threads that log start, then only read. */
static enum log_level log_min = LOG_LEVEL_INFO;
static bool log_json;

/* A line being built: units that do not fit below limit are refused and mark it full. */
struct line {
	char *buf;
	size_t size, limit, len;
	bool full;
};

/* Appends n bytes whole, or nothing and marks the line full. */
static bool
put(struct line *l, const char *s, size_t n)
{
	if (l->full || l->len + n > l->limit) {
		l->full = true;
		return false;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
	return true;
}

/* Appends what ends the line, in the reserve that put never touches. */
static void
put_closing(struct line *l, const char *s)
{
	size_t n = strlen(s);

	if (l->len + n <= l->size) {
		memcpy(l->buf + l->len, s, n);
		l->len += n;
	}
}

/* True when the len bytes at s are the UTF-8 form of U+2028 or U+2029, which JSON escapes. */
static bool
is_line_separator(const unsigned char *s, size_t len)
{
	return len == 3 && s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0xa8 || s[2] == 0xa9);
}

/*
 * The escaped form of the character at s into out (>= 7 bytes); returns how many input bytes
 * it took.  Go's rules for both formats: \" \\ \n \r \t, \u00XX for other control bytes,
 * \ufffd for each invalid byte; JSON also escapes U+2028 and U+2029 as encoding/json does.
 */
static size_t
escape_char(const unsigned char *s, size_t n, bool json, char *out, size_t *outlen)
{
	size_t len = idle_label_utf8_length(s, n);

	if (len == 0) {
		memcpy(out, "\\ufffd", 6);
		*outlen = 6;
		return 1;
	}
	*outlen = 2;
	out[0] = '\\';
	if (s[0] == '"' || s[0] == '\\')
		out[1] = (char)s[0];
	else if (s[0] == '\n')
		out[1] = 'n';
	else if (s[0] == '\r')
		out[1] = 'r';
	else if (s[0] == '\t')
		out[1] = 't';
	else if (s[0] < 0x20 || (json && is_line_separator(s, len))) {
		snprintf(out, 7, "\\u%04x", s[0] < 0x20 ? s[0] : 0x2028u + (s[2] == 0xa9));
		*outlen = 6;
	} else {
		memcpy(out, s, len);
		*outlen = len;
	}
	return len;
}

/* Appends s character by character, escaped unless bare, until the line is full. */
static void
put_escaped(struct line *l, const char *s, bool json, bool bare)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), used, outlen;
	char out[8];

	while (n > 0) {
		/* A bare logfmt value is valid UTF-8 without a control byte: copied whole. */
		if (bare && (used = idle_label_utf8_length(p, n)) > 0) {
			memcpy(out, p, used);
			outlen = used;
		} else {
			used = escape_char(p, n, json, out, &outlen);
		}
		if (!put(l, out, outlen))
			return;
		p += used;
		n -= used;
	}
}

/* go-logfmt quotes a value holding a space, a control byte, '=', '"' or bad UTF-8 (or U+FFFD,
 * which Go cannot tell from it), and "null". */
static bool
logfmt_needs_quotes(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), len;

	if (strcmp(s, "null") == 0)
		return true;
	for (; n > 0; p += len, n -= len) {
		len = idle_label_utf8_length(p, n);
		if (len == 0 || p[0] <= ' ' || p[0] == '=' || p[0] == '"' ||
		    (len == 3 && memcmp(p, IDLE_LABEL_REPLACEMENT, 3) == 0))
			return true;
	}
	return false;
}

/* A logfmt key: bytes a key cannot hold become '_', so the pair still parses. */
static bool
put_logfmt_key(struct line *l, const char *key)
{
	const unsigned char *p = (const unsigned char *)key;
	char c;

	if (*p == '\0')
		return put(l, "_", 1);
	for (; *p != '\0'; p++) {
		c = *p <= ' ' || *p == '=' || *p == '"' || *p >= 0x7f ? '_' : (char)*p;
		if (!put(l, &c, 1))
			return false;
	}
	return true;
}

/* Appends " key=value" (logfmt) or ,"key":"value" (JSON); only the value may be cut. */
static void
put_pair(struct line *l, bool json, bool first, const char *key, const char *value)
{
	size_t mark = l->len;
	bool quoted = json || logfmt_needs_quotes(value);

	if (json) {
		if ((!first && !put(l, ",", 1)) || !put(l, "\"", 1))
			goto refused;
		put_escaped(l, key, true, false);
		if (!put(l, "\":", 2))
			goto refused;
	} else if ((!first && !put(l, " ", 1)) || !put_logfmt_key(l, key) || !put(l, "=", 1)) {
		goto refused;
	}
	if (quoted && !put(l, "\"", 1))
		goto refused;
	put_escaped(l, value, json, !quoted);
	if (quoted)
		put_closing(l, "\"");
	return;
refused:
	l->len = mark;
	l->full = true;
}

/* RFC 3339 in UTC with milliseconds, as Prometheus' logs stamp their lines. */
static void
format_ts(char *out, size_t size, long long now_ms)
{
	long long ms = now_ms % 1000, secs = now_ms / 1000;
	struct tm tm;
	time_t t;

	if (ms < 0) {
		ms += 1000;
		secs--;
	}
	t = (time_t)secs;
	if (gmtime_r(&t, &tm) == NULL) {
		snprintf(out, size, "%lld", now_ms);
		return;
	}
	snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03lldZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

size_t
log_format_line(char *buf, size_t size, int json, long long now_ms, enum log_level level,
		const char *msg, const char *const *keyvals, size_t n)
{
	struct line l = {buf, size, size - LOG_RESERVE, 0, false};
	const char *name = (unsigned)level <= LOG_LEVEL_ERROR ? log_level_names[level] : "error";
	char ts[64];
	size_t i;

	format_ts(ts, sizeof(ts), now_ms);
	if (json)
		put(&l, "{", 1);
	put_pair(&l, json, true, "ts", ts);
	put_pair(&l, json, false, "level", name);
	put_pair(&l, json, false, "msg", msg != NULL ? msg : "");
	for (i = 0; i < n && !l.full; i++)
		put_pair(&l, json, false, keyvals[2 * i], keyvals[2 * i + 1]);
	put_closing(&l, json ? "}\n" : "\n");
	return l.len;
}

/* Index of name in a NULL-terminated list, or -1. */
static int
name_index(const char *const *names, const char *name)
{
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

int
log_setup(const char *level, const char *format)
{
	int lv = name_index(log_level_names, level), fm = name_index(log_format_names, format);

	if (lv < 0 || fm < 0)
		return EINVAL;
	log_min = (enum log_level)lv;
	log_json = fm == 1;
	return 0;
}

/* Writes the whole line; a log line has nowhere to report its own failure, so none is. */
static void
write_line(const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(STDERR_FILENO, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

void
log_kv(enum log_level level, const char *msg, ...)
{
	const char *kv[2 * LOG_PAIRS_MAX];
	char buf[LOG_LINE_MAX];
	struct timespec now;
	const char *key;
	size_t n = 0;
	va_list ap;

	if (level < log_min)
		return;
	va_start(ap, msg);
	while (n < LOG_PAIRS_MAX && (key = va_arg(ap, const char *)) != NULL) {
		kv[2 * n] = key;
		kv[2 * n + 1] = va_arg(ap, const char *);
		if (kv[2 * n + 1] == NULL) {
			kv[2 * n++ + 1] = "(MISSING)";
			break;
		}
		n++;
	}
	va_end(ap);
	clock_gettime(CLOCK_REALTIME, &now);
	write_line(buf, log_format_line(buf, sizeof(buf), log_json,
					(long long)now.tv_sec * 1000 + now.tv_nsec / 1000000, level,
					msg, kv, n));
}
