/* SPDX-License-Identifier: MIT */
/* Unit tests of the sessions sampler: w's rules on fake utmp files, dev trees and proc trees. */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utmpx.h>

#include "check_run.h"
#include "fixture.h"
#include "idle_sessions.h"

#define NOW 1700000000L
#define MAX_REC 8
#define MAX_PROC 48
#define MAX_TTY 6
/* Users that exist on every Debian system, and one that does not. */
#define ROOT 0
#define DAEMON 1
#define NO_USER "idle-no-such-user"

/* A utmp USER_PROCESS record; the list ends at a NULL user. */
struct frec {
	pid_t pid;
	const char *line;
	const char *user;
};

enum broken {
	WHOLE,	     /* all files */
	VANISHED,    /* only its directory is left: it exited meanwhile */
	GARBAGE,     /* stat does not parse */
	NO_CHILDREN, /* no children file: a kernel without CONFIG_PROC_CHILDREN */
};

/* A fake process; the list ends at pid 0.  It is its parent's child in thread's file. */
struct fproc {
	pid_t pid;
	pid_t parent; /* 0: nobody lists it */
	pid_t thread; /* the parent's thread that forked it; 0 for the main one */
	const char *comm;
	pid_t pgrp;
	int tty_nr;
	pid_t tpgid;
	unsigned long long start;
	uid_t ruid, euid;
	const char *cmdline;
	size_t cmdline_len;
	unsigned long arg_start;
	enum broken broken;
};

/* A tty device under the dev directory, age_seconds before NOW; the list ends at NULL. */
struct ftty {
	const char *name;
	double age_seconds;
	bool loop; /* a symlink to itself: stat fails with ELOOP */
};

enum missing { HAVE_ALL, NO_UTMP, NO_PROC, NO_DEV };

struct scase {
	const char *name;
	struct frec recs[MAX_REC];
	struct fproc procs[MAX_PROC];
	struct ftty ttys[MAX_TTY];
	enum missing missing;
	bool thousand; /* 1000 records of process 100, pts/0 to pts/999 */
	/* wanted */
	int rc, err_utmp, err_dev, err_proc;
	bool fails; /* has_sessions false */
	size_t count;
	bool has_idle;
	double idle;
	const char *process;
};

/* clang-format off */
#define CMD(s) .cmdline = s, .cmdline_len = sizeof(s) - 1
/* A process of uid on the tty (tty_nr 0 matches the fixture's regular files). */
#define PROC(p, par, c, grp, tp, st, uid, cmd)                                              \
	{                                                                                   \
		.pid = p, .parent = par, .comm = c, .pgrp = grp, .tpgid = tp, .start = st,  \
		.ruid = uid, .euid = uid, CMD(cmd)                                          \
	}
#define SHELL(p, tp, st) PROC(p, 0, "bash", p, tp, st, ROOT, "-bash\0")
#define REC(p, l) {p, l, "root"}

