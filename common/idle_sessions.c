/* SPDX-License-Identifier: MIT */
/*
 * Logged-in sessions and their idle time as procps w 4.0.2 computes them, without running w.
 *
 * Rows (src/w.c main, showinfo): each utmp USER_PROCESS record with a non-empty user, skipped
 * when getpwnam does not know the user or when the login process (ut_pid) is not in /proc
 * (find_best_proc returns 0: a stale record).  session_count counts the rows w prints.
 *
 * IDLE (idletime): time(NULL) - st_atime of "/dev/" + ut_line in whole seconds.  We keep
 * nanoseconds and clamp a future atime to 0 (w prints "?").  Where w prints something that is
 * not an idle time, the session still counts but is left out of the least-idle choice rather
 * than given a made-up value:
 * - ut_line starting with ':' (an X display): w prints "?xdm?".
 * - a tty that does not exist: w's stat fails and it prints 0.00s.
 * - a line w mangles: it keeps the bytes up to the first one that is neither alphanumeric nor
 *   '/', so "/dev/pts/3" makes it stat "/dev//dev/pts/3" and print 0.00s.  We strip "/dev/"
 *   and accept the rest only when it is relative and made of [A-Za-z0-9/] with no empty
 *   component (so never ".."): exactly the names w uses unchanged.  A directory is no tty.
 * Any other failure to stat a tty is an error of the dev source.
 *
 * WHAT (find_best_proc): w goes through every process in pid order.  The login process gives
 * the answer if nothing did before it; then among processes on the session's tty (tty_nr ==
 * st_rdev) in its foreground group (pgrp == tpgid) whose real or effective uid is the user's,
 * a strictly later start time wins.  A quirk: while the answer is still "-", the newest
 * process on the tty, of any user or group, takes it.  We replay that loop exactly, over the
 * login process and its descendants.
 *
 * Cost: w reads all of /proc.  We read the login process and walk its descendants through
 * /proc/PID/task/TID/children (CONFIG_PROC_CHILDREN, on Debian's kernels), for the least idle
 * session only, so a poll costs in proportion to that session's processes (at most MAX_PROCS),
 * not the host's.  The price: a foreground process whose parent exited while its group kept
 * the terminal (reparented to init) is not seen.  The alternative, a full scan cached until
 * the sessions or foreground groups change, goes stale when a job starts processes (make
 * running cc changes neither).
 *
 * cmdline: reading /proc/PID/cmdline takes the process' memory map lock and can block for as
 * long as the process is stuck in the kernel; stat and status do not.  We read a cmdline once
 * per exec -- keyed by pid, start time, argv addresses and comm -- and cache its first word.
 * A process that rewrites its argv in place later keeps its old word until it execs.  A
 * cmdline that cannot be read shows "[comm]", as libproc2 does.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "idle_proc.h"
#include "idle_sessions.h"
#include "idle_time.h"
#include "idle_utmp.h"

/* Processes walked in one session: a bound on the cost of a fork bomb, not a real limit. */
#define MAX_PROCS 4096
/* Cached first words of cmdlines; a poll needs a handful. */
#define WHAT_CACHE 32
/* Largest getpwnam_r buffer tried before giving up with ERANGE. */
#define PW_BUF_MAX (1024 * 1024)
/* Users remembered across polls, and for how long: getpwnam reads /etc/passwd each time. */
#define USER_CACHE 16
#define USER_TTL_SECONDS 60
/* utmp whose mtime is this recent is read again even if it looks unchanged (coarse mtimes). */
#define UTMP_RACY_SECONDS 2

/* A live session that has an idle time. */
struct session {
	pid_t pid;  /* the login process */
	uid_t uid;  /* its user's */
	dev_t rdev; /* its tty */
	double idle_seconds;
	bool gone; /* the login process exited while we looked at it */
};

/* A process of the walked session. */
struct proc {
	struct idle_proc_stat st;
	bool valid; /* st was read */
};

/* The first word of one exec's cmdline. */
struct what_entry {
	pid_t pid;
	unsigned long long start_ticks;
	unsigned long arg_start;
	unsigned long arg_end;
	char comm[IDLE_COMM_MAX];
	char word[IDLE_LABEL_MAX + 1];
	bool is_dash;
	uint64_t used; /* poll of last use; 0 for a free slot */
};

