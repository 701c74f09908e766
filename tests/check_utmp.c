/* SPDX-License-Identifier: MIT */
/* Unit tests of the utmp reader: records written by the test, hostile and broken files. */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utmpx.h>

#include "check_run.h"
#include "fixture.h"
#include "idle_utmp.h"

#define FIELD 32 /* ut_line and ut_user */

/* A record to write; line and user of FIELD bytes or more are written without a NUL. */
struct rec {
	short type;
	pid_t pid;
	const char *line;
	const char *user;
};

/* What the reader must return, in order. */
struct want {
	pid_t pid;
	const char *line;
	const char *user;
};

enum extra {
	EXTRA_NONE,
	EXTRA_PARTIAL,	/* 100 bytes of a record after the last one */
	EXTRA_GARBAGE,	/* the file is 10,000 pseudo-random bytes */
	EXTRA_THOUSAND, /* 1000 records: odd pids are logins, even ones DEAD_PROCESS */
	EXTRA_MISSING,	/* no file */
	EXTRA_DIR,	/* a directory */
	EXTRA_FIFO,	/* a FIFO: must not block */
};

struct utmp_case {
	const char *name;
	struct rec recs[6];
	size_t nrecs;
	enum extra extra;
	int err;
	struct want want[6];
	size_t nwant;
};

#define LONG_LINE "pts/0123456789012345678901234567" /* 32 bytes */
#define LONG_USER "u1234567890123456789012345678901" /* 32 bytes */

/* clang-format off */
static const struct utmp_case cases[] = {
	{"one login", {{USER_PROCESS, 100, "pts/3", "alice"}}, 1, EXTRA_NONE, 0,
	 {{100, "pts/3", "alice"}}, 1},
	{"other record types skipped",
	 {{RUN_LVL, 1, "~", "runlevel"}, {BOOT_TIME, 2, "~", "reboot"}, {INIT_PROCESS, 3, "", ""},
	  {LOGIN_PROCESS, 4, "tty1", "LOGIN"}, {DEAD_PROCESS, 5, "pts/1", "bob"},
	  {USER_PROCESS, 6, "pts/2", "carol"}},
	 6, EXTRA_NONE, 0, {{6, "pts/2", "carol"}}, 1},
	{"empty user skipped as w does", {{USER_PROCESS, 7, "pts/1", ""}}, 1, EXTRA_NONE, 0, {{0}},
	 0},
	{"non-terminated fields keep 32 bytes", {{USER_PROCESS, 8, LONG_LINE, LONG_USER}}, 1,
	 EXTRA_NONE, 0, {{8, LONG_LINE, LONG_USER}}, 1},
	{"prefixes and displays are kept raw",
	 {{USER_PROCESS, 9, "/dev/pts/3", "dave"}, {USER_PROCESS, 10, ":0", "dave"},
	  {USER_PROCESS, 11, "tty1", "dave"}, {USER_PROCESS, 12, "../../etc/passwd", "eve"}},
	 4, EXTRA_NONE, 0,
	 {{9, "/dev/pts/3", "dave"}, {10, ":0", "dave"}, {11, "tty1", "dave"},
	  {12, "../../etc/passwd", "eve"}},
	 4},
	{"dead and negative pids are the caller's business",
	 {{USER_PROCESS, 0, "pts/1", "frank"}, {USER_PROCESS, -5, "pts/2", "frank"}}, 2,
	 EXTRA_NONE, 0, {{0, "pts/1", "frank"}, {-5, "pts/2", "frank"}}, 2},
	{"trailing partial record is an error", {{USER_PROCESS, 13, "pts/4", "gina"}}, 1,
	 EXTRA_PARTIAL, EINVAL, {{0}}, 0},
	{"empty file", {{0}}, 0, EXTRA_NONE, 0, {{0}}, 0},
	{"a thousand records", {{0}}, 0, EXTRA_THOUSAND, 0, {{0}}, 0},
	{"garbage is an error, not a crash", {{0}}, 0, EXTRA_GARBAGE, EINVAL, {{0}}, 0},
	{"a record of no utmp type is garbage",
	 {{USER_PROCESS, 14, "pts/5", "hal"}, {42, 15, "pts/6", "hal"}}, 2, EXTRA_NONE, EINVAL,
	 {{0}}, 0},
	{"every utmp type is known", {{0, 1, "a", "x"}, {9, 2, "b", "y"}, {USER_PROCESS, 3, "c", "z"}},
	 3, EXTRA_NONE, 0, {{3, "c", "z"}}, 1},
	{"missing file", {{0}}, 0, EXTRA_MISSING, ENOENT, {{0}}, 0},
	{"a directory is refused", {{0}}, 0, EXTRA_DIR, EINVAL, {{0}}, 0},
	{"a FIFO is refused without blocking", {{0}}, 0, EXTRA_FIFO, EINVAL, {{0}}, 0},
};
/* clang-format on */

