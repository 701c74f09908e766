/* SPDX-License-Identifier: MIT */
/* Unit tests of the /proc parsers and readers: hostile stat lines, cmdlines, fake proc trees. */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "check_run.h"
#include "fixture.h"
#include "idle_proc.h"
#include "idle_proc_children.h"
#include "idle_what.h"
#include "idle_snapshot.h"

/* Fields 9 to 21 and 23 to 51 of a real stat line, around the start time (field 22). */
#define MID " 4194304 1 2 3 4 5 6 7 8 20 0 1 0 "
#define END                                                                                        \
	" 1000 200 18446744073709551615 1 1 0 0 0 0 65536 3670020 1266777851 0 0 0 17 3 0 0 0 "    \
	"0 0 94000 95000 140730000 140730100 140730200 140730300 140730400 0\n"
/* Up to field 44: a kernel before 3.5, without the argv addresses. */
#define END_OLD                                                                                    \
	" 1000 200 18446744073709551615 1 1 0 0 0 0 65536 3670020 1266777851 0 0 0 17 3 0 0 0 0 "  \
	"0\n"

struct stat_case {
	const char *name;
	const char *line;
	int rc;
	pid_t pid;
	const char *comm;
	char state;
	pid_t ppid, pgrp, session;
	int tty_nr;
	pid_t tpgid;
	unsigned long long start;
	unsigned long arg_start, arg_end;
};

/* clang-format off */
static const struct stat_case stat_cases[] = {
	{"plain", "1234 (bash) S 1000 1234 1234 34816 5678" MID "98765" END, 0, 1234, "bash", 'S',
	 1000, 1234, 1234, 34816, 5678, 98765, 140730100, 140730200},
	{"spaces in comm", "7 (my prog 2) R 1 7 7 0 -1" MID "5" END, 0, 7, "my prog 2", 'R', 1, 7,
	 7, 0, -1, 5, 140730100, 140730200},
	{"parentheses and fake fields in comm", "8 () R 1 2 () S 3 4 5 6 7" MID "9" END, 0, 8,
	 ") R 1 2 (", 'S', 3, 4, 5, 6, 7, 9, 140730100, 140730200},
	{"newline and trailing parenthesis in comm", "9 (a)\n)) Z 1 9 9 0 -1" MID "10" END, 0, 9,
	 "a)\n)", 'Z', 1, 9, 9, 0, -1, 10, 140730100, 140730200},
	{"empty comm", "10 () S 1 10 10 0 -1" MID "11" END, 0, 10, "", 'S', 1, 10, 10, 0, -1, 11,
	 140730100, 140730200},
	{"high bytes in comm", "11 (\xff\xfe\x01\x7f) S 1 11 11 0 -1" MID "12" END, 0, 11,
	 "\xff\xfe\x01\x7f", 'S', 1, 11, 11, 0, -1, 12, 140730100, 140730200},
	{"comm longer than 63 bytes is cut",
	 "12 (0123456789012345678901234567890123456789012345678901234567890123456789) S 1 12 12 0 -1" MID
	 "13" END,
	 0, 12, "012345678901234567890123456789012345678901234567890123456789012", 'S', 1, 12, 12, 0,
	 -1, 13, 140730100, 140730200},
	{"old kernel without argv addresses", "13 (sh) S 1 13 13 1025 13" MID "14" END_OLD, 0, 13,
	 "sh", 'S', 1, 13, 13, 1025, 13, 14, 0, 0},
	{"largest start time", "14 (sh) S 1 14 14 0 -1" MID "18446744073709551615" END, 0, 14, "sh",
	 'S', 1, 14, 14, 0, -1, 18446744073709551615ULL, 140730100, 140730200},
	{.name = "truncated before the start time", .line = "15 (sh) S 1 15 15 0 -1 4194304 1 2", .rc = EINVAL},
	{.name = "no closing parenthesis", .line = "16 (sh S 1 16 16 0 -1" MID "1" END, .rc = EINVAL},
	{.name = "no opening parenthesis", .line = "17 sh) S 1 17 17 0 -1" MID "1" END, .rc = EINVAL},
	{.name = "pid not a number", .line = "x7 (sh) S 1 17 17 0 -1" MID "1" END, .rc = EINVAL},
	{.name = "empty", .line = "", .rc = EINVAL},
	{.name = "state of two letters", .line = "18 (sh) SS 1 18 18 0 -1" MID "1" END, .rc = EINVAL},
	{.name = "ppid out of range", .line = "19 (sh) S 99999999999 19 19 0 -1" MID "1" END, .rc = EINVAL},
	{.name = "negative start time", .line = "20 (sh) S 1 20 20 0 -1" MID "-1" END, .rc = EINVAL},
};
/* clang-format on */

