/* SPDX-License-Identifier: MIT */
/*
 * Logged-in sessions and their idle time as procps w 4.0.2 computes them, without running w.
 *
 * Rows (src/w.c main, showinfo): each utmp USER_PROCESS record with a non-empty user, skipped
 * when getpwnam does not know the user or when the login process (ut_pid) is not in /proc
 * (find_best_proc returns 0: a stale record).  session_count counts the rows w prints.  A
 * utmp file that does not exist has no rows, as w and who see it: containers and fresh
 * systems have none.
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
 * WHAT is the least idle session's, as idle_what replays w's choice.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "idle_array.h"
#include "idle_kept_dir.h"
#include "idle_proc.h"
#include "idle_sessions.h"
#include "idle_time.h"
#include "idle_users.h"
#include "idle_utmp.h"
#include "idle_what.h"

/* A live session that has an idle time. */
struct session {
	struct idle_what_session what;
	double idle_seconds;
	bool gone; /* the login process exited while we looked at it */
};

struct idle_sessions {
	char *utmp_file;
	char *dev_dir;
	char *proc_dir;
	struct idle_kept_dir dev, proc; /* dev_dir and proc_dir, held between samples */
	struct idle_users *users;
	bool own_users; /* made here, when the caller gave none */
	struct idle_utmp_list logins;
	struct idle_utmp_stamp utmp_stamp;
	struct session *sessions;
	size_t sessions_len;
	size_t sessions_cap;
	struct idle_what *what;
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
idle_sessions_new(const struct idle_sessions_paths *paths, struct idle_users *users)
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
	idle_kept_dir_init(&s->dev);
	idle_kept_dir_init(&s->proc);
	s->own_users = users == NULL;
	s->users = users != NULL ? users : idle_users_new();
	s->utmp_file = strdup(paths->utmp_file);
	s->dev_dir = strdup(paths->dev_dir);
	s->proc_dir = strdup(paths->proc_dir);
	s->what = idle_what_new();
	if (s->users == NULL || s->utmp_file == NULL || s->dev_dir == NULL ||
	    s->proc_dir == NULL || s->what == NULL) {
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
	if (sessions->own_users)
		idle_users_free(sessions->users);
	idle_kept_dir_close(&sessions->dev);
	idle_kept_dir_close(&sessions->proc);
	free(sessions->utmp_file);
	free(sessions->dev_dir);
	free(sessions->proc_dir);
	idle_utmp_list_free(&sessions->logins);
	free(sessions->sessions);
	idle_what_free(sessions->what);
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
	sess->what.rdev = st.st_rdev;
	sess->idle_seconds = idle_time_age_seconds(p->now, &st.st_atim);
	*has_idle = true;
	return 0;
}

/* Counts a record as w would and keeps it when it has an idle time.  0 or an error. */
static int
add_record(struct idle_sessions *s, struct poll *p, const struct idle_utmp_record *rec)
{
	struct session sess = {.what.pid = rec->pid};
	bool has_idle;
	int rc = idle_users_uid(s->users, rec->user, p->now, &sess.what.uid);

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
	return fail(p, IDLE_SOURCE_UTMP,
		    idle_array_push(&s->sessions, &s->sessions_len, &s->sessions_cap, &sess,
				    sizeof(sess)));
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
		rc = idle_what_label(s->what, p->proc_fd, &sess->what, snap->w_process);
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

/* The directory path names, for *at() calls: held since the last sample while it is the same
 * one.  Returns 0 or errno. */
static int
open_dir(struct idle_kept_dir *kept, const char *path, int *fd)
{
	*fd = idle_kept_dir_get(kept, path);
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

	err[IDLE_SOURCE_UTMP] = idle_utmp_read_changed(sessions->utmp_file, now,
						       &sessions->utmp_stamp, &sessions->logins);
	err[IDLE_SOURCE_DEV] = open_dir(&sessions->dev, sessions->dev_dir, &p.dev_fd);
	err[IDLE_SOURCE_PROC] = open_dir(&sessions->proc, sessions->proc_dir, &p.proc_fd);
	snap->has_sessions = false;
	snap->session_count = 0;
	snap->has_w_idle = false;
	snap->w_idle_seconds = 0;
	snap->w_process[0] = '\0';
	if (first_error(err) == 0 && collect(sessions, &p) == 0 &&
	    label_least_idle(sessions, &p, snap) == 0) {
		snap->has_sessions = true;
		snap->session_count = p.count;
	}
	if (first_error(err) != 0) {
		snap->has_w_idle = false;
		snap->w_process[0] = '\0';
	}
	return first_error(err);
}
