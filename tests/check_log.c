/* SPDX-License-Identifier: MIT */
/* Unit tests of the exporter's log lines: logfmt and JSON quoting, cuts, levels, whole lines. */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "log.h"

#define LOGFMT_HEAD "ts=1970-01-01T00:00:00.000Z level=info msg=m "
#define JSON_HEAD "{\"ts\":\"1970-01-01T00:00:00.000Z\",\"level\":\"info\",\"msg\":\"m\","

struct quote_case {
	const char *name;
	const char *key, *value;
	const char *logfmt; /* the pair as logfmt writes it */
	const char *json;   /* the pair as JSON writes it */
};

/* go-logfmt quotes a value with a byte <= ' ', '=', '"' or bad UTF-8; both escape like Go. */
static const struct quote_case quote_cases[] = {
	{"plain word", "source", "utmp", "source=utmp", "\"source\":\"utmp\""},
	{"a path", "path", "/var/run/utmp", "path=/var/run/utmp", "\"path\":\"/var/run/utmp\""},
	{"empty", "k", "", "k=", "\"k\":\"\""},
	{"space", "err", "No such file", "err=\"No such file\"", "\"err\":\"No such file\""},
	{"equals sign", "k", "a=b", "k=\"a=b\"", "\"k\":\"a=b\""},
	{"double quote", "k", "a\"b", "k=\"a\\\"b\"", "\"k\":\"a\\\"b\""},
	{"backslash alone stays bare", "k", "a\\b", "k=a\\b", "\"k\":\"a\\\\b\""},
	{"backslash in quotes", "k", "a\\ b", "k=\"a\\\\ b\"", "\"k\":\"a\\\\ b\""},
	{"newline", "k", "a\nb", "k=\"a\\nb\"", "\"k\":\"a\\nb\""},
	{"carriage return", "k", "a\rb", "k=\"a\\rb\"", "\"k\":\"a\\rb\""},
	{"tab", "k", "a\tb", "k=\"a\\tb\"", "\"k\":\"a\\tb\""},
	{"control byte", "k", "a\001b", "k=\"a\\u0001b\"", "\"k\":\"a\\u0001b\""},
	{"escape byte", "k", "\033[31m", "k=\"\\u001b[31m\"", "\"k\":\"\\u001b[31m\""},
	{"DEL is printable to Go", "k", "a\177", "k=a\177", "\"k\":\"a\177\""},
	{"UTF-8 kept", "user", "J\xc3\xa9r\xc3\xb4me", "user=J\xc3\xa9r\xc3\xb4me",
	 "\"user\":\"J\xc3\xa9r\xc3\xb4me\""},
	{"four-byte UTF-8 kept", "k", "\xf0\x9f\x98\x80", "k=\xf0\x9f\x98\x80",
	 "\"k\":\"\xf0\x9f\x98\x80\""},
	{"invalid byte repaired", "k", "a\xff", "k=\"a\\ufffd\"", "\"k\":\"a\\ufffd\""},
	{"cut sequence repaired", "k", "a\xc3", "k=\"a\\ufffd\"", "\"k\":\"a\\ufffd\""},
	{"overlong form repaired", "k", "\xc0\xaf", "k=\"\\ufffd\\ufffd\"",
	 "\"k\":\"\\ufffd\\ufffd\""},
	{"surrogate repaired", "k", "\xed\xa0\x80", "k=\"\\ufffd\\ufffd\\ufffd\"",
	 "\"k\":\"\\ufffd\\ufffd\\ufffd\""},
	{"beyond U+10FFFF repaired", "k", "\xf4\x90\x80\x80", "k=\"\\ufffd\\ufffd\\ufffd\\ufffd\"",
	 "\"k\":\"\\ufffd\\ufffd\\ufffd\\ufffd\""},
	{"null is quoted", "k", "null", "k=\"null\"", "\"k\":\"null\""},
	{"line separator escaped in JSON", "k", "a\xe2\x80\xa8", "k=a\xe2\x80\xa8",
	 "\"k\":\"a\\u2028\""},
	{"paragraph separator escaped in JSON", "k", "\xe2\x80\xa9", "k=\xe2\x80\xa9",
	 "\"k\":\"\\u2029\""},
	{"U+FFFD quoted, as Go cannot tell it from bad UTF-8", "k", "\xef\xbf\xbd",
	 "k=\"\xef\xbf\xbd\"", "\"k\":\"\xef\xbf\xbd\""},
	{"key with a space", "a b", "v", "a_b=v", "\"a b\":\"v\""},
	{"key with an equals sign", "a=b", "v", "a_b=v", "\"a=b\":\"v\""},
	{"key with a quote", "a\"", "v", "a_=v", "\"a\\\"\":\"v\""},
	{"empty key", "", "v", "_=v", "\"\":\"v\""},
};