static const struct scase cases[] = {
	{.name = "no session", .count = 0, .process = ""},
	{.name = "shell at its prompt",
	 .recs = {REC(100, "pts/1")},
	 .procs = {SHELL(100, 100, 1000)},
	 .ttys = {{"pts/1", 42.5}},
	 .count = 1, .has_idle = true, .idle = 42.5, .process = "-bash"},
	{.name = "foreground job, not the newer background one",
	 .recs = {REC(100, "pts/1")},
	 .procs = {SHELL(100, 101, 1000), PROC(101, 100, "vim", 101, 101, 2000, ROOT, "vim\0x\0"),
		   PROC(102, 100, "sleep", 102, 101, 3000, ROOT, "sleep\0" "9\0")},
	 .ttys = {{"pts/1", 3}},
	 .count = 1, .has_idle = true, .idle = 3, .process = "vim"},
	{.name = "latest started process of a pipeline",
	 .recs = {REC(100, "pts/1")},
	 .procs = {SHELL(100, 101, 1000), PROC(101, 100, "cat", 101, 101, 2000, ROOT, "cat\0"),
		   PROC(102, 100, "grep", 101, 101, 2001, ROOT, "grep\0x\0")},
	 .ttys = {{"pts/1", 3}},
	 .count = 1, .has_idle = true, .idle = 3, .process = "grep"},
	{.name = "equal start times: the lower pid",
	 .recs = {REC(100, "pts/1")},
	 .procs = {SHELL(100, 101, 1000), PROC(101, 100, "aaa", 101, 101, 2000, ROOT, "aaa\0"),
		   PROC(102, 100, "bbb", 101, 101, 2000, ROOT, "bbb\0")},
	 .ttys = {{"pts/1", 3}},
	 .count = 1, .has_idle = true, .idle = 3, .process = "aaa"},
	{.name = "started in the login's tick: the login",
	 .recs = {REC(100, "pts/1")},
	 .procs = {SHELL(100, 101, 1000), PROC(101, 100, "fast", 101, 101, 1000, ROOT, "fast\0")},
	 .ttys = {{"pts/1", 3}},
	 .count = 1, .has_idle = true, .idle = 3, .process = "-bash"},
	{.name = "another user's foreground process is skipped",
	 .recs = {{100, "pts/1", "daemon"}},
	 .procs = {PROC(100, 0, "bash", 100, 101, 1000, DAEMON, "-bash\0"),
		   PROC(101, 100, "su", 101, 101, 2000, ROOT, "su\0")},
	 .ttys = {{"pts/1", 3}},
	 .count = 1, .has_idle = true, .idle = 3, .process = "-bash"},
	{.name = "a setuid process counts by its real uid",
	 .recs = {{100, "pts/1", "daemon"}},
	 .procs = {PROC(100, 0, "bash", 100, 101, 1000, DAEMON, "-bash\0"),
		   {.pid = 101, .parent = 100, .comm = "passwd", .pgrp = 101, .tpgid = 101,
		    .start = 2000, .ruid = DAEMON, .euid = ROOT, CMD("passwd\0")}},
	 .ttys = {{"pts/1", 3}},
	 .count = 1, .has_idle = true, .idle = 3, .process = "passwd"},
	{.name = "grandchild in the foreground group",
	 .recs = {REC(100, "pts/1")},
	 .procs = {SHELL(100, 101, 1000), PROC(101, 100, "make", 101, 101, 2000, ROOT, "make\0"),
		   PROC(102, 101, "cc", 101, 101, 3000, ROOT, "cc\0-c\0")},
	 .ttys = {{"pts/1", 3}},
	 .count = 1, .has_idle = true, .idle = 3, .process = "cc"},
	{.name = "child forked by another thread",
	 .recs = {REC(100, "pts/1")},
	 .procs = {SHELL(100, 101, 1000),
		   {.pid = 101, .parent = 100, .thread = 105, .comm = "worker", .pgrp = 101,
		    .tpgid = 101, .start = 2000, CMD("worker\0")}},
	 .ttys = {{"pts/1", 3}},
	 .count = 1, .has_idle = true, .idle = 3, .process = "worker"},
	{.name = "process on another tty is skipped",
	 .recs = {REC(100, "pts/1")},
	 .procs = {SHELL(100, 100, 1000),
		   {.pid = 101, .parent = 100, .comm = "other", .pgrp = 101, .tty_nr = 34817,
		    .tpgid = 101, .start = 2000, CMD("other\0")}},
	 .ttys = {{"pts/1", 3}},
	 .count = 1, .has_idle = true, .idle = 3, .process = "-bash"},
	{.name = "w's quirk: a login showing - gives way to any newer process on the tty",
	 .recs = {REC(100, "pts/1")},
	 .procs = {PROC(100, 0, "sh", 100, 100, 1000, ROOT, "-\0"),
		   PROC(101, 100, "bgjob", 101, 100, 2000, ROOT, "bgjob\0")},
	 .ttys = {{"pts/1", 3}},
	 .count = 1, .has_idle = true, .idle = 3, .process = "bgjob"},
	{.name = "least idle session, its own process",
	 .recs = {REC(100, "pts/1"), REC(200, "pts/2"), REC(300, "pts/3")},
	 .procs = {SHELL(100, 101, 1000), PROC(101, 100, "top", 101, 101, 2000, ROOT, "top\0"),
		   SHELL(200, 201, 1000), PROC(201, 200, "less", 201, 201, 2000, ROOT, "less\0"),
		   SHELL(300, 300, 1000)},
	 .ttys = {{"pts/1", 50}, {"pts/2", 10.25}, {"pts/3", 70}},
	 .count = 3, .has_idle = true, .idle = 10.25, .process = "less"},
	{.name = "ties go to the first record",
	 .recs = {REC(200, "pts/2"), REC(100, "pts/1")},
	 .procs = {PROC(100, 0, "one", 100, 100, 1000, ROOT, "one\0"),
		   PROC(200, 0, "two", 200, 200, 1000, ROOT, "two\0")},
	 .ttys = {{"pts/1", 5}, {"pts/2", 5}},
	 .count = 2, .has_idle = true, .idle = 5, .process = "two"},
	{.name = "stale record and unknown user are not sessions",
	 .recs = {REC(300, "pts/3"), {100, "pts/1", NO_USER}, REC(200, "pts/2")},
	 .procs = {SHELL(100, 100, 1000), PROC(200, 0, "ksh", 200, 200, 1000, ROOT, "ksh\0")},
	 .ttys = {{"pts/1", 1}, {"pts/2", 9}, {"pts/3", 0.5}},
	 .count = 1, .has_idle = true, .idle = 9, .process = "ksh"},
	{.name = "X display counts but has no idle",
	 .recs = {REC(100, ":0")},
	 .procs = {SHELL(100, 100, 1000)},
	 .count = 1, .has_idle = false, .process = ""},
	{.name = "/dev/ prefix is stripped",
	 .recs = {REC(100, "/dev/pts/1")},
	 .procs = {SHELL(100, 100, 1000)},
	 .ttys = {{"pts/1", 7}},
	 .count = 1, .has_idle = true, .idle = 7, .process = "-bash"},
	{.name = "tty1 and a display next to it",
	 .recs = {REC(100, "tty1"), REC(100, ":1")},
	 .procs = {SHELL(100, 100, 1000)},
	 .ttys = {{"tty1", 600}},
	 .count = 2, .has_idle = true, .idle = 600, .process = "-bash"},
	{.name = "hostile lines count but have no idle",
	 .recs = {REC(100, ""), REC(100, "../pts/1"), REC(100, "/etc/pts/1"), REC(100, "pts/1/"),
		  REC(100, "pts//1"), REC(100, "web console"), REC(100, "/dev/"),
		  REC(100, "pts/1\x01")},
	 .procs = {SHELL(100, 100, 1000)},
	 .ttys = {{"pts/1", 2}},
	 .count = 8, .has_idle = false, .process = ""},
	{.name = "a directory is no tty",
	 .recs = {REC(100, "pts")},
	 .procs = {SHELL(100, 100, 1000)},
	 .ttys = {{"pts/1", 2}},
	 .count = 1, .has_idle = false, .process = ""},
	{.name = "missing tty counts without idle",
	 .recs = {REC(100, "pts/9"), REC(100, "pts/1")},
	 .procs = {SHELL(100, 100, 1000)},
	 .ttys = {{"pts/1", 30}},
	 .count = 2, .has_idle = true, .idle = 30, .process = "-bash"},
	{.name = "future atime clamps to zero",
	 .recs = {REC(100, "pts/1")},
	 .procs = {SHELL(100, 100, 1000)},
	 .ttys = {{"pts/1", -100}},
	 .count = 1, .has_idle = true, .idle = 0, .process = "-bash"},
	{.name = "nanoseconds kept",
	 .recs = {REC(100, "pts/1")},
	 .procs = {SHELL(100, 100, 1000)},
	 .ttys = {{"pts/1", 0.000000125}},
	 .count = 1, .has_idle = true, .idle = 0.000000125, .process = "-bash"},
	{.name = "login vanished after the count: the next session",
	 .recs = {REC(100, "pts/1"), REC(200, "pts/2")},
	 .procs = {{.pid = 100, .broken = VANISHED}, SHELL(200, 200, 1000)},
	 .ttys = {{"pts/1", 1}, {"pts/2", 20}},
	 .count = 1, .has_idle = true, .idle = 20, .process = "-bash"},
	{.name = "foreground process vanished mid-walk",
	 .recs = {REC(100, "pts/1")},
	 .procs = {SHELL(100, 101, 1000), {.pid = 101, .parent = 100, .broken = VANISHED}},
	 .ttys = {{"pts/1", 3}},
	 .count = 1, .has_idle = true, .idle = 3, .process = "-bash"},
	{.name = "empty cmdline shows [comm]",
	 .recs = {REC(100, "pts/1")},
	 .procs = {SHELL(100, 101, 1000), PROC(101, 100, "zombie", 101, 101, 2000, ROOT, "")},
	 .ttys = {{"pts/1", 3}},
	 .count = 1, .has_idle = true, .idle = 3, .process = "[zombie]"},
	{.name = "cmdline of one NUL shows ?",
	 .recs = {REC(100, "pts/1")},
	 .procs = {SHELL(100, 101, 1000), PROC(101, 100, "x", 101, 101, 2000, ROOT, "\0")},
	 .ttys = {{"pts/1", 3}},
	 .count = 1, .has_idle = true, .idle = 3, .process = "?"},
	{.name = "hostile argv[0] bytes kept raw",
	 .recs = {REC(100, "pts/1")},
	 .procs = {SHELL(100, 101, 1000),
		   PROC(101, 100, "x", 101, 101, 2000, ROOT, "\xff\"}\\{a=\"1\"}\nfoo\0bar\0")},
	 .ttys = {{"pts/1", 3}},
	 .count = 1, .has_idle = true, .idle = 3, .process = "\xff\"}\\{a=\"1\"}"},
	{.name = "comm with spaces and parentheses",
	 .recs = {REC(100, "pts/1")},
	 .procs = {SHELL(100, 101, 1000), PROC(101, 100, "a) R (b", 101, 101, 2000, ROOT, "")},
	 .ttys = {{"pts/1", 3}},
	 .count = 1, .has_idle = true, .idle = 3, .process = "[a)"},
	{.name = "a thousand records",
	 .thousand = true,
	 .procs = {SHELL(100, 100, 1000)},
	 .ttys = {{"pts/7", 4}, {"pts/999", 2}},
	 .count = 1000, .has_idle = true, .idle = 2, .process = "-bash"},
	{.name = "missing utmp is an empty one",
	 .procs = {SHELL(100, 100, 1000)}, .ttys = {{"pts/1", 3}},
	 .missing = NO_UTMP, .count = 0, .process = ""},
	{.name = "missing proc directory is an error",
	 .recs = {REC(100, "pts/1")}, .ttys = {{"pts/1", 3}},
	 .missing = NO_PROC, .rc = ENOENT, .err_proc = ENOENT, .fails = true, .process = ""},
	{.name = "missing dev directory is an error",
	 .recs = {REC(100, "pts/1")}, .procs = {SHELL(100, 100, 1000)},
	 .missing = NO_DEV, .rc = ENOENT, .err_dev = ENOENT, .fails = true, .process = ""},
	{.name = "tty that cannot be stat'ed is an error",
	 .recs = {REC(100, "pts/1")}, .procs = {SHELL(100, 100, 1000)},
	 .ttys = {{"pts/1", 3, true}},
	 .rc = ELOOP, .err_dev = ELOOP, .fails = true, .process = ""},
	{.name = "garbage stat of the login process is an error",
	 .recs = {REC(100, "pts/1")}, .procs = {{.pid = 100, .broken = GARBAGE}},
	 .ttys = {{"pts/1", 3}},
	 .rc = EINVAL, .err_proc = EINVAL, .fails = true, .process = ""},
	{.name = "no children files is an error",
	 .recs = {REC(100, "pts/1")},
	 .procs = {{.pid = 100, .comm = "bash", .pgrp = 100, .tpgid = 100, .start = 1,
		    CMD("-bash\0"), .broken = NO_CHILDREN}},
	 .ttys = {{"pts/1", 3}},
	 .rc = ENOTSUP, .err_proc = ENOTSUP, .fails = true, .process = ""},
};
/* clang-format on */

