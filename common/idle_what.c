/* SPDX-License-Identifier: MIT */
/*
 * What procps w 4.0.2 shows as WHAT for a session: its choice of process, and that process'
 * word.
 *
 * The choice (find_best_proc): w goes through every process in pid order.  The login process
 * gives the answer if nothing did before it; then among processes on the session's tty
 * (tty_nr == st_rdev) in its foreground group (pgrp == tpgid) whose real or effective uid is
 * the user's, a strictly later start time wins.  A quirk: while the answer is still "-", the
 * newest process on the tty, of any user or group, takes it.  We replay that loop exactly,
 * over the login process and its descendants.
 *
 * Cost: w reads all of /proc.  We walk the login process' descendants through
 * /proc/PID/task/TID/children (CONFIG_PROC_CHILDREN, on Debian's kernels), so a call costs in
 * proportion to that session's processes (at most IDLE_WHAT_MAX_PROCS), not the host's.  The
 * price: a foreground process whose parent exited while its group kept the terminal
 * (reparented to init) is not seen.
 *
 * cmdline: reading /proc/PID/cmdline takes the process' memory map lock and can block for as
 * long as the process is stuck in the kernel; stat and status do not.  Which process wins
 * depends on no cmdline but through the quirk, and only the quirks after the last win can
 * change the answer: so the replay first runs on stat and status alone, then reads the
 * winner's cmdline, and a later quirk's only while the answer so far is "-".  A word is kept
 * per exec -- keyed on pid and start time, an exec told by new argv addresses or comm -- while
 * polls ask for it.  A process that rewrites its argv in place keeps its old word until it
 * execs.  A cmdline that cannot be read shows "[comm]", as libproc2 does.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "idle_array.h"
#include "idle_proc.h"
#include "idle_proc_children.h"
#include "idle_what.h"

/* Calls after which a word nobody asked for is dropped: a minute of polls. */
#define KEEP_CALLS 60

/* A process of the walked session. */
struct proc {
	struct idle_proc_stat st;
	bool valid;  /* st was read */
	bool quirk;  /* takes the answer if it is still "-" when the replay reaches it */
};

/* The first word of one exec's cmdline. */
struct word {
	pid_t pid;
	unsigned long long start_ticks;
	unsigned long arg_start;
	unsigned long arg_end;
	char comm[IDLE_COMM_MAX];
	char word[IDLE_LABEL_MAX + 1];
	bool is_dash;
	uint64_t used; /* call that last asked for it */
};

struct idle_what {
	struct proc *procs;
	size_t procs_len;
	size_t procs_cap;
	struct word *words; /* sorted by pid, one per pid */
	size_t words_len;
	size_t words_cap;
	struct word uncached; /* for a cmdline that could not be read */
	uint64_t calls;
	char *cmdline; /* IDLE_CMDLINE_MAX bytes, allocated at first use */
};

struct idle_what *
idle_what_new(void)
{
	return calloc(1, sizeof(struct idle_what));
}

void
idle_what_free(struct idle_what *what)
{
	if (what == NULL)
		return;
	free(what->procs);
	free(what->words);
	free(what->cmdline);
	free(what);
}

/*
 * Copies len bytes of src into word as a NUL-terminated string of at most size - 1 bytes; a
 * cut backs off to the start of a UTF-8 character, so a long name never ends in half of one.
 */
static size_t
copy_word(const char *src, size_t len, char *word, size_t size)
{
	size_t back = 0;

	if (len > size - 1) {
		len = size - 1;
		while (back < 3 && len > 0 && ((unsigned char)src[len] & 0xc0) == 0x80) {
			len--;
			back++;
		}
	}
	memcpy(word, src, len);
	word[len] = '\0';
	return len;
}

/* "[comm]" (libproc2's escape_command) up to its first space. */
static size_t
bracket_word(const char *comm, char *word, size_t size)
{
	size_t n = strcspn(comm, " ");
	size_t len = 0;

	if (size > 1)
		len = copy_word("[", 1, word, size);
	if (len < size - 1)
		len += copy_word(comm, n, word + len, size - len);
	if (comm[n] == '\0' && len < size - 1)
		len += copy_word("]", 1, word + len, size - len);
	word[len] = '\0';
	return len;
}

/* Length of the WHAT string libproc2 makes of cmdline (read_unvectored). */
static size_t
what_length(const char *cmdline, size_t len)
{
	size_t end = len;

	while (end > 0 && cmdline[end - 1] == '\0')
		end--;
	if (end == len && end > 0 && (cmdline[end - 1] == ' ' || cmdline[end - 1] == '\n'))
		end--;
	return end;
}