/* Copies s into a field of FIELD bytes: strncpy semantics, no NUL when s is long. */
static void
set_field(char *field, const char *s)
{
	size_t n = strlen(s);

	memset(field, 0, FIELD);
	memcpy(field, s, n < FIELD ? n : FIELD);
}

/* Encodes one record with the C library's layout. */
static void
encode(const struct rec *r, struct utmpx *u)
{
	memset(u, 0, sizeof(*u));
	u->ut_type = r->type;
	u->ut_pid = r->pid;
	set_field(u->ut_line, r->line);
	set_field(u->ut_user, r->user);
	memcpy(u->ut_host, "host.example", 12);
}

static void
write_all(int fd, const void *buf, size_t len, const char *name)
{
	ck_assert_msg(write(fd, buf, len) == (ssize_t)len, "%s: write", name);
}

/* Writes the thousand-record file: pids 1..1000, odd ones logging in on pts/N. */
static void
write_thousand(int fd, const char *name)
{
	char line[16];
	struct utmpx u;
	int i;

	for (i = 1; i <= 1000; i++) {
		struct rec r = {i % 2 ? USER_PROCESS : DEAD_PROCESS, i, line, "user"};

		ck_assert_msg(snprintf(line, sizeof(line), "pts/%d", i) < (int)sizeof(line), "%s",
			      name);
		encode(&r, &u);
		write_all(fd, &u, sizeof(u), name);
	}
}

/* Writes 10,000 bytes from a fixed linear congruential sequence. */
static void
write_garbage(int fd, const char *name)
{
	unsigned char buf[10000];
	unsigned int x = 12345;
	size_t i;

	for (i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (unsigned char)(x >> 16);
		/* Make many records look like logins so the field copies are exercised. */
		if (i % IDLE_UTMP_RECORD_SIZE == 0)
			buf[i] = USER_PROCESS;
		if (i % IDLE_UTMP_RECORD_SIZE == 1)
			buf[i] = 0;
	}
	write_all(fd, buf, sizeof(buf), name);
}