static char *
path_of(const char *root, const char *rel)
{
	char *path;

	if (asprintf(&path, "%s/%s", root, rel) < 0)
		abort();
	return path;
}

/* Writes dir/rel (parents made) holding len bytes. */
static void
put(const char *dir, const char *rel, const char *content, size_t len)
{
	char *path = path_of(dir, rel);
	int fd;

	fixture_file(dir, rel, 0, 0, 0, 0);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ck_assert_msg(fd >= 0, "open %s", path);
	ck_assert_msg(write(fd, content, len) == (ssize_t)len, "write %s", path);
	ck_assert_msg(close(fd) == 0, "close %s", path);
	free(path);
}

static void
make_dir(const char *dir, const char *rel)
{
	char *path = path_of(dir, rel);

	ck_assert_msg(mkdir(path, 0755) == 0, "mkdir %s", path);
	free(path);
}

/* Appends " pid" of every child that thread tid of parent forked. */
static void
children_of(const struct scase *c, pid_t parent, pid_t tid, char *buf, size_t size)
{
	size_t i;
	size_t len = 0;

	buf[0] = '\0';
	for (i = 0; i < MAX_PROC && c->procs[i].pid != 0; i++) {
		const struct fproc *q = &c->procs[i];
		pid_t thread = q->thread != 0 ? q->thread : parent;

		if (q->parent == parent && thread == tid)
			len += (size_t)snprintf(buf + len, size - len, "%d ", (int)q->pid);
	}
}

