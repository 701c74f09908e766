/* SPDX-License-Identifier: MIT */
/* bench-hold: holds ptys, login sessions or idle processes open for the benchmark until told to
 * stop. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utmpx.h>

static const char usage[] =
    "Usage: bench-hold ptys N\n"
    "       bench-hold sessions N UTMP-FILE\n"
    "       bench-hold procs N\n"
    "Opens N pty masters, or N login sessions (a child on each pty as its controlling\n"
    "terminal, with utmp records written to UTMP-FILE), or forks N idle processes;\n"
    "prints 'ready N' and holds them until stdin closes or SIGTERM/SIGINT/SIGHUP.\n"
    "Children die with this process (PR_SET_PDEATHSIG).\n";

static volatile sig_atomic_t stop_requested;

/* Every child forked, so that all of them are killed and reaped at the end. */
static pid_t *children;
static size_t children_len;

/* Remembers a child; returns 0 or -1 when out of memory (the caller kills it). */
static int
remember_child(pid_t pid)
{
	pid_t *grown;

	if ((children_len & (children_len - 1)) == 0) {
		grown =
		    realloc(children, (children_len ? children_len * 2 : 1) * sizeof(*children));
		if (grown == NULL)
			return -1;
		children = grown;
	}
	children[children_len++] = pid;
	return 0;
}

/* Any stop signal ends the wait; the main flow cleans up. */
static void
on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* Parses a count in [0, 1000000]; returns -1 on a bad value. */
static long
parse_count(const char *text)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || n < 0 || n > 1000000)
		return -1;
	return n;
}

/* Lets this process hold as many descriptors as the hard limit allows. */
static void
raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* Opens one pty master; returns its descriptor or -1 with errno set. */
static int
open_master(void)
{
	int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (grantpt(fd) != 0 || unlockpt(fd) != 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* Opens up to n ptys; stops early at the kernel's limit (kernel.pty.max) and says so. */
static long
hold_ptys(long n)
{
	long i;

	raise_fd_limit();
	for (i = 0; i < n; i++) {
		if (open_master() < 0) {
			fprintf(stderr, "bench-hold: pty %ld of %ld: %s\n", i + 1, n,
				strerror(errno));
			break;
		}
	}
	return i;
}

/* In a forked child: dies with the parent, which may already be gone. */
static void
die_with_parent(pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
		_exit(1);
}

/* Child of a session: new session, the pty as controlling terminal and stdio, then sleep. */
static void
session_child(pid_t parent, const char *slave, int ready_fd)
{
	int fd;

	die_with_parent(parent);
	if (setsid() < 0)
		_exit(1);
	fd = open(slave, O_RDWR); /* a session leader's first tty becomes its controlling one */
	if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		_exit(1);
	if (fd > 2)
		close(fd);
	(void)ready_fd; /* close-on-exec: the parent sees EOF once exec succeeded */
	execlp("sleep", "sleep", "2147483647", (char *)NULL);
	_exit(127);
}

/* Copies text into a fixed utmp field, which needs no NUL when full. */
static void
copy_field(char *field, size_t size, const char *text)
{
	size_t len = strlen(text);

	memcpy(field, text, len < size ? len : size);
}

/* Appends a USER_PROCESS record for pid on line ("pts/N") to fd. */
static int
write_utmp(int fd, pid_t pid, const char *line)
{
	struct utmpx ut;
	struct timeval tv;

	memset(&ut, 0, sizeof(ut));
	ut.ut_type = USER_PROCESS;
	ut.ut_pid = pid;
	copy_field(ut.ut_line, sizeof(ut.ut_line), line);
	/* ut_id: the line's last four bytes, as login and sshd make it */
	copy_field(ut.ut_id, sizeof(ut.ut_id), line + (strlen(line) > 4 ? strlen(line) - 4 : 0));
	copy_field(ut.ut_user, sizeof(ut.ut_user), "root");
	copy_field(ut.ut_host, sizeof(ut.ut_host), "bench");
	gettimeofday(&tv, NULL);
	ut.ut_tv.tv_sec = (int32_t)tv.tv_sec;
	ut.ut_tv.tv_usec = (int32_t)tv.tv_usec;
	return write(fd, &ut, sizeof(ut)) == (ssize_t)sizeof(ut) ? 0 : -1;
}

/* Starts one session; returns 0 or -1 (message printed). */
static int
start_session(int utmp_fd, pid_t parent)
{
	char slave[PATH_MAX], byte;
	int master, ready[2];
	pid_t pid;

	master = open_master();
	if (master < 0 || ptsname_r(master, slave, sizeof(slave)) != 0 || pipe2(ready, O_CLOEXEC))
		return perror("bench-hold: session pty"), -1;
	pid = fork();
	if (pid < 0)
		return perror("bench-hold: fork"), -1;
	if (pid == 0)
		session_child(parent, slave, ready[1]);
	close(ready[1]);
	if (remember_child(pid) != 0) {
		kill(pid, SIGKILL);
		return perror("bench-hold: remember"), -1;
	}
	while (read(ready[0], &byte, 1) < 0 && errno == EINTR)
		;
	close(ready[0]);
	if (strncmp(slave, "/dev/", 5) != 0 || write_utmp(utmp_fd, pid, slave + 5) != 0)
		return perror("bench-hold: utmp"), -1;
	printf("session %ld %s\n", (long)pid, slave + 5);
	return 0;
}

/* Starts n sessions recorded in a fresh utmp file; returns how many started. */
static long
hold_sessions(long n, const char *utmp_path)
{
	pid_t parent = getpid();
	long i;
	int fd;

	fd = open(utmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror(utmp_path);
		return 0;
	}
	for (i = 0; i < n; i++)
		if (start_session(fd, parent) != 0)
			break;
	if (close(fd) != 0)
		perror(utmp_path);
	return i;
}

/* Forks n processes that sleep until killed; returns how many started. */
static long
hold_procs(long n)
{
	pid_t parent = getpid();
	long i;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("bench-hold: fork");
			break;
		}
		if (pid == 0) {
			die_with_parent(parent);
			for (;;)
				pause();
		}
		if (remember_child(pid) != 0) {
			kill(pid, SIGKILL);
			perror("bench-hold: remember");
			break;
		}
	}
	return i;
}

/* Blocks until stdin reaches EOF or a stop signal arrives. */
static void
wait_for_stop(void)
{
	char buf[64];

	while (!stop_requested) {
		ssize_t got = read(0, buf, sizeof(buf));

		if (got == 0 || (got < 0 && errno != EINTR))
			break;
	}
}

/* Kills and reaps every child. */
static void
reap_children(void)
{
	size_t i;

	for (i = 0; i < children_len; i++)
		kill(children[i], SIGKILL);
	for (i = 0; i < children_len; i++)
		while (waitpid(children[i], NULL, 0) < 0 && errno == EINTR)
			;
	free(children);
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	long n, held;

	if (argc < 3 || (n = parse_count(argv[2])) < 0) {
		fputs(usage, stderr);
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (strcmp(argv[1], "ptys") == 0 && argc == 3)
		held = hold_ptys(n);
	else if (strcmp(argv[1], "sessions") == 0 && argc == 4)
		held = hold_sessions(n, argv[3]);
	else if (strcmp(argv[1], "procs") == 0 && argc == 3)
		held = hold_procs(n);
	else {
		fputs(usage, stderr);
		return 2;
	}
	printf("ready %ld\n", held);
	fflush(stdout);
	wait_for_stop();
	reap_children();
	return held == n ? 0 : 1;
}