START_TEST(test_parse_stat)
{
	const struct stat_case *c = &stat_cases[_i];
	struct idle_proc_stat st;
	int rc = idle_proc_parse_stat(c->line, strlen(c->line), &st);

	ck_assert_msg(rc == c->rc, "%s: rc %d, want %d", c->name, rc, c->rc);
	if (rc != 0)
		return;
	ck_assert_msg(st.pid == c->pid, "%s: pid %d", c->name, (int)st.pid);
	ck_assert_msg(strcmp(st.comm, c->comm) == 0, "%s: comm '%s'", c->name, st.comm);
	ck_assert_msg(st.state == c->state, "%s: state %c", c->name, st.state);
	ck_assert_msg(st.ppid == c->ppid && st.pgrp == c->pgrp && st.session == c->session,
		      "%s: ppid %d pgrp %d session %d", c->name, (int)st.ppid, (int)st.pgrp,
		      (int)st.session);
	ck_assert_msg(st.tty_nr == c->tty_nr && st.tpgid == c->tpgid, "%s: tty %d tpgid %d",
		      c->name, st.tty_nr, (int)st.tpgid);
	ck_assert_msg(st.start_ticks == c->start, "%s: start %llu", c->name, st.start_ticks);
	ck_assert_msg(st.arg_start == c->arg_start && st.arg_end == c->arg_end, "%s: argv %lu-%lu",
		      c->name, st.arg_start, st.arg_end);
}
END_TEST

struct uid_case {
	const char *name;
	const char *status;
	int rc;
	uid_t ruid, euid;
};

/* clang-format off */
static const struct uid_case uid_cases[] = {
	{"real status", "Name:\tbash\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t9\nPid:\t9\n"
			"Uid:\t1000\t1001\t1002\t1003\nGid:\t100\t100\t100\t100\n",
	 0, 1000, 1001},
	{"Uid: in the name is not a line", "Name:\tUid:\t0\t0\nUid:\t5\t6\t7\t8\n", 0, 5, 6},
	{"last line without newline", "Name:\tx\nUid:\t7 8", 0, 7, 8},
	{.name = "no Uid line", .status = "Name:\tx\nGid:\t0\t0\t0\t0\n", .rc = EINVAL},
	{.name = "Uid line without numbers", .status = "Uid:\t\n", .rc = EINVAL},
	{.name = "negative uid", .status = "Uid:\t-1\t0\t0\t0\n", .rc = EINVAL},
	{.name = "uid out of range", .status = "Uid:\t4294967296\t0\t0\t0\n", .rc = EINVAL},
};
/* clang-format on */

START_TEST(test_parse_uids)
{
	const struct uid_case *c = &uid_cases[_i];
	uid_t ruid = 0, euid = 0;
	int rc = idle_proc_parse_uids(c->status, strlen(c->status), &ruid, &euid);

	ck_assert_msg(rc == c->rc, "%s: rc %d", c->name, rc);
	if (rc == 0)
		ck_assert_msg(ruid == c->ruid && euid == c->euid, "%s: %u %u", c->name,
			      (unsigned)ruid, (unsigned)euid);
}
END_TEST

struct what_case {
	const char *name;
	const char *cmdline;
	size_t len;
	const char *comm;
	size_t size; /* of the word buffer; 0 for IDLE_LABEL_MAX + 1 */
	const char *word;
	bool dash;
};

/* clang-format off */
#define CMD(s) s, sizeof(s) - 1
#define X10 "xxxxxxxxxx"
#define X100 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10