/* Writes proc/PID/task/TID/children for the process and each thread that forked a child. */
static void
put_children(const char *proc, const struct scase *c, const struct fproc *q)
{
	char rel[64], buf[256];
	size_t i;

	snprintf(rel, sizeof(rel), "%d/task/%d/children", (int)q->pid, (int)q->pid);
	children_of(c, q->pid, q->pid, buf, sizeof(buf));
	put(proc, rel, buf, strlen(buf));
	for (i = 0; i < MAX_PROC && c->procs[i].pid != 0; i++) {
		pid_t tid = c->procs[i].thread;

		if (c->procs[i].parent != q->pid || tid == 0)
			continue;
		snprintf(rel, sizeof(rel), "%d/task/%d/children", (int)q->pid, (int)tid);
		children_of(c, q->pid, tid, buf, sizeof(buf));
		put(proc, rel, buf, strlen(buf));
	}
}

/* Threads of q as its stat says: its own, and each other one that forked a child. */
static int
threads_of(const struct scase *c, const struct fproc *q)
{
	size_t i, j;
	int n = 1;

	for (i = 0; i < MAX_PROC && c->procs[i].pid != 0; i++) {
		pid_t tid = c->procs[i].thread;
		bool seen = false;

		if (c->procs[i].parent != q->pid || tid == 0)
			continue;
		for (j = 0; j < i; j++)
			seen = seen || (c->procs[j].parent == q->pid && c->procs[j].thread == tid);
		n += !seen;
	}
	return n;
}