/* A user looked up in the passwd database. */
struct user_entry {
	char name[IDLE_USER_MAX];
	int rc;         /* 0 found, ESRCH unknown */
	uid_t uid;
	time_t fetched; /* 0: a free slot */
};

/* What the logins were last read from: unchanged, the file need not be read again. */
struct utmp_stamp {
	bool valid;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	struct timespec ctime;
};

struct idle_sessions {
	char *utmp_file;
	char *dev_dir;
	char *proc_dir;
	struct idle_utmp_list logins;
	struct session *sessions;
	size_t sessions_len;
	size_t sessions_cap;
	struct proc *procs;
	size_t procs_len;
	size_t procs_cap;
	struct what_entry cache[WHAT_CACHE];
	struct what_entry uncached; /* for a cmdline that could not be read */
	uint64_t poll;
	char *cmdline; /* IDLE_CMDLINE_MAX bytes, allocated at first use */
	char *pw_buf;
	size_t pw_size;
	struct user_entry users[USER_CACHE];
	size_t users_next; /* slot replaced when all are taken */
	struct utmp_stamp utmp_stamp;
};

/* What one poll works with. */
struct poll {
	const struct timespec *now;
	int proc_fd;
	int dev_fd;
	size_t count; /* rows w would print */
	int *err;
};