static const struct what_case what_cases[] = {
	{"login shell", CMD("-bash\0"), "bash", 0, "-bash", false},
	{"arguments are dropped", CMD("vim\0secret.txt\0"), "vim", 0, "vim", false},
	{"path kept", CMD("/usr/bin/python3\0-m\0http.server\0"), "python3", 0, "/usr/bin/python3",
	 false},
	{"rewritten argv with spaces", CMD("sshd: alice@pts/0"), "sshd", 0, "sshd:", false},
	{"newline separates", CMD("a\nb\0"), "a", 0, "a", false},
	{"tab does not separate", CMD("a\tb\0c\0"), "a", 0, "a\tb", false},
	{"leading empty argv[0]", CMD("\0foo\0"), "foo", 0, "foo", false},
	{"hostile bytes kept raw", CMD("\xff\xfe\"}\\\x01\0x\0"), "x", 0, "\xff\xfe\"}\\\x01",
	 false},
	{"empty cmdline shows [comm]", CMD(""), "kworker/0:1", 0, "[kworker/0:1]", false},
	{"[comm] cut at a space", CMD(""), "my prog", 0, "[my", false},
	{"[comm] of an empty comm", CMD(""), "", 0, "[]", false},
	{"only NULs show ?", CMD("\0\0\0"), "x", 0, "?", false},
	{"a single space shows ?", CMD(" "), "x", 0, "?", false},
	{"two spaces: an empty word", CMD("  "), "x", 0, "", false},
	{"dash alone", CMD("-"), "x", 0, "-", true},
	{"dash with trailing NULs", CMD("-\0\0"), "x", 0, "-", true},
	{"dash with one trailing space", CMD("- "), "x", 0, "-", true},
	{"dash with a trailing newline", CMD("-\n"), "x", 0, "-", true},
	{"dash, space, NUL is not dash", CMD("- \0"), "x", 0, "-", false},
	{"dash with an argument is not dash", CMD("-\0x\0"), "x", 0, "-", false},
	{"capped at the label limit", CMD(X100 X100 "\0"), "x", 0, X100 "xxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	 false},
	{"a cut never splits a character", CMD("ab\xc3\xa9\0"), "x", 4, "ab", false},
	{"a cut after a whole character keeps it", CMD("a\xc3\xa9z\0"), "x", 4, "a\xc3\xa9", false},
	{"small buffer", CMD("abcdef\0"), "x", 4, "abc", false},
	{"small buffer for [comm]", CMD(""), "abcdef", 4, "[ab", false},
	{"buffer ends at the bracket", CMD(""), "ab", 4, "[ab", false},
	{"buffer of one byte", CMD("abc"), "x", 1, "", false},
};
/* clang-format on */

START_TEST(test_what_word)
{
	const struct what_case *c = &what_cases[_i];
	char word[IDLE_LABEL_MAX + 1];
	size_t size = c->size ? c->size : sizeof(word);
	bool dash = !c->dash;
	size_t len = idle_what_word(c->cmdline, c->len, c->comm, word, size, &dash);

	ck_assert_msg(strcmp(word, c->word) == 0, "%s: word '%s', want '%s'", c->name, word,
		      c->word);
	ck_assert_msg(len == strlen(c->word), "%s: length %zu", c->name, len);
	ck_assert_msg(dash == c->dash, "%s: dash %d", c->name, dash);
}
END_TEST

/* Collected pids of a scan. */
struct pids {
	pid_t pid[16];
	size_t len;
	int stop_at; /* return EIO when this pid comes, 0 never */
};

static int
collect(void *arg, pid_t pid)
{
	struct pids *p = arg;

	if (pid == p->stop_at)
		return EIO;
	ck_assert_uint_lt(p->len, 16);
	p->pid[p->len++] = pid;
	return 0;
}

struct scan_case {
	const char *name;
	const char *text;
	pid_t want[6];
	size_t nwant;
};

/* clang-format off */
static const struct scan_case scan_cases[] = {
	{"children with trailing space", "12 345 6789 ", {12, 345, 6789}, 3},
	{"no trailing space", "42", {42}, 1},
	{"empty", "", {0}, 0},
	{"newlines separate", "1\n2\n", {1, 2}, 2},
	{"out of range and zero skipped", "99999999999 0 5 2147483648 2147483647",
	 {5, 2147483647}, 2},
	{"junk separates", "7x8", {7, 8}, 2},
};
/* clang-format on */

/* Every split of the text into two reads gives the same pids. */
START_TEST(test_scan_pids)
{
	const struct scan_case *c = &scan_cases[_i];
	size_t len = strlen(c->text);
	size_t cut;
	size_t i;

	for (cut = 0; cut <= len; cut++) {
		struct idle_proc_pid_scan scan = {0};
		struct pids p = {{0}, 0, 0};

		ck_assert_int_eq(idle_proc_scan_pids(&scan, c->text, cut, collect, &p), 0);
		ck_assert_int_eq(idle_proc_scan_pids(&scan, c->text + cut, len - cut, collect, &p),
				 0);
		ck_assert_int_eq(idle_proc_scan_end(&scan, collect, &p), 0);
		ck_assert_msg(p.len == c->nwant, "%s: cut %zu: %zu pids", c->name, cut, p.len);
		for (i = 0; i < p.len; i++)
			ck_assert_msg(p.pid[i] == c->want[i], "%s: cut %zu: pid %d", c->name, cut,
				      (int)p.pid[i]);
	}
}
END_TEST

START_TEST(test_scan_stops_on_callback_error)
{
	struct idle_proc_pid_scan scan = {0};
	struct pids p = {{0}, 0, 2};

	ck_assert_int_eq(idle_proc_scan_pids(&scan, "1 2 3 ", 6, collect, &p), EIO);
	ck_assert_uint_eq(p.len, 1);
}
END_TEST

struct tty_case {
	const char *name;
	int tty_nr;
	unsigned int major, minor;
	bool same;
};

/* clang-format off */
static const struct tty_case tty_cases[] = {
	{"pts/0", 34816, 136, 0, true},
	{"pts/300 uses the high minor bits", (0x2c | (136 << 8) | (0x100 << 12)), 136, 300, true},
	{"tty1", 1025, 4, 1, true},
	{"another pts", 34817, 136, 0, false},
	{"no tty against a regular file", 0, 0, 0, true},
	{"no tty against a device", 0, 136, 0, false},
};
/* clang-format on */

START_TEST(test_tty_is)
{
	const struct tty_case *c = &tty_cases[_i];

	ck_assert_msg(idle_proc_tty_is(c->tty_nr, makedev(c->major, c->minor)) == c->same, "%s",
		      c->name);
}
END_TEST

/* Writes dir/rel (parents made) holding len bytes of content. */
static void
put(const char *dir, const char *rel, const char *content, size_t len)
{
	char *path;
	int fd;

	fixture_file(dir, rel, 0, 0, 0, 0);
	if (asprintf(&path, "%s/%s", dir, rel) < 0)
		abort();
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ck_assert_msg(fd >= 0, "open %s", path);
	ck_assert_msg(write(fd, content, len) == (ssize_t)len, "write %s", path);
	ck_assert_msg(close(fd) == 0, "close %s", path);
	free(path);
}

static void
put_str(const char *dir, const char *rel, const char *content)
{
	put(dir, rel, content, strlen(content));
}

static void
make_dir(const char *dir, const char *rel)
{
	char *path;

	if (asprintf(&path, "%s/%s", dir, rel) < 0)
		abort();
	ck_assert_msg(mkdir(path, 0755) == 0, "mkdir %s", path);
	free(path);
}

/* A fake proc tree: 10 (threads 10 and 11), 20, 21, 22; 30 vanished; 40 broken. */
static char *
proc_tree(int *fd)
{
	char *root = fixture_dir();

	put_str(root, "10/stat", "10 (lead er) S 1 10 10 34816 10" MID "100" END);
	put_str(root, "10/status", "Name:\tleader\nUid:\t1000\t1000\t1000\t1000\n");
	put(root, "10/cmdline", CMD("-sh\0-l\0"));
	put_str(root, "10/task/10/children", "20 21 ");
	put_str(root, "10/task/11/children", "22");
	put_str(root, "20/stat", "20 (a) S 10 20 10 34816 10" MID "200" END);
	put_str(root, "20/task/20/children", "");
	make_dir(root, "30");
	put_str(root, "40/stat", "40 garbage");
	make_dir(root, "40/task");
	make_dir(root, "40/task/40");
	put_str(root, "50/stat", "");
	*fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(*fd, 0);
	return root;
}

struct read_case {
	const char *name;
	pid_t pid;
	int exists, stat, uids, children;
};

static const struct read_case read_cases[] = {
    {"live process", 10, 0, 0, 0, 0},
    {"process without status", 20, 0, 0, ESRCH, 0},
    {"vanished: directory left, files gone", 30, 0, ESRCH, ESRCH, ESRCH},
    {"garbage stat, no children file", 40, 0, EINVAL, ESRCH, ENOTSUP},
    {"empty stat means gone", 50, 0, ESRCH, ESRCH, ESRCH},
    {"no such pid", 60, ESRCH, ESRCH, ESRCH, ESRCH},
    {"pid 0", 0, ESRCH, ESRCH, ESRCH, ESRCH},
    {"negative pid", -1, ESRCH, ESRCH, ESRCH, ESRCH},
};

START_TEST(test_reads)
{
	const struct read_case *c = &read_cases[_i];
	struct pids p = {{0}, 0, 0};
	struct idle_proc_stat st;
	uid_t ruid, euid;
	int fd;
	char *root = proc_tree(&fd);
	int rc;

	rc = idle_proc_exists(fd, c->pid);
	ck_assert_msg(rc == c->exists, "%s: exists %d", c->name, rc);
	rc = idle_proc_read_stat(fd, c->pid, &st);
	ck_assert_msg(rc == c->stat, "%s: stat %d", c->name, rc);
	rc = idle_proc_read_uids(fd, c->pid, &ruid, &euid);
	ck_assert_msg(rc == c->uids, "%s: uids %d", c->name, rc);
	rc = idle_proc_children(fd, c->pid, 0, collect, &p);
	ck_assert_msg(rc == c->children, "%s: children %d", c->name, rc);
	p.len = 0;
	rc = idle_proc_children(fd, c->pid, 1, collect, &p); /* one thread: no listing */
	ck_assert_msg(rc == c->children, "%s: children %d", c->name, rc);
	close(fd);
	fixture_remove(root);
}
END_TEST

/* Children of every thread, and the cmdline read with and without a cap. */
START_TEST(test_tree_contents)
{
	struct pids p = {{0}, 0, 0};
	char buf[64];
	size_t len;
	bool seen[3] = {false, false, false};
	size_t i;
	int fd;
	char *root = proc_tree(&fd);

	ck_assert_int_eq(idle_proc_children(fd, 10, 2, collect, &p), 0);
	ck_assert_uint_eq(p.len, 3);
	for (i = 0; i < p.len; i++) {
		ck_assert(p.pid[i] >= 20 && p.pid[i] <= 22);
		seen[p.pid[i] - 20] = true;
	}
	ck_assert(seen[0] && seen[1] && seen[2]);
	ck_assert_int_eq(idle_proc_read_cmdline(fd, 10, buf, sizeof(buf), &len), 0);
	ck_assert_uint_eq(len, 7);
	ck_assert(memcmp(buf, "-sh\0-l\0", 7) == 0);
	ck_assert_int_eq(idle_proc_read_cmdline(fd, 10, buf, 3, &len), 0);
	ck_assert_uint_eq(len, 3);
	ck_assert_int_eq(idle_proc_read_cmdline(fd, 30, buf, sizeof(buf), &len), ESRCH);
	p.len = 0;
	p.stop_at = 21;
	ck_assert_int_eq(idle_proc_children(fd, 10, 0, collect, &p), EIO);
	/* a count of one thread reads only the process's own children file */
	p.len = 0;
	p.stop_at = 0;
	ck_assert_int_eq(idle_proc_children(fd, 10, 1, collect, &p), 0);
	ck_assert_uint_eq(p.len, 2);
	close(fd);
	fixture_remove(root);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("proc");
	TCase *tc = tcase_create("proc");

#define N(a) (sizeof(a) / sizeof((a)[0]))
	tcase_add_loop_test(tc, test_parse_stat, 0, N(stat_cases));
	tcase_add_loop_test(tc, test_parse_uids, 0, N(uid_cases));
	tcase_add_loop_test(tc, test_what_word, 0, N(what_cases));
	tcase_add_loop_test(tc, test_scan_pids, 0, N(scan_cases));
	tcase_add_test(tc, test_scan_stops_on_callback_error);
	tcase_add_loop_test(tc, test_tty_is, 0, N(tty_cases));
	tcase_add_loop_test(tc, test_reads, 0, N(read_cases));
	tcase_add_test(tc, test_tree_contents);
	suite_add_tcase(s, tc);
	return check_run(s);
}