START_TEST(test_quote_cases)
{
	const struct quote_case *c = &quote_cases[_i];
	const char *kv[] = {c->key, c->value};
	char buf[LOG_LINE_MAX + 1], want[512];
	size_t len;

	len = log_format_line(buf, LOG_LINE_MAX, 0, 0, LOG_LEVEL_INFO, "m", kv, 1);
	buf[len] = '\0';
	snprintf(want, sizeof(want), LOGFMT_HEAD "%s\n", c->logfmt);
	ck_assert_msg(strcmp(buf, want) == 0, "%s: logfmt '%s', want '%s'", c->name, buf, want);
	len = log_format_line(buf, LOG_LINE_MAX, 1, 0, LOG_LEVEL_INFO, "m", kv, 1);
	buf[len] = '\0';
	snprintf(want, sizeof(want), JSON_HEAD "%s}\n", c->json);
	ck_assert_msg(strcmp(buf, want) == 0, "%s: json '%s', want '%s'", c->name, buf, want);
}
END_TEST

struct line_case {
	const char *name;
	int json;
	long long now_ms;
	enum log_level level;
	const char *msg;
	const char *want;
};

static const struct line_case line_cases[] = {
	{"the brief's example", 0, 1796153640999, LOG_LEVEL_ERROR, "cannot read source",
	 "ts=2026-12-01T19:34:00.999Z level=error msg=\"cannot read source\" source=utmp "
	 "err=\"No such file or directory\"\n"},
	{"milliseconds", 0, 1700000000123, LOG_LEVEL_DEBUG, "x",
	 "ts=2023-11-14T22:13:20.123Z level=debug msg=x source=utmp "
	 "err=\"No such file or directory\"\n"},
	{"before the epoch", 0, -1, LOG_LEVEL_WARN, "x",
	 "ts=1969-12-31T23:59:59.999Z level=warn msg=x source=utmp "
	 "err=\"No such file or directory\"\n"},
	{"json", 1, 1700000000123, LOG_LEVEL_INFO, "reading source again",
	 "{\"ts\":\"2023-11-14T22:13:20.123Z\",\"level\":\"info\",\"msg\":\"reading source "
	 "again\",\"source\":\"utmp\",\"err\":\"No such file or directory\"}\n"},
	{"a message that needs escaping", 0, 0, LOG_LEVEL_INFO, "say \"hi\"",
	 "ts=1970-01-01T00:00:00.000Z level=info msg=\"say \\\"hi\\\"\" source=utmp "
	 "err=\"No such file or directory\"\n"},
};

START_TEST(test_line_cases)
{
	const struct line_case *c = &line_cases[_i];
	const char *kv[] = {"source", "utmp", "err", "No such file or directory"};
	char buf[LOG_LINE_MAX + 1];
	size_t len = log_format_line(buf, LOG_LINE_MAX, c->json, c->now_ms, c->level, c->msg, kv, 2);

	buf[len] = '\0';
	ck_assert_msg(strcmp(buf, c->want) == 0, "%s: '%s'", c->name, buf);
}
END_TEST

/* A value too long for a line is cut at a whole escape, closed, and what follows is dropped. */
START_TEST(test_cut_line)
{
	static char value[3 * LOG_LINE_MAX];
	const char *kv[] = {"big", value, "after", "x"};
	char buf[LOG_LINE_MAX + 1], *quote;
	size_t len, body, i;
	int json;

	memset(value, '\001', sizeof(value) - 1);
	for (json = 0; json <= 1; json++) {
		len = log_format_line(buf, LOG_LINE_MAX, json, 0, LOG_LEVEL_INFO, "m", kv, 2);
		ck_assert_uint_le(len, LOG_LINE_MAX);
		buf[len] = '\0';
		ck_assert_msg(strcmp(buf + len - (json ? 3 : 2), json ? "\"}\n" : "\"\n") == 0,
			      "json %d: ends '%s'", json, buf + len - 4);
		ck_assert_msg(strstr(buf, "after") == NULL, "json %d: a pair after the cut", json);
		quote = strstr(buf, json ? "\"big\":\"" : "big=\"");
		ck_assert_ptr_nonnull(quote);
		quote += json ? 7 : 5;
		body = (size_t)(buf + len - (json ? 3 : 2) - quote);
		ck_assert_msg(body > 0 && body % 6 == 0, "json %d: body of %zu bytes", json, body);
		for (i = 0; i < body; i += 6)
			ck_assert(strncmp(quote + i, "\\u0001", 6) == 0);
	}
}
END_TEST

/* A key too long for what is left: the pair is left out whole and the line stays well formed. */
START_TEST(test_cut_key)
{
	static char key[2 * LOG_LINE_MAX];
	const char *kv[] = {"a", "b", key, "v"};
	char buf[LOG_LINE_MAX + 1];
	size_t len;

	memset(key, 'k', sizeof(key) - 1);
	len = log_format_line(buf, LOG_LINE_MAX, 1, 0, LOG_LEVEL_INFO, "m", kv, 2);
	buf[len] = '\0';
	ck_assert_str_eq(buf, JSON_HEAD "\"a\":\"b\"}\n");
	len = log_format_line(buf, LOG_LINE_MAX, 0, 0, LOG_LEVEL_INFO, "m", kv, 2);
	buf[len] = '\0';
	ck_assert_str_eq(buf, LOGFMT_HEAD "a=b\n");
}
END_TEST