/* Builds the case's file at path. */
static void
build(const struct utmp_case *c, const char *path)
{
	struct utmpx u;
	size_t i;
	int fd;

	if (c->extra == EXTRA_MISSING)
		return;
	if (c->extra == EXTRA_DIR || c->extra == EXTRA_FIFO) {
		int rc = c->extra == EXTRA_DIR ? mkdir(path, 0700) : mkfifo(path, 0600);

		ck_assert_msg(rc == 0, "%s: mkdir/mkfifo", c->name);
		return;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_msg(fd >= 0, "%s: open", c->name);
	for (i = 0; i < c->nrecs; i++) {
		encode(&c->recs[i], &u);
		write_all(fd, &u, sizeof(u), c->name);
	}
	if (c->extra == EXTRA_PARTIAL)
		write_all(fd, &u, 100, c->name);
	if (c->extra == EXTRA_THOUSAND)
		write_thousand(fd, c->name);
	if (c->extra == EXTRA_GARBAGE)
		write_garbage(fd, c->name);
	ck_assert_msg(close(fd) == 0, "%s: close", c->name);
}

/* Invariants any result must meet, garbage included. */
static void
check_sane(const struct utmp_case *c, const struct idle_utmp_list *list)
{
	size_t i;

	for (i = 0; i < list->len; i++) {
		const struct idle_utmp_record *r = &list->records[i];

		ck_assert_msg(r->type == USER_PROCESS, "%s: type of %zu", c->name, i);
		ck_assert_msg(memchr(r->line, '\0', sizeof(r->line)) != NULL, "%s: line NUL",
			      c->name);
		ck_assert_msg(memchr(r->user, '\0', sizeof(r->user)) != NULL, "%s: user NUL",
			      c->name);
		ck_assert_msg(r->user[0] != '\0', "%s: empty user", c->name);
	}
}

static void
check_thousand(const struct utmp_case *c, const struct idle_utmp_list *list)
{
	char line[16];
	size_t i;

	ck_assert_msg(list->len == 500, "%s: %zu records", c->name, list->len);
	for (i = 0; i < list->len; i++) {
		snprintf(line, sizeof(line), "pts/%zu", 2 * i + 1);
		ck_assert_msg(list->records[i].pid == (pid_t)(2 * i + 1), "%s: pid %zu", c->name,
			      i);
		ck_assert_msg(strcmp(list->records[i].line, line) == 0, "%s: line %zu", c->name, i);
	}
}

START_TEST(test_utmp_cases)
{
	const struct utmp_case *c = &cases[_i];
	struct idle_utmp_list list = {0};
	char *root = fixture_dir();
	char *path;
	size_t i;
	int rc;

	ck_assert_msg(asprintf(&path, "%s/utmp", root) > 0, "%s: asprintf", c->name);
	build(c, path);
	rc = idle_utmp_read_logins(path, &list);
	ck_assert_msg(rc == c->err, "%s: rc %d, want %d", c->name, rc, c->err);
	check_sane(c, &list);
	if (c->extra == EXTRA_THOUSAND)
		check_thousand(c, &list);
	else if (c->extra != EXTRA_GARBAGE)
		ck_assert_msg(list.len == c->nwant, "%s: %zu records, want %zu", c->name, list.len,
			      c->nwant);
	for (i = 0; i < c->nwant && i < list.len; i++) {
		const struct idle_utmp_record *r = &list.records[i];

		ck_assert_msg(r->pid == c->want[i].pid, "%s: pid %d", c->name, (int)r->pid);
		ck_assert_msg(strcmp(r->line, c->want[i].line) == 0, "%s: line '%s'", c->name,
			      r->line);
		ck_assert_msg(strcmp(r->user, c->want[i].user) == 0, "%s: user '%s'", c->name,
			      r->user);
	}
	idle_utmp_list_free(&list);
	free(path);
	fixture_remove(root);
}
END_TEST

/* The parser reads records at any alignment, and a list is emptied but kept between reads. */
START_TEST(test_parse_misaligned_and_reuse)
{
	unsigned char buf[2 * IDLE_UTMP_RECORD_SIZE + 1];
	struct rec r = {USER_PROCESS, 4242, "pts/9", "misaligned"};
	struct idle_utmp_list list = {0};
	struct utmpx u;

	encode(&r, &u);
	memcpy(buf + 1, &u, sizeof(u));
	memcpy(buf + 1 + sizeof(u), &u, sizeof(u));
	ck_assert_int_eq(idle_utmp_parse_logins(buf + 1, 2 * sizeof(u), &list), 0);
	ck_assert_uint_eq(list.len, 2);
	ck_assert_int_eq(list.records[1].pid, 4242);
	ck_assert_str_eq(list.records[1].user, "misaligned");
	ck_assert_int_eq(idle_utmp_read_logins("/nonexistent/idle/utmp", &list), ENOENT);
	ck_assert_uint_eq(list.len, 0);
	ck_assert_ptr_nonnull(list.records);
	idle_utmp_list_free(&list);
	ck_assert_ptr_null(list.records);
	idle_utmp_list_free(&list);
}
END_TEST

/* More login records than any host has is refused rather than grown without bound. */
START_TEST(test_too_many_logins)
{
	struct rec r = {USER_PROCESS, 1, "pts/1", "many"};
	struct idle_utmp_list list = {0};
	struct utmpx u;

	list.records = calloc(IDLE_UTMP_MAX_LOGINS, sizeof(*list.records));
	ck_assert_ptr_nonnull(list.records);
	list.len = list.cap = IDLE_UTMP_MAX_LOGINS;
	encode(&r, &u);
	ck_assert_int_eq(idle_utmp_parse_logins(&u, sizeof(u), &list), EFBIG);
	ck_assert_uint_eq(list.len, IDLE_UTMP_MAX_LOGINS);
	idle_utmp_list_free(&list);
}
END_TEST

/* Writes n login records of pid 1 and then extra bytes of one more to path, mtime age s ago. */
static void
write_logins(const char *path, size_t n, size_t extra, time_t age)
{
	struct rec r = {USER_PROCESS, 1, "pts/1", "alice"};
	struct timespec times[2];
	struct utmpx u;
	size_t i;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	ck_assert(fd >= 0);
	encode(&r, &u);
	for (i = 0; i < n; i++)
		write_all(fd, &u, sizeof(u), path);
	write_all(fd, &u, extra, path);
	ck_assert(close(fd) == 0);
	times[0].tv_sec = times[1].tv_sec = time(NULL) - age;
	times[0].tv_nsec = times[1].tv_nsec = 0;
	ck_assert(utimensat(AT_FDCWD, path, times, 0) == 0);
}

/* No utmp file is an empty one, for as long as it is missing; one that appears is read. */
START_TEST(test_changed_missing_is_empty)
{
	char *dir = fixture_dir(), *path;
	struct idle_utmp_stamp stamp = {0};
	struct idle_utmp_list list = {0};
	struct timespec now = {time(NULL), 0};

	ck_assert(asprintf(&path, "%s/utmp", dir) > 0);
	write_logins(path, 2, 0, 100);
	ck_assert_int_eq(idle_utmp_read_changed(path, &now, &stamp, &list), 0);
	ck_assert_uint_eq(list.len, 2);
	ck_assert(unlink(path) == 0);
	ck_assert_int_eq(idle_utmp_read_changed(path, &now, &stamp, &list), 0);
	ck_assert_uint_eq(list.len, 0);
	ck_assert_int_eq(idle_utmp_read_changed(path, &now, &stamp, &list), 0);
	ck_assert_uint_eq(list.len, 0);
	write_logins(path, 1, 0, 100);
	ck_assert_int_eq(idle_utmp_read_changed(path, &now, &stamp, &list), 0);
	ck_assert_uint_eq(list.len, 1);
	/* What is not ENOENT stays an error: a directory in its place. */
	ck_assert(unlink(path) == 0 && mkdir(path, 0700) == 0);
	ck_assert_int_eq(idle_utmp_read_changed(path, &now, &stamp, &list), EINVAL);
	ck_assert_uint_eq(list.len, 0);
	idle_utmp_list_free(&list);
	free(path);
	fixture_remove(dir);
}
END_TEST

/* Calls idle_utmp_read_changed n times, each wanting rc; returns how many opened the file. */
static size_t
read_n(int watch, const char *path, struct idle_utmp_stamp *stamp, struct idle_utmp_list *list,
       int n, int rc)
{
	struct timespec now = {time(NULL), 0};
	size_t opens = 0;
	int i;

	/* Counted after each call: inotify merges an event into an identical unread one. */
	(void)fixture_count_opens(watch, "utmp");
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(idle_utmp_read_changed(path, &now, stamp, list), rc);
		opens += fixture_count_opens(watch, "utmp");
	}
	return opens;
}