/* Writes the files of one fake process. */
static void
put_proc(const char *proc, const struct scase *c, const struct fproc *q)
{
	const char *comm = q->comm != NULL ? q->comm : "x";
	char rel[64], buf[1024];
	int n;

	snprintf(rel, sizeof(rel), "%d", (int)q->pid);
	make_dir(proc, rel);
	if (q->broken == VANISHED)
		return;
	snprintf(rel, sizeof(rel), "%d/stat", (int)q->pid);
	n = snprintf(buf, sizeof(buf),
		     "%d (%s) S %d %d %d %d %d 4194304 1 2 3 4 5 6 7 8 20 0 %d 0 %llu 1000 200 "
		     "18446744073709551615 1 1 0 0 0 0 65536 3670020 1266777851 0 0 0 17 3 0 0 0 "
		     "0 0 94000 95000 140730000 %lu 140730200 140730300 140730400 0\n",
		     (int)q->pid, comm, (int)q->parent, (int)q->pgrp, (int)q->pgrp, q->tty_nr,
		     (int)q->tpgid, threads_of(c, q), q->start,
		     q->arg_start != 0 ? q->arg_start : 140730100UL);
	ck_assert_msg(n > 0 && (size_t)n < sizeof(buf), "%s: stat line", c->name);
	if (q->broken == GARBAGE)
		n = snprintf(buf, sizeof(buf), "%d garbage", (int)q->pid);
	put(proc, rel, buf, (size_t)n);
	snprintf(rel, sizeof(rel), "%d/status", (int)q->pid);
	n = snprintf(buf, sizeof(buf), "Name:\t%s\nUid:\t%u\t%u\t%u\t%u\n", comm, (unsigned)q->ruid,
		     (unsigned)q->euid, (unsigned)q->euid, (unsigned)q->euid);
	put(proc, rel, buf, (size_t)n);
	snprintf(rel, sizeof(rel), "%d/cmdline", (int)q->pid);
	put(proc, rel, q->cmdline != NULL ? q->cmdline : "", q->cmdline_len);
	if (q->broken == NO_CHILDREN) {
		snprintf(rel, sizeof(rel), "%d/task", (int)q->pid);
		make_dir(proc, rel);
		snprintf(rel, sizeof(rel), "%d/task/%d", (int)q->pid, (int)q->pid);
		make_dir(proc, rel);
		return;
	}
	put_children(proc, c, q);
}

/* Encodes a USER_PROCESS record with the C library's layout. */
static void
put_record(int fd, pid_t pid, const char *line, const char *user)
{
	struct utmpx u;

	memset(&u, 0, sizeof(u));
	u.ut_type = USER_PROCESS;
	u.ut_pid = pid;
	strncpy(u.ut_line, line, sizeof(u.ut_line));
	strncpy(u.ut_user, user, sizeof(u.ut_user));
	ck_assert(write(fd, &u, sizeof(u)) == (ssize_t)sizeof(u));
}

static void
put_utmp(const char *path, const struct scase *c)
{
	char line[16];
	size_t i;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	ck_assert_msg(fd >= 0, "%s: utmp", c->name);
	for (i = 0; i < MAX_REC && c->recs[i].user != NULL; i++)
		put_record(fd, c->recs[i].pid, c->recs[i].line, c->recs[i].user);
	for (i = 0; c->thousand && i < 1000; i++) {
		snprintf(line, sizeof(line), "pts/%zu", i);
		put_record(fd, 100, line, "root");
	}
	ck_assert_msg(close(fd) == 0, "%s: close", c->name);
}

/* Creates the tty devices (regular files: their rdev 0 matches tty_nr 0). */
static void
put_ttys(const char *dev, const struct scase *c)
{
	size_t i;

	make_dir(dev, "pts");
	for (i = 0; i < MAX_TTY && c->ttys[i].name != NULL; i++) {
		const struct ftty *t = &c->ttys[i];
		long long ns = (long long)NOW * 1000000000LL - llround(t->age_seconds * 1e9);

		if (t->loop) {
			char *path = path_of(dev, t->name);

			ck_assert(symlink(path, path) == 0);
			free(path);
			continue;
		}
		fixture_file(dev, t->name, (time_t)(ns / 1000000000LL), (long)(ns % 1000000000LL),
			     NOW, 0);
	}
}

/* Builds the case under a fresh fixture root; paths point into it. */
static char *
build(const struct scase *c, struct idle_sessions_paths *paths, char *owned[3])
{
	char *root = fixture_dir();
	size_t i;

	owned[0] = path_of(root, "utmp");
	owned[1] = path_of(root, "dev");
	owned[2] = path_of(root, "proc");
	paths->utmp_file = owned[0];
	paths->dev_dir = owned[1];
	paths->proc_dir = owned[2];
	if (c->missing != NO_UTMP)
		put_utmp(owned[0], c);
	if (c->missing != NO_DEV) {
		make_dir(root, "dev");
		put_ttys(owned[1], c);
	}
	if (c->missing != NO_PROC) {
		make_dir(root, "proc");
		for (i = 0; i < MAX_PROC && c->procs[i].pid != 0; i++)
			put_proc(owned[2], c, &c->procs[i]);
	}
	return root;
}

/* Frees what a test made: the sampler, the values, the fixture paths and the tree. */
static void
teardown(struct idle_sessions *s, struct idle_session_values *snap, char *owned[3], char *root)
{
	memset(snap, 0, sizeof(*snap));
	idle_sessions_free(s);
	free(owned[0]);
	free(owned[1]);
	free(owned[2]);
	fixture_remove(root);
}