START_TEST(test_setup_names)
{
	ck_assert_int_eq(log_setup("debug", "logfmt"), 0);
	ck_assert_int_eq(log_setup("error", "json"), 0);
	ck_assert_int_eq(log_setup("verbose", "json"), EINVAL);
	ck_assert_int_eq(log_setup("info", "text"), EINVAL);
	ck_assert_int_eq(log_setup("INFO", "logfmt"), EINVAL);
	ck_assert_int_eq(log_setup("", ""), EINVAL);
}
END_TEST

/* Points stderr at a new temporary file; returns the saved stderr. */
static int
capture_stderr(FILE **file)
{
	int saved = dup(STDERR_FILENO);

	*file = tmpfile();
	ck_assert_ptr_nonnull(*file);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_ge(dup2(fileno(*file), STDERR_FILENO), 0);
	return saved;
}

/* Puts stderr back and returns the captured text, malloc'd. */
static char *
release_stderr(FILE *file, int saved)
{
	long size;
	char *text;

	ck_assert_int_ge(dup2(saved, STDERR_FILENO), 0);
	close(saved);
	ck_assert_int_ge(fseek(file, 0, SEEK_END), 0);
	size = ftell(file);
	rewind(file);
	text = calloc(1, (size_t)size + 1);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(fread(text, 1, (size_t)size, file), (size_t)size);
	fclose(file);
	return text;
}

START_TEST(test_levels_filtered)
{
	FILE *file;
	int saved = capture_stderr(&file);
	char *text;

	ck_assert_int_eq(log_setup("warn", "json"), 0);
	log_kv(LOG_LEVEL_DEBUG, "hidden debug", NULL);
	log_kv(LOG_LEVEL_INFO, "hidden info", "k", "v", NULL);
	log_kv(LOG_LEVEL_WARN, "shown warn", "k", "v", NULL);
	log_kv(LOG_LEVEL_ERROR, "shown error", "odd", NULL);
	text = release_stderr(file, saved);
	ck_assert_int_eq(log_setup("info", "logfmt"), 0);
	ck_assert_msg(strstr(text, "hidden") == NULL, "'%s'", text);
	ck_assert_msg(strstr(text, "\"level\":\"warn\",\"msg\":\"shown warn\",\"k\":\"v\"}\n") !=
			      NULL,
		      "'%s'", text);
	ck_assert_msg(strstr(text, "\"msg\":\"shown error\",\"odd\":\"(MISSING)\"}\n") != NULL,
		      "'%s'", text);
	free(text);
}
END_TEST

#define WRITERS 4
#define LINES_EACH 500

static void *
writer(void *arg)
{
	int i;

	for (i = 0; i < LINES_EACH; i++)
		log_kv(LOG_LEVEL_INFO, "from a thread", "thread", (const char *)arg, "padding",
		       "a value long enough that two lines would interleave if written piecewise",
		       NULL);
	return NULL;
}

/* Lines from several threads reach the file whole, none mixed with another. */
START_TEST(test_threads_write_whole_lines)
{
	static const char *names[WRITERS] = {"t0", "t1", "t2", "t3"};
	pthread_t threads[WRITERS];
	FILE *file;
	int saved = capture_stderr(&file), i, lines = 0;
	char *text, *line, *next;

	for (i = 0; i < WRITERS; i++)
		ck_assert_int_eq(pthread_create(&threads[i], NULL, writer, (void *)names[i]), 0);
	for (i = 0; i < WRITERS; i++)
		pthread_join(threads[i], NULL);
	text = release_stderr(file, saved);
	for (line = text; *line != '\0'; line = next + 1) {
		next = strchr(line, '\n');
		ck_assert_ptr_nonnull(next);
		*next = '\0';
		ck_assert_msg(strncmp(line, "ts=", 3) == 0 && strstr(line, " msg=\"from a thread\" "
									 "thread=t") != NULL &&
				      strstr(line, "piecewise\"") == next - strlen("piecewise\""),
			      "line %d mixed: '%s'", lines, line);
		lines++;
	}
	ck_assert_int_eq(lines, WRITERS * LINES_EACH);
	free(text);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("log");

	tcase_add_loop_test(tc, test_quote_cases, 0, CHECK_ROWS(quote_cases));
	tcase_add_loop_test(tc, test_line_cases, 0, CHECK_ROWS(line_cases));
	tcase_add_test(tc, test_cut_line);
	tcase_add_test(tc, test_cut_key);
	tcase_add_test(tc, test_setup_names);
	tcase_add_test(tc, test_levels_filtered);
	tcase_add_test(tc, test_threads_write_whole_lines);
	suite_add_tcase(s, tc);
	return check_run(s);
}