/*
 * A file cut inside a record is an error at every poll, but read once while it keeps its
 * stamp, like a whole file; a change is read at once.
 */
START_TEST(test_changed_cut_file_read_once)
{
	char *dir = fixture_dir(), *path;
	struct idle_utmp_stamp stamp = {0};
	struct idle_utmp_list list = {0};
	int watch = fixture_watch_opens(-1, dir);

	ck_assert(asprintf(&path, "%s/utmp", dir) > 0);
	write_logins(path, 3, 100, 100);
	ck_assert_uint_eq(read_n(watch, path, &stamp, &list, 5, EINVAL), 1);
	ck_assert_uint_eq(list.len, 0);
	write_logins(path, 3, 0, 100);
	ck_assert_uint_eq(read_n(watch, path, &stamp, &list, 5, 0), 1);
	ck_assert_uint_eq(list.len, 3);
	/* A recent mtime is not trusted: read at every call. */
	write_logins(path, 2, 100, 0);
	ck_assert_uint_eq(read_n(watch, path, &stamp, &list, 3, EINVAL), 3);
	ck_assert(close(watch) == 0);
	idle_utmp_list_free(&list);
	free(path);
	fixture_remove(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("utmp");
	TCase *tc = tcase_create("utmp");

	tcase_add_loop_test(tc, test_utmp_cases, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_parse_misaligned_and_reuse);
	tcase_add_test(tc, test_too_many_logins);
	tcase_add_test(tc, test_changed_missing_is_empty);
	tcase_add_test(tc, test_changed_cut_file_read_once);
	suite_add_tcase(s, tc);
	return check_run(s);
}