static void
check_snapshot(const struct scase *c, const struct idle_session_values *snap)
{
	ck_assert_msg(snap->has_sessions == !c->fails, "%s: has_sessions", c->name);
	ck_assert_msg(strcmp(snap->w_process, c->process) == 0, "%s: process '%s', want '%s'",
		      c->name, snap->w_process, c->process);
	if (c->fails) {
		ck_assert_msg(!snap->has_w_idle, "%s: has_w_idle on failure", c->name);
		return;
	}
	ck_assert_msg(snap->session_count == c->count, "%s: count %zu, want %zu", c->name,
		      snap->session_count, c->count);
	ck_assert_msg(snap->has_w_idle == c->has_idle, "%s: has_w_idle", c->name);
	if (c->has_idle)
		ck_assert_msg(fabs(snap->w_idle_seconds - c->idle) < 1e-9,
			      "%s: idle %.9f, want %.9f", c->name, snap->w_idle_seconds, c->idle);
}

START_TEST(test_sessions_cases)
{
	const struct scase *c = &cases[_i];
	int err[IDLE_SOURCE_COUNT] = {-1, -1, -1, -1};
	struct timespec now = {NOW, 0};
	struct idle_sessions_paths paths;
	struct idle_sessions *s;
	struct idle_session_values snap;
	char *owned[3];
	char *root = build(c, &paths, owned);
	int rc;

	s = idle_sessions_new(&paths, NULL);
	ck_assert_msg(s != NULL, "%s: new", c->name);
	memset(&snap, 0, sizeof(snap));
	snap.has_w_idle = true;
	memcpy(snap.w_process, "stale", 6);
	rc = idle_sessions_sample(s, &now, &snap, err);
	ck_assert_msg(rc == c->rc, "%s: rc %d, want %d", c->name, rc, c->rc);
	ck_assert_msg(err[IDLE_SOURCE_UTMP] == c->err_utmp && err[IDLE_SOURCE_DEV] == c->err_dev &&
			  err[IDLE_SOURCE_PROC] == c->err_proc,
		      "%s: errors utmp %d dev %d proc %d", c->name, err[IDLE_SOURCE_UTMP],
		      err[IDLE_SOURCE_DEV], err[IDLE_SOURCE_PROC]);
	ck_assert_msg(err[IDLE_SOURCE_PTS] == -1, "%s: pts error touched", c->name);
	check_snapshot(c, &snap);
	teardown(s, &snap, owned, root);
}
END_TEST

/* A passwd database where root is uid 0, counting its name lookups. */
static int
count_by_uid(void *arg, uid_t uid, char *name, size_t size)
{
	(void)arg;
	(void)uid;
	(void)name;
	(void)size;
	return ESRCH;
}

static int
count_by_name(void *arg, const char *name, uid_t *uid)
{
	(*(size_t *)arg)++;
	if (strcmp(name, "root") != 0)
		return ESRCH;
	*uid = 0;
	return 0;
}

/* Rewrites a file of a fake process in place. */
static void
rewrite(const char *proc, const char *rel, const char *content, size_t len)
{
	put(proc, rel, content, len);
}

/* Samples and returns the label. */
static const char *
label(struct idle_sessions *s, struct idle_session_values *snap)
{
	struct timespec now = {NOW, 0};
	int err[IDLE_SOURCE_COUNT] = {0};

	ck_assert_int_eq(idle_sessions_sample(s, &now, snap, err), 0);
	ck_assert(snap->has_w_idle);
	return snap->w_process;
}

/* A cmdline is read once per exec: rewriting it in place shows only after an exec. */
START_TEST(test_cmdline_read_once_per_exec)
{
	static const struct scase c = {
	    .name = "cache",
	    .recs = {REC(100, "pts/1")},
	    .procs = {SHELL(100, 101, 1000), PROC(101, 100, "vim", 101, 101, 2000, ROOT, "vim\0")},
	    .ttys = {{"pts/1", 3}},
	};
	struct idle_sessions_paths paths;
	struct idle_session_values snap;
	char *owned[3];
	char *root = build(&c, &paths, owned);
	struct idle_sessions *s = idle_sessions_new(&paths, NULL);
	struct fproc exec = c.procs[1];

	memset(&snap, 0, sizeof(snap));
	ck_assert_str_eq(label(s, &snap), "vim");
	rewrite(owned[2], "101/cmdline", "edited\0", 7);
	ck_assert_str_eq(label(s, &snap), "vim");
	/* An exec: new argv addresses, same pid, start time and comm. */
	exec.arg_start = 1234;
	exec.cmdline = "vim2\0";
	exec.cmdline_len = 5;
	fixture_remove(path_of(owned[2], "101"));
	put_proc(owned[2], &c, &exec);
	ck_assert_str_eq(label(s, &snap), "vim2");
	/* A new process with the same pid: another start time. */
	exec.start = 2500;
	exec.cmdline = "emacs\0";
	exec.cmdline_len = 6;
	fixture_remove(path_of(owned[2], "101"));
	put_proc(owned[2], &c, &exec);
	ck_assert_str_eq(label(s, &snap), "emacs");
	teardown(s, &snap, owned, root);
}
END_TEST