struct idle_sessions *
idle_sessions_new(const struct idle_sessions_paths *paths)
{
	struct idle_sessions *s;

	if (paths == NULL || paths->utmp_file == NULL || paths->dev_dir == NULL ||
	    paths->proc_dir == NULL) {
		errno = EINVAL;
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	s->utmp_file = strdup(paths->utmp_file);
	s->dev_dir = strdup(paths->dev_dir);
	s->proc_dir = strdup(paths->proc_dir);
	if (s->utmp_file == NULL || s->dev_dir == NULL || s->proc_dir == NULL) {
		idle_sessions_free(s);
		errno = ENOMEM;
		return NULL;
	}
	return s;
}

void
idle_sessions_free(struct idle_sessions *sessions)
{
	if (sessions == NULL)
		return;
	free(sessions->utmp_file);
	free(sessions->dev_dir);
	free(sessions->proc_dir);
	idle_utmp_list_free(&sessions->logins);
	free(sessions->sessions);
	free(sessions->procs);
	free(sessions->cmdline);
	free(sessions->pw_buf);
	free(sessions);
}

/* Records the first error of a source; returns rc. */
static int
fail(struct poll *p, enum idle_source source, int rc)
{
	if (rc != 0 && p->err[source] == 0)
		p->err[source] = rc;
	return rc;
}

/* Grows the getpwnam_r buffer.  Returns 0, ENOMEM or ERANGE past PW_BUF_MAX. */
static int
grow_pw_buf(struct idle_sessions *s)
{
	size_t size = s->pw_size == 0 ? 1024 : s->pw_size * 2;
	char *buf;

	if (size > PW_BUF_MAX)
		return ERANGE;
	buf = realloc(s->pw_buf, size);
	if (buf == NULL)
		return ENOMEM;
	s->pw_buf = buf;
	s->pw_size = size;
	return 0;
}

/* getpwnam_r, thread-safe.  Returns 0 with *uid, ESRCH for an unknown user, or errno. */
static int
lookup_user(struct idle_sessions *s, const char *name, uid_t *uid)
{
	struct passwd pw;
	struct passwd *res = NULL;
	int rc = s->pw_buf == NULL ? grow_pw_buf(s) : 0;

	while (rc == 0) {
		rc = getpwnam_r(name, &pw, s->pw_buf, s->pw_size, &res);
		if (rc != ERANGE)
			break;
		rc = grow_pw_buf(s);
	}
	if (rc == 0 && res != NULL) {
		*uid = pw.pw_uid;
		return 0;
	}
	/* getpwnam_r(3): these also mean "not found" with some NSS modules. */
	if (rc == 0 || rc == ENOENT || rc == ESRCH || rc == EBADF || rc == EPERM)
		return ESRCH;
	return rc;
}

/*
 * lookup_user, remembering answers for USER_TTL_SECONDS: a user added to or removed from
 * passwd is seen within a minute, and a poll reads no file for users it already knows.
 */
static int
user_uid(struct idle_sessions *s, const char *name, time_t now, uid_t *uid)
{
	struct user_entry *e;
	size_t i;
	int rc;

	for (i = 0; i < USER_CACHE; i++) {
		e = &s->users[i];
		if (e->fetched != 0 && strcmp(e->name, name) == 0 && now >= e->fetched &&
		    now - e->fetched < USER_TTL_SECONDS) {
			*uid = e->uid;
			return e->rc;
		}
	}
	rc = lookup_user(s, name, uid);
	if (rc != 0 && rc != ESRCH)
		return rc;
	for (i = 0; i < USER_CACHE; i++)
		if (s->users[i].fetched == 0 || strcmp(s->users[i].name, name) == 0)
			break;
	if (i == USER_CACHE) {
		i = s->users_next;
		s->users_next = (s->users_next + 1) % USER_CACHE;
	}
	e = &s->users[i];
	memcpy(e->name, name, strlen(name) + 1);
	e->rc = rc;
	e->uid = *uid;
	e->fetched = now > 0 ? now : 1;
	return rc;
}

static bool
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The device name of a ut_line under the dev directory, or false when w has no idle for it. */
static bool
tty_name(const char *line, char *name, size_t size)
{
	size_t len;
	size_t i;

	if (strncmp(line, "/dev/", 5) == 0)
		line += 5;
	len = strlen(line);
	if (len == 0 || len >= size || line[0] == '/' || line[len - 1] == '/' ||
	    strstr(line, "//") != NULL)
		return false;
	for (i = 0; i < len; i++)
		if (!is_alnum(line[i]) && line[i] != '/')
			return false;
	memcpy(name, line, len + 1);
	return true;
}

/* Stats the session's tty.  Returns 0 with *has_idle set, or the dev source's error. */
static int
tty_idle(struct poll *p, const char *line, struct session *sess, bool *has_idle)
{
	char name[IDLE_TTY_MAX];
	struct stat st;

	*has_idle = false;
	if (!tty_name(line, name, sizeof(name)))
		return 0;
	if (fstatat(p->dev_fd, name, &st, 0) != 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : errno;
	if (S_ISDIR(st.st_mode))
		return 0;
	sess->rdev = st.st_rdev;
	sess->idle_seconds = idle_time_age_seconds(p->now, &st.st_atim);
	*has_idle = true;
	return 0;
}

/* Appends a session.  Returns 0 or ENOMEM. */
static int
push_session(struct idle_sessions *s, const struct session *sess)
{
	if (s->sessions_len == s->sessions_cap) {
		size_t cap = s->sessions_cap == 0 ? 8 : s->sessions_cap * 2;
		struct session *grown = realloc(s->sessions, cap * sizeof(*grown));

		if (grown == NULL)
			return ENOMEM;
		s->sessions = grown;
		s->sessions_cap = cap;
	}
	s->sessions[s->sessions_len++] = *sess;
	return 0;
}

/* Counts a record as w would and keeps it when it has an idle time.  0 or an error. */
static int
add_record(struct idle_sessions *s, struct poll *p, const struct idle_utmp_record *rec)
{
	struct session sess = {.pid = rec->pid};
	bool has_idle;
	int rc = user_uid(s, rec->user, p->now->tv_sec, &sess.uid);

	if (rc == ESRCH)
		return 0;
	if (rc != 0)
		return fail(p, IDLE_SOURCE_UTMP, rc);
	rc = idle_proc_exists(p->proc_fd, rec->pid);
	if (rc == ESRCH)
		return 0;
	if (rc != 0)
		return fail(p, IDLE_SOURCE_PROC, rc);
	p->count++;
	rc = tty_idle(p, rec->line, &sess, &has_idle);
	if (rc != 0)
		return fail(p, IDLE_SOURCE_DEV, rc);
	if (!has_idle)
		return 0;
	return fail(p, IDLE_SOURCE_UTMP, push_session(s, &sess));
}

/* Callback of the children walk: queues a pid.  Returns 0 or ENOMEM. */
static int
push_proc(void *arg, pid_t pid)
{
	struct idle_sessions *s = arg;

	if (s->procs_len >= MAX_PROCS)
		return 0;
	if (s->procs_len == s->procs_cap) {
		size_t cap = s->procs_cap == 0 ? 32 : s->procs_cap * 2;
		struct proc *grown = realloc(s->procs, cap * sizeof(*grown));

		if (grown == NULL)
			return ENOMEM;
		s->procs = grown;
		s->procs_cap = cap;
	}
	memset(&s->procs[s->procs_len], 0, sizeof(s->procs[0]));
	s->procs[s->procs_len++].st.pid = pid;
	return 0;
}

/* Reads the login process and its descendants.  ESRCH when the login process is gone. */
static int
walk(struct idle_sessions *s, int proc_fd, pid_t login)
{
	size_t i;
	int rc;

	s->procs_len = 0;
	rc = push_proc(s, login);
	for (i = 0; rc == 0 && i < s->procs_len; i++) {
		struct proc *q = &s->procs[i];

		rc = idle_proc_read_stat(proc_fd, q->st.pid, &q->st);
		if (rc == 0) {
			q->valid = true;
			rc = idle_proc_children(proc_fd, q->st.pid, push_proc, s);
		}
		if (rc == ESRCH)
			rc = i == 0 ? ESRCH : 0;
	}
	return rc;
}

static int
by_pid(const void *a, const void *b)
{
	const struct proc *x = a;
	const struct proc *y = b;

	return (x->st.pid > y->st.pid) - (x->st.pid < y->st.pid);
}

/* Sorts the walked processes by pid, as /proc lists them, dropping the unread and repeats. */
static void
sort_procs(struct idle_sessions *s)
{
	size_t i;
	size_t n = 0;

	qsort(s->procs, s->procs_len, sizeof(s->procs[0]), by_pid);
	for (i = 0; i < s->procs_len; i++) {
		if (!s->procs[i].valid || (n > 0 && s->procs[n - 1].st.pid == s->procs[i].st.pid))
			continue;
		s->procs[n++] = s->procs[i];
	}
	s->procs_len = n;
}

/* True when the cache entry was made from the same exec of the same process. */
static bool
same_exec(const struct what_entry *e, const struct idle_proc_stat *st)
{
	return e->used != 0 && e->pid == st->pid && e->start_ticks == st->start_ticks &&
	       e->arg_start == st->arg_start && e->arg_end == st->arg_end &&
	       strcmp(e->comm, st->comm) == 0;
}

/* The free or least recently used cache slot. */
static struct what_entry *
cache_victim(struct idle_sessions *s)
{
	struct what_entry *victim = &s->cache[0];
	size_t i;

	for (i = 1; i < WHAT_CACHE; i++)
		if (s->cache[i].used < victim->used)
			victim = &s->cache[i];
	return victim;
}

/* Reads st's cmdline into e.  Returns 0, ENOMEM, or another errno (e then unchanged). */
static int
read_what(struct idle_sessions *s, int proc_fd, const struct idle_proc_stat *st,
	  struct what_entry *e)
{
	size_t len;
	int rc;

	if (s->cmdline == NULL) {
		s->cmdline = malloc(IDLE_CMDLINE_MAX);
		if (s->cmdline == NULL)
			return ENOMEM;
	}
	rc = idle_proc_read_cmdline(proc_fd, st->pid, s->cmdline, IDLE_CMDLINE_MAX, &len);
	if (rc != 0)
		return rc;
	idle_proc_what_word(s->cmdline, len, st->comm, e->word, sizeof(e->word), &e->is_dash);
	return 0;
}

/* The first word of st's WHAT, from the cache or read once.  Returns 0 or ENOMEM. */
static int
what_of(struct idle_sessions *s, int proc_fd, const struct idle_proc_stat *st,
	const struct what_entry **out)
{
	struct what_entry *e;
	size_t i;
	int rc;

	for (i = 0; i < WHAT_CACHE; i++) {
		if (same_exec(&s->cache[i], st)) {
			s->cache[i].used = s->poll;
			*out = &s->cache[i];
			return 0;
		}
	}
	e = cache_victim(s);
	rc = read_what(s, proc_fd, st, e);
	if (rc == ENOMEM)
		return rc;
	if (rc != 0) {
		/* libproc2 shows an unreadable cmdline as an empty one: "[comm]". */
		e = &s->uncached;
		idle_proc_what_word("", 0, st->comm, e->word, sizeof(e->word), &e->is_dash);
		*out = e;
		return 0;
	}
	e->pid = st->pid;
	e->start_ticks = st->start_ticks;
	e->arg_start = st->arg_start;
	e->arg_end = st->arg_end;
	memcpy(e->comm, st->comm, sizeof(e->comm));
	e->used = s->poll;
	*out = e;
	return 0;
}

/* Whether w's answer so far is "-": nothing yet, or a process whose WHAT is "-". */
static int
answer_is_dash(struct idle_sessions *s, int proc_fd, const struct proc *cur, bool *dash)
{
	const struct what_entry *e;
	int rc;

	*dash = true;
	if (cur == NULL)
		return 0;
	rc = what_of(s, proc_fd, &cur->st, &e);
	if (rc == 0)
		*dash = e->is_dash;
	return rc;
}

/* Whether q runs as uid (real or effective), from its status.  ESRCH when gone. */
static int
owned_by(int proc_fd, const struct proc *q, uid_t uid, bool *owned)
{
	uid_t ruid;
	uid_t euid;
	int rc = idle_proc_read_uids(proc_fd, q->st.pid, &ruid, &euid);

	*owned = rc == 0 && (ruid == uid || euid == uid);
	return rc;
}

/* One step of find_best_proc's loop for process q; updates *best, *second and *cur. */
static int
replay_one(struct idle_sessions *s, int proc_fd, const struct session *sess, const struct proc *q,
	   unsigned long long *best, unsigned long long *second, const struct proc **cur)
{
	unsigned long long start = q->st.start_ticks;
	bool flag;
	int rc;

	if (q->st.pid == sess->pid && *best == 0) {
		*best = start;
		*cur = q;
	}
	if (!idle_proc_tty_is(q->st.tty_nr, sess->rdev))
		return 0;
	if (!(*second != 0 && start <= *second)) {
		*second = start;
		rc = answer_is_dash(s, proc_fd, *cur, &flag);
		if (rc != 0)
			return rc;
		if (flag)
			*cur = q;
	}
	if (q->st.pgrp != q->st.tpgid || start <= *best)
		return 0;
	rc = owned_by(proc_fd, q, sess->uid, &flag);
	if (rc != 0 || !flag)
		return rc == ESRCH ? 0 : rc;
	*best = start;
	*cur = q;
	return 0;
}

/* Replays w's choice over the walked processes; writes the first word of WHAT into label. */
static int
replay(struct idle_sessions *s, int proc_fd, const struct session *sess,
       char label[IDLE_LABEL_MAX + 1])
{
	unsigned long long best = 0;
	unsigned long long second = 0;
	const struct proc *cur = NULL;
	const struct what_entry *e;
	size_t i;
	int rc;

	for (i = 0; i < s->procs_len; i++) {
		rc = replay_one(s, proc_fd, sess, &s->procs[i], &best, &second, &cur);
		if (rc != 0)
			return rc;
	}
	if (cur == NULL) {
		memcpy(label, "-", 2);
		return 0;
	}
	rc = what_of(s, proc_fd, &cur->st, &e);
	if (rc == 0)
		memcpy(label, e->word, strlen(e->word) + 1);
	return rc;
}

/* The least idle session not known to be gone, the first in utmp order on ties; or NULL. */
static struct session *
least_idle(struct idle_sessions *s)
{
	struct session *best = NULL;
	size_t i;

	for (i = 0; i < s->sessions_len; i++) {
		struct session *sess = &s->sessions[i];

		if (!sess->gone && (best == NULL || sess->idle_seconds < best->idle_seconds))
			best = sess;
	}
	return best;
}

/* Sets has_w_idle, w_idle_seconds and w_process from the least idle live session. */
static int
label_least_idle(struct idle_sessions *s, struct poll *p, struct idle_session_values *snap)
{
	struct session *sess;
	int rc;

	while ((sess = least_idle(s)) != NULL) {
		rc = walk(s, p->proc_fd, sess->pid);
		sort_procs(s);
		if (rc == 0)
			rc = replay(s, p->proc_fd, sess, snap->w_process);
		if (rc == ESRCH) {
			/* The login process exited since we counted it: w would not list it. */
			sess->gone = true;
			p->count--;
			continue;
		}
		if (rc != 0)
			return fail(p, IDLE_SOURCE_PROC, rc);
		snap->has_w_idle = true;
		snap->w_idle_seconds = sess->idle_seconds;
		return 0;
	}
	return 0;
}

/* Opens a directory for *at() calls.  Returns 0 or errno. */
static int
open_dir(const char *path, int *fd)
{
	*fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return *fd < 0 ? errno : 0;
}

/* Counts and keeps the sessions of the utmp records.  Returns 0 or the first error. */
static int
collect(struct idle_sessions *s, struct poll *p)
{
	size_t i;
	int rc = 0;

	s->sessions_len = 0;
	for (i = 0; rc == 0 && i < s->logins.len; i++)
		rc = add_record(s, p, &s->logins.records[i]);
	return rc;
}

/* True when st matches the stamp and is old enough for its mtime to be trusted. */
static bool
stamp_matches(const struct utmp_stamp *stamp, const struct stat *st, const struct timespec *now)
{
	return stamp->valid && stamp->dev == st->st_dev && stamp->ino == st->st_ino &&
	       stamp->size == st->st_size && stamp->mtime.tv_sec == st->st_mtim.tv_sec &&
	       stamp->mtime.tv_nsec == st->st_mtim.tv_nsec &&
	       stamp->ctime.tv_sec == st->st_ctim.tv_sec &&
	       stamp->ctime.tv_nsec == st->st_ctim.tv_nsec &&
	       now->tv_sec - st->st_mtim.tv_sec > UTMP_RACY_SECONDS;
}

/*
 * Reads the login records unless the file is unchanged since the last read: one stat instead of
 * an open, reads and a close on most polls.  A write that keeps the size within the same coarse
 * mtime tick is caught by rereading while the mtime is recent.  Returns 0 or an errno.
 */
static int
read_logins(struct idle_sessions *s, const struct timespec *now)
{
	struct stat st;
	bool stamped;
	int rc;

	stamped = stat(s->utmp_file, &st) == 0 && S_ISREG(st.st_mode);
	if (stamped && stamp_matches(&s->utmp_stamp, &st, now))
		return 0;
	s->utmp_stamp.valid = false;
	rc = idle_utmp_read_logins(s->utmp_file, &s->logins);
	/* Stamped before the read: a write during or after it changes the file's stamp. */
	if (rc == 0 && stamped)
		s->utmp_stamp = (struct utmp_stamp){true, st.st_dev, st.st_ino, st.st_size,
						    st.st_mtim, st.st_ctim};
	return rc;
}

/* The first error in source order, for the return value. */
static int
first_error(const int err[IDLE_SOURCE_COUNT])
{
	if (err[IDLE_SOURCE_UTMP] != 0)
		return err[IDLE_SOURCE_UTMP];
	if (err[IDLE_SOURCE_DEV] != 0)
		return err[IDLE_SOURCE_DEV];
	return err[IDLE_SOURCE_PROC];
}

int
idle_sessions_sample(struct idle_sessions *sessions, const struct timespec *now,
		     struct idle_session_values *snap, int err[IDLE_SOURCE_COUNT])
{
	struct poll p = {.now = now, .proc_fd = -1, .dev_fd = -1, .err = err};

	err[IDLE_SOURCE_UTMP] = read_logins(sessions, now);
	err[IDLE_SOURCE_DEV] = open_dir(sessions->dev_dir, &p.dev_fd);
	err[IDLE_SOURCE_PROC] = open_dir(sessions->proc_dir, &p.proc_fd);
	snap->has_sessions = false;
	snap->session_count = 0;
	snap->has_w_idle = false;
	snap->w_idle_seconds = 0;
	snap->w_process[0] = '\0';
	sessions->poll++;
	if (first_error(err) == 0 && collect(sessions, &p) == 0 &&
	    label_least_idle(sessions, &p, snap) == 0) {
		snap->has_sessions = true;
		snap->session_count = p.count;
	}
	if (first_error(err) != 0) {
		snap->has_w_idle = false;
		snap->w_process[0] = '\0';
	}
	/* Directories opened read-only: a failed close loses nothing. */
	if (p.dev_fd >= 0)
		(void)close(p.dev_fd);
	if (p.proc_fd >= 0)
		(void)close(p.proc_fd);
	return first_error(err);
}
