/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes label escaping and the whole page: label values of any bytes, and snapshots whose
 * terminal, user and process names hold any bytes, rendered as text and as OpenMetrics.  Every
 * line must parse back: no byte sequence may end a label value, add a line or a series.
 */
#include <string.h>

#include "fuzz.h"
#include "idle_expo.h"

/*
 * Length of the valid UTF-8 sequence at s (n bytes left), 0 when invalid.  Written apart from
 * common/idle_label.c on purpose: the oracle must not share the code it checks.
 */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned long cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/* Checks an escaped label value (ends at the closing quote); returns what follows it. */
static const char *
check_value(const char *p, const char *end, size_t *raw_len)
{
	size_t n;

	*raw_len = 0;
	while (p < end && *p != '"') {
		FUZZ_CHECK(*p != '\n', "raw newline in a label value");
		if (*p == '\\') {
			FUZZ_CHECK(p + 1 < end && (p[1] == '\\' || p[1] == '"' || p[1] == 'n'),
				   "bad escape");
			p += 2;
			(*raw_len)++;
			continue;
		}
		n = utf8_len((const unsigned char *)p, (size_t)(end - p));
		FUZZ_CHECK(n > 0, "invalid UTF-8 in a label value");
		p += n;
		*raw_len += n;
	}
	FUZZ_CHECK(p < end, "unterminated label value");
	return p + 1;
}

/* Checks one sample line: name{l="v",...} value. */
static void
check_sample(const char *p, const char *end)
{
	static const char *const names[] = {
		"user_input_idle_time", "avg_user_input_idle_time", "user_w_idle_time",
		"idle_terminals", "idle_sessions", "idle_input_seconds", "idle_output_seconds",
		"idle_terminal_input_seconds", "idle_terminal_output_seconds",
		"idle_last_input_timestamp_seconds", "idle_last_output_timestamp_seconds",
		"idle_terminal_last_input_timestamp_seconds",
		"idle_terminal_last_output_timestamp_seconds", "idle_last_poll_timestamp_seconds",
		"idle_collect_errors_total", "idle_exporter_build_info", NULL};
	const char *q = p;
	size_t i, raw_len;

	while (q < end && *q != '{' && *q != ' ')
		q++;
	for (i = 0; names[i] != NULL; i++)
		if ((size_t)(q - p) == strlen(names[i]) && memcmp(p, names[i], (size_t)(q - p)) == 0)
			break;
	FUZZ_CHECK(names[i] != NULL, "unknown series %.*s", (int)(q - p), p);
	if (q < end && *q == '{') {
		q++;
		while (q < end && *q != '}') {
			while (q < end && ((*q >= 'a' && *q <= 'z') || *q == '_'))
				q++;
			FUZZ_CHECK(end - q >= 2 && q[0] == '=' && q[1] == '"', "bad label");
			q = check_value(q + 2, end, &raw_len);
			FUZZ_CHECK(raw_len <= 3 * IDLE_LABEL_MAX + 8, "label of %zu bytes", raw_len);
			if (q < end && *q == ',')
				q++;
		}
		FUZZ_CHECK(q < end, "unterminated labels");
		q++;
	}
	FUZZ_CHECK(q < end && *q == ' ', "no value");
}

/* Checks every line of a rendered page. */
static void
check_page(const struct idle_buf *page, int openmetrics)
{
	const char *p = page->data, *end = page->data + page->len, *nl;

	FUZZ_CHECK(page->err == 0, "render failed");
	FUZZ_CHECK(page->len > 0 && end[-1] == '\n', "no final newline");
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (p[0] == '#') {
			FUZZ_CHECK(strncmp(p, "# HELP ", 7) == 0 || strncmp(p, "# TYPE ", 7) == 0 ||
					   (openmetrics && strncmp(p, "# EOF\n", 6) == 0),
				   "bad comment %.*s", (int)(nl - p), p);
			continue;
		}
		check_sample(p, nl);
	}
}

/* A snapshot from the input: names of any bytes, a few terminals. */
static void
make_snapshot(struct fuzz_input *in, struct idle_snapshot *snap, char *names[], size_t *nnames)
{
	struct idle_terminal term;
	char *s;
	size_t i, count = fuzz_byte(in) % 6;

	idle_snapshot_clear(snap);
	snap->host.has_pts_age = snap->host.has_pts_average = snap->host.has_terminals = true;
	snap->host.has_input = snap->sessions.has_sessions = snap->sessions.has_w_idle = true;
	s = fuzz_string(in, IDLE_LABEL_MAX);
	memcpy(snap->sessions.w_process, s, strlen(s) + 1);
	names[(*nnames)++] = s;
	for (i = 0; i < count; i++) {
		memset(&term, 0, sizeof(term));
		s = fuzz_string(in, IDLE_TTY_MAX - 1);
		memcpy(term.tty, s, strlen(s) + 1);
		names[(*nnames)++] = s;
		s = fuzz_string(in, IDLE_USER_MAX - 1);
		memcpy(term.user, s, strlen(s) + 1);
		names[(*nnames)++] = s;
		term.input_seconds = (double)fuzz_byte(in);
		if (idle_snapshot_add_terminal(snap, &snap->host, &term) != 0)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = {data, size};
	struct idle_snapshot snap;
	struct idle_buf out;
	char *names[16], *raw;
	size_t cap, n = 0, raw_len;
	int format;

	/* One label value, capped at the first byte's value. */
	cap = fuzz_byte(&in);
	raw = fuzz_string(&in, 4096);
	idle_buf_init(&out);
	idle_buf_puts(&out, "\"");
	idle_expo_label_value(&out, raw, cap);
	idle_buf_puts(&out, "\"");
	FUZZ_CHECK(out.err == 0, "buffer");
	FUZZ_CHECK(check_value(out.data + 1, out.data + out.len, &raw_len) == out.data + out.len,
		   "the value ends early");
	FUZZ_CHECK(raw_len <= 3 * cap, "%zu bytes from a cap of %zu", raw_len, cap);
	idle_buf_free(&out);
	free(raw);

	/* A whole page in each format. */
	idle_snapshot_init(&snap);
	make_snapshot(&in, &snap, names, &n);
	for (format = 0; format < 2; format++) {
		idle_buf_init(&out);
		idle_expo_render(&out, format ? IDLE_EXPO_OPENMETRICS : IDLE_EXPO_TEXT, &snap, NULL,
				 "0.1.0");
		check_page(&out, format);
		idle_buf_free(&out);
	}
	idle_snapshot_free(&snap);
	while (n > 0)
		free(names[--n]);
	return 0;
}