/* A session that ends takes its value and label away at the next poll. */
START_TEST(test_session_ends)
{
	static const struct scase c = {
	    .name = "ends",
	    .recs = {REC(100, "pts/1")},
	    .procs = {SHELL(100, 100, 1000)},
	    .ttys = {{"pts/1", 3}},
	};
	struct timespec now = {NOW, 0};
	int err[IDLE_SOURCE_COUNT] = {0};
	struct idle_sessions_paths paths;
	struct idle_session_values snap;
	char *owned[3];
	char *root = build(&c, &paths, owned);
	struct idle_sessions *s = idle_sessions_new(&paths, NULL);

	memset(&snap, 0, sizeof(snap));
	ck_assert_str_eq(label(s, &snap), "-bash");
	fixture_remove(path_of(owned[2], "100"));
	ck_assert_int_eq(idle_sessions_sample(s, &now, &snap, err), 0);
	ck_assert(snap.has_sessions);
	ck_assert_uint_eq(snap.session_count, 0);
	ck_assert(!snap.has_w_idle);
	ck_assert_str_eq(snap.w_process, "");
	/* A utmp that goes away is an empty one: no session, no error. */
	put_proc(owned[2], &c, &c.procs[0]);
	ck_assert_str_eq(label(s, &snap), "-bash");
	unlink(owned[0]);
	ck_assert_int_eq(idle_sessions_sample(s, &now, &snap, err), 0);
	ck_assert(snap.has_sessions);
	ck_assert_uint_eq(snap.session_count, 0);
	ck_assert(!snap.has_w_idle);
	ck_assert_int_eq(err[IDLE_SOURCE_UTMP], 0);
	teardown(s, &snap, owned, root);
}
END_TEST

/* Sets a file's atime and mtime to t. */
static void
set_times(const char *path, time_t t)
{
	struct timespec times[2] = {{t, 0}, {t, 0}};

	ck_assert(utimensat(AT_FDCWD, path, times, 0) == 0);
}

/*
 * utmp is read again whenever it changed, even a same-size rewrite that puts the old mtime
 * back (its ctime moves), and whenever its mtime is too recent to be trusted.
 */
START_TEST(test_utmp_change_always_seen)
{
	static const struct scase one = {
	    .name = "utmp one",
	    .recs = {REC(100, "pts/1")},
	    .procs = {SHELL(100, 100, 1000)},
	    .ttys = {{"pts/1", 3}},
	};
	static const struct scase stale = {.name = "utmp stale", .recs = {REC(999, "pts/1")}};
	struct timespec now = {NOW, 0};
	int err[IDLE_SOURCE_COUNT] = {0};
	struct idle_sessions_paths paths;
	struct idle_session_values snap;
	char *owned[3];
	char *root = build(&one, &paths, owned);
	struct idle_sessions *s = idle_sessions_new(&paths, NULL);

	memset(&snap, 0, sizeof(snap));
	set_times(owned[0], NOW - 100);
	ck_assert_int_eq(idle_sessions_sample(s, &now, &snap, err), 0);
	ck_assert_uint_eq(snap.session_count, 1);
	ck_assert_int_eq(idle_sessions_sample(s, &now, &snap, err), 0);
	ck_assert_uint_eq(snap.session_count, 1);
	/* Same size, old mtime put back: only the ctime tells. */
	put_utmp(owned[0], &stale);
	set_times(owned[0], NOW - 100);
	ck_assert_int_eq(idle_sessions_sample(s, &now, &snap, err), 0);
	ck_assert_uint_eq(snap.session_count, 0);
	/* A recent mtime is never trusted: the file is read at every poll. */
	put_utmp(owned[0], &one);
	set_times(owned[0], NOW);
	ck_assert_int_eq(idle_sessions_sample(s, &now, &snap, err), 0);
	ck_assert_uint_eq(snap.session_count, 1);
	teardown(s, &snap, owned, root);
}
END_TEST

/* Candidates of the cmdline tests: more than the 32 words an older cache held. */
#define CANDIDATES 40

/* A login shell (its WHAT login_cmd) and CANDIDATES children on its tty, in group pgrp. */
static void
many_candidates(struct scase *c, const char *login_cmd, size_t login_len, pid_t pgrp)
{
	static char names[CANDIDATES][16];
	size_t i;

	memset(c, 0, sizeof(*c));
	c->name = "candidates";
	c->recs[0] = (struct frec)REC(100, "pts/1");
	c->procs[0] = (struct fproc)SHELL(100, 101, 1000);
	c->procs[0].cmdline = login_cmd;
	c->procs[0].cmdline_len = login_len;
	for (i = 0; i < CANDIDATES; i++) {
		pid_t pid = (pid_t)(101 + i);

		snprintf(names[i], sizeof(names[i]), "cc%d", (int)pid);
		c->procs[i + 1] = (struct fproc)PROC(pid, 100, names[i], pgrp, 101,
						     2000 + (unsigned long long)i, ROOT, "");
		c->procs[i + 1].cmdline = names[i];
		c->procs[i + 1].cmdline_len = strlen(names[i]) + 1;
	}
	c->ttys[0] = (struct ftty){"pts/1", 3, false};
}