/* A byte libproc2 shows as a space in WHAT. */
static bool
is_space(char c)
{
	return c == ' ' || c == '\n' || c == '\0';
}

size_t
idle_what_word(const char *cmdline, size_t len, const char *comm, char *word, size_t size,
	       bool *is_dash)
{
	size_t end = what_length(cmdline, len);
	size_t start = 0;
	size_t stop;

	*is_dash = false;
	if (len == 0)
		return bracket_word(comm, word, size);
	if (end == 0)
		return copy_word("?", 1, word, size);
	*is_dash = end == 1 && cmdline[0] == '-';
	while (start < end && is_space(cmdline[start]))
		start++;
	for (stop = start; stop < end && !is_space(cmdline[stop]); stop++)
		;
	return copy_word(cmdline + start, stop - start, word, size);
}

/* Callback of the children walk: queues a pid.  Returns 0 or ENOMEM. */
static int
push_proc(void *arg, pid_t pid)
{
	struct idle_what *what = arg;
	struct proc q = {.st.pid = pid};

	if (what->procs_len >= IDLE_WHAT_MAX_PROCS)
		return 0;
	return idle_array_push(&what->procs, &what->procs_len, &what->procs_cap, &q, sizeof(q));
}

/* Reads the login process and its descendants.  ESRCH when the login process is gone. */
static int
walk(struct idle_what *what, int proc_fd, pid_t login)
{
	size_t i;
	int rc;

	what->procs_len = 0;
	rc = push_proc(what, login);
	for (i = 0; rc == 0 && i < what->procs_len; i++) {
		struct proc *q = &what->procs[i];

		rc = idle_proc_read_stat(proc_fd, q->st.pid, &q->st);
		if (rc == 0) {
			q->valid = true;
			rc = idle_proc_children(proc_fd, q->st.pid, q->st.threads, push_proc, what);
		}
		if (rc == ESRCH)
			rc = i == 0 ? ESRCH : 0;
	}
	return rc;
}

static int
proc_by_pid(const void *a, const void *b)
{
	const struct proc *x = a;
	const struct proc *y = b;

	return (x->st.pid > y->st.pid) - (x->st.pid < y->st.pid);
}

/* Sorts the walked processes by pid, as /proc lists them, dropping the unread and repeats. */
static void
sort_procs(struct idle_what *what)
{
	size_t i;
	size_t n = 0;

	qsort(what->procs, what->procs_len, sizeof(what->procs[0]), proc_by_pid);
	for (i = 0; i < what->procs_len; i++) {
		if (!what->procs[i].valid ||
		    (n > 0 && what->procs[n - 1].st.pid == what->procs[i].st.pid))
			continue;
		what->procs[n++] = what->procs[i];
	}
	what->procs_len = n;
}