/* Polls and returns how many cmdline files the poll opened. */
static size_t
poll_reads(struct idle_sessions *s, struct idle_session_values *snap, int watch, const char *want)
{
	ck_assert_str_eq(label(s, snap), want);
	return fixture_count_opens(watch, "cmdline");
}

/* Watches proc/PID of the login and every candidate. */
static int
watch_procs(const char *proc)
{
	char dir[PATH_MAX];
	int watch = -1;
	int i;

	for (i = 100; i <= 100 + CANDIDATES; i++) {
		snprintf(dir, sizeof(dir), "%s/%d", proc, i);
		watch = fixture_watch_opens(watch, dir);
	}
	return watch;
}

/*
 * make -j: CANDIDATES foreground processes, each newer than the last.  Only the one w shows
 * has its cmdline read, once; the polls after read none.
 */
START_TEST(test_cmdline_reads_foreground_candidates)
{
	struct scase c;
	struct idle_sessions_paths paths;
	struct idle_session_values snap;
	char *owned[3], *root, want[16];
	struct idle_sessions *s;
	int watch, i;

	many_candidates(&c, "-bash", 6, 101);
	root = build(&c, &paths, owned);
	s = idle_sessions_new(&paths, NULL);
	watch = watch_procs(owned[2]);
	memset(&snap, 0, sizeof(snap));
	snprintf(want, sizeof(want), "cc%d", 100 + CANDIDATES);
	ck_assert_uint_le(poll_reads(s, &snap, watch, want), 1);
	for (i = 0; i < 10; i++)
		ck_assert_uint_eq(poll_reads(s, &snap, watch, want), 0);
	ck_assert(close(watch) == 0);
	teardown(s, &snap, owned, root);
}
END_TEST

/* A loop of background jobs: none can win, so only the login's cmdline is read, once. */
START_TEST(test_cmdline_reads_background_jobs)
{
	struct scase c;
	struct idle_sessions_paths paths;
	struct idle_session_values snap;
	char *owned[3], *root;
	struct idle_sessions *s;
	int watch, i;

	many_candidates(&c, "-bash", 6, 300);
	c.procs[0].tpgid = 100;
	for (i = 1; i <= CANDIDATES; i++)
		c.procs[i].tpgid = 100;
	root = build(&c, &paths, owned);
	s = idle_sessions_new(&paths, NULL);
	watch = watch_procs(owned[2]);
	memset(&snap, 0, sizeof(snap));
	ck_assert_uint_le(poll_reads(s, &snap, watch, "-bash"), 1);
	for (i = 0; i < 10; i++)
		ck_assert_uint_eq(poll_reads(s, &snap, watch, "-bash"), 0);
	ck_assert(close(watch) == 0);
	teardown(s, &snap, owned, root);
}
END_TEST

/* The sessions sampler asks the caller's passwd cache, once a minute per user. */
START_TEST(test_shared_passwd_cache)
{
	static const struct scase c = {
	    .name = "shared cache",
	    .recs = {REC(100, "pts/1"), REC(200, "pts/2")},
	    .procs = {SHELL(100, 100, 1000), SHELL(200, 200, 1000)},
	    .ttys = {{"pts/1", 3}, {"pts/2", 4}},
	};
	struct idle_sessions_paths paths;
	struct idle_session_values snap;
	struct timespec now = {NOW, 0};
	int err[IDLE_SOURCE_COUNT] = {0};
	char *owned[3];
	char *root = build(&c, &paths, owned);
	size_t by_name = 0;
	struct idle_users_lookup lookup = {count_by_uid, count_by_name, &by_name};
	struct idle_users *users = idle_users_new_lookup(&lookup);
	struct idle_sessions *s = idle_sessions_new(&paths, users);
	int i;

	memset(&snap, 0, sizeof(snap));
	for (i = 0; i < 30; i++) {
		now.tv_sec = NOW + i;
		ck_assert_int_eq(idle_sessions_sample(s, &now, &snap, err), 0);
		ck_assert_uint_eq(snap.session_count, 2);
	}
	ck_assert_uint_eq(by_name, 1);
	teardown(s, &snap, owned, root);
	idle_users_free(users);
}
END_TEST

START_TEST(test_new_and_free)
{
	struct idle_sessions_paths paths = {"/var/run/utmp", NULL, "/proc"};

	errno = 0;
	ck_assert_ptr_null(idle_sessions_new(&paths, NULL));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(idle_sessions_new(NULL, NULL));
	idle_sessions_free(NULL);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sessions");
	TCase *tc = tcase_create("sessions");

	tcase_add_loop_test(tc, test_sessions_cases, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_cmdline_read_once_per_exec);
	tcase_add_test(tc, test_session_ends);
	tcase_add_test(tc, test_utmp_change_always_seen);
	tcase_add_test(tc, test_new_and_free);
	tcase_add_test(tc, test_cmdline_reads_foreground_candidates);
	tcase_add_test(tc, test_cmdline_reads_background_jobs);
	tcase_add_test(tc, test_shared_passwd_cache);
	suite_add_tcase(s, tc);
	return check_run(s);
}