/* The index of pid's word, or where it would be inserted (*found false). */
static size_t
word_index(const struct idle_what *what, pid_t pid, bool *found)
{
	size_t lo = 0, hi = what->words_len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (what->words[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < what->words_len && what->words[lo].pid == pid;
	return lo;
}

/* True when the word was made from the same exec of the same process. */
static bool
same_exec(const struct word *w, const struct idle_proc_stat *st)
{
	return w->start_ticks == st->start_ticks && w->arg_start == st->arg_start &&
	       w->arg_end == st->arg_end && strcmp(w->comm, st->comm) == 0;
}

/* Reads st's cmdline into w.  Returns 0, ENOMEM, or another errno (w then unchanged). */
static int
read_word(struct idle_what *what, int proc_fd, const struct idle_proc_stat *st, struct word *w)
{
	size_t len;
	int rc;

	if (what->cmdline == NULL) {
		what->cmdline = malloc(IDLE_CMDLINE_MAX);
		if (what->cmdline == NULL)
			return ENOMEM;
	}
	rc = idle_proc_read_cmdline(proc_fd, st->pid, what->cmdline, IDLE_CMDLINE_MAX, &len);
	if (rc != 0)
		return rc;
	idle_what_word(what->cmdline, len, st->comm, w->word, sizeof(w->word), &w->is_dash);
	w->pid = st->pid;
	w->start_ticks = st->start_ticks;
	w->arg_start = st->arg_start;
	w->arg_end = st->arg_end;
	memcpy(w->comm, st->comm, sizeof(w->comm));
	return 0;
}

/* Stores a word read for pid at index i (replacing *found's).  Returns 0 or ENOMEM. */
static int
keep_word(struct idle_what *what, size_t i, bool found, const struct word *w)
{
	int rc;

	if (found) {
		what->words[i] = *w;
		return 0;
	}
	rc = idle_array_reserve(&what->words, &what->words_cap, what->words_len + 1,
				sizeof(*w));
	if (rc != 0)
		return rc;
	memmove(&what->words[i + 1], &what->words[i],
		(what->words_len - i) * sizeof(what->words[0]));
	what->words[i] = *w;
	what->words_len++;
	return 0;
}

/* The first word of st's WHAT, kept or read once.  Returns 0 or ENOMEM. */
static int
word_of(struct idle_what *what, int proc_fd, const struct idle_proc_stat *st,
	const struct word **out)
{
	struct word w = {.used = what->calls};
	bool found;
	size_t i = word_index(what, st->pid, &found);
	int rc;

	if (found && same_exec(&what->words[i], st)) {
		what->words[i].used = what->calls;
		*out = &what->words[i];
		return 0;
	}
	rc = read_word(what, proc_fd, st, &w);
	if (rc == ENOMEM)
		return rc;
	if (rc != 0) {
		/* libproc2 shows an unreadable cmdline as an empty one: "[comm]". */
		*out = &what->uncached;
		idle_what_word("", 0, st->comm, what->uncached.word, sizeof(what->uncached.word),
			       &what->uncached.is_dash);
		return 0;
	}
	rc = keep_word(what, i, found, &w);
	if (rc == 0)
		*out = &what->words[i];
	return rc;
}

/* Drops the words no call asked for in KEEP_CALLS: memory follows the processes present. */
static void
drop_old_words(struct idle_what *what)
{
	size_t i, n = 0;

	for (i = 0; i < what->words_len; i++)
		if (what->calls - what->words[i].used < KEEP_CALLS)
			what->words[n++] = what->words[i];
	what->words_len = n;
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

/*
 * find_best_proc's loop without the quirk, which needs cmdlines: marks the processes where it
 * applies and returns the index of the last process that took the answer unconditionally
 * (procs_len for none).  0 or an errno in *rc.
 */
static size_t
replay_wins(struct idle_what *what, int proc_fd, const struct idle_what_session *sess, int *rc)
{
	unsigned long long best = 0, second = 0;
	size_t i, last = what->procs_len;
	bool owned;

	*rc = 0;
	for (i = 0; i < what->procs_len; i++) {
		struct proc *q = &what->procs[i];
		unsigned long long start = q->st.start_ticks;

		if (q->st.pid == sess->pid && best == 0) {
			best = start;
			last = i;
		}
		if (!idle_proc_tty_is(q->st.tty_nr, sess->rdev))
			continue;
		q->quirk = !(second != 0 && start <= second);
		if (q->quirk)
			second = start;
		if (q->st.pgrp != q->st.tpgid || start <= best)
			continue;
		*rc = owned_by(proc_fd, q, sess->uid, &owned);
		if (*rc == ESRCH)
			*rc = 0;
		if (*rc != 0)
			return last;
		if (owned) {
			best = start;
			last = i;
		}
	}
	return last;
}

/*
 * The quirks after the last win: each takes the answer while it is "-" (nothing, or a WHAT of
 * "-"); once it is not, none can.  Sets *cur to the answer (NULL for none).  0 or ENOMEM.
 */
static int
replay_quirks(struct idle_what *what, int proc_fd, size_t last, const struct proc **cur)
{
	const struct word *w;
	size_t i = last == what->procs_len ? 0 : last + 1;
	int rc;

	*cur = last == what->procs_len ? NULL : &what->procs[last];
	for (; i < what->procs_len; i++) {
		if (!what->procs[i].quirk)
			continue;
		if (*cur != NULL) {
			rc = word_of(what, proc_fd, &(*cur)->st, &w);
			if (rc != 0)
				return rc;
			if (!w->is_dash)
				return 0;
		}
		*cur = &what->procs[i];
	}
	return 0;
}

int
idle_what_label(struct idle_what *what, int proc_fd, const struct idle_what_session *sess,
		char label[IDLE_LABEL_MAX + 1])
{
	const struct proc *cur = NULL;
	const struct word *w;
	size_t last = 0;
	int rc;

	what->calls++;
	drop_old_words(what);
	rc = walk(what, proc_fd, sess->pid);
	sort_procs(what);
	if (rc == 0)
		last = replay_wins(what, proc_fd, sess, &rc);
	if (rc == 0)
		rc = replay_quirks(what, proc_fd, last, &cur);
	if (rc != 0)
		return rc;
	if (cur == NULL) {
		memcpy(label, "-", 2);
		return 0;
	}
	rc = word_of(what, proc_fd, &cur->st, &w);
	if (rc == 0)
		memcpy(label, w->word, strlen(w->word) + 1);
	return rc;
}
