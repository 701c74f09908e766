/* SPDX-License-Identifier: MIT */
/* bench-hold: holds ptys, login sessions or idle processes open for the benchmark until told to
 * stop. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utmpx.h>

static const char usage[] =
    "Usage: bench-hold ptys N\n"
    "       bench-hold sessions N UTMP-FILE\n"
    "       bench-hold procs N\n"
    "       bench-hold containers N CGROUP-DIR\n"
    "Opens N pty masters, or N login sessions (a child on each pty as its controlling\n"
    "terminal, with utmp records written to UTMP-FILE), or forks N idle processes, or\n"
    "starts N containers (each in its own cgroup CGROUP-DIR/kubepods/burstable/pod<uid>/<id>,\n"
    "its own mount and pid namespaces, a private devpts on /dev/pts with 2 ptys open, printed\n"
    "as 'container ID PID'); prints 'ready N' and holds them until stdin closes or\n"
    "SIGTERM/SIGINT/SIGHUP.  The caller removes the cgroups once this has exited.\n"
    "Children die with this process (PR_SET_PDEATHSIG).\n";

#define IDLE_ID_SIZE 65 /* a container ID: 64 hex digits and its NUL */

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

/* Creates dir and its missing parents (mode 0755); returns 0 or -1 with errno set. */
static int
make_dirs(char *dir)
{
	char *slash;

	for (slash = strchr(dir + 1, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(dir, 0755) != 0 && errno != EEXIST)
			return *slash = '/', -1;
		*slash = '/';
	}
	return mkdir(dir, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

/* Writes text to path; returns 0 or -1 with errno set. */
static int
write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t len = (ssize_t)strlen(text);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, text, (size_t)len) == len;
	return close(fd) == 0 && ok ? 0 : -1;
}

/* The container's pid 1: a private devpts on /dev/pts, 2 ptys open in it, then sleep. */
static void
container_init(pid_t parent, int ready_fd)
{
	int i;

	die_with_parent(parent);
	if (mount("devpts", "/dev/pts", "devpts", 0, "newinstance,ptmxmode=0666") != 0)
		_exit(3);
	for (i = 0; i < 2; i++) {
		int fd = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY);

		if (fd < 0 || unlockpt(fd) != 0)
			_exit(4);
	}
	if (write(ready_fd, "", 1) != 1)
		_exit(5);
	for (;;)
		pause();
}

/* The forked holder of one container: joins cgroup, unshares mount and pid, forks its pid 1. */
static void
container_child(pid_t parent, const char *cgroup, int ready_fd)
{
	char procs[PATH_MAX];
	pid_t init;

	die_with_parent(parent);
	if (snprintf(procs, sizeof(procs), "%s/cgroup.procs", cgroup) >= (int)sizeof(procs) ||
	    write_file(procs, "0") != 0)
		_exit(1);
	if (unshare(CLONE_NEWNS | CLONE_NEWPID) != 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		_exit(2);
	init = fork();
	if (init < 0)
		_exit(2);
	if (init == 0)
		container_init(getppid(), ready_fd);
	while (waitpid(init, NULL, 0) < 0 && errno == EINTR)
		;
	_exit(0);
}

/* Starts container i under root; returns its holder's pid, or -1 with a message. */
static pid_t
start_container(const char *root, long i, char *id, size_t id_size)
{
	char cgroup[PATH_MAX], ready;
	int pipefd[2];
	pid_t pid;

	snprintf(id, id_size, "%064lx", 0xbe7c0000UL + (unsigned long)i);
	if (snprintf(cgroup, sizeof(cgroup),
		     "%s/kubepods/burstable/pod00000000-0000-4000-8000-%012lx/%s", root,
		     (unsigned long)i, id) >= (int)sizeof(cgroup) ||
	    make_dirs(cgroup) != 0)
		return perror("bench-hold: cgroup"), -1;
	if (pipe2(pipefd, O_CLOEXEC) != 0)
		return perror("bench-hold: pipe"), -1;
	pid = fork();
	if (pid == 0) {
		close(pipefd[0]);
		container_child(getppid(), cgroup, pipefd[1]);
	}
	close(pipefd[1]);
	if (pid > 0 && (remember_child(pid) != 0 || read(pipefd[0], &ready, 1) != 1)) {
		fprintf(stderr, "bench-hold: container %ld did not start (namespaces, devpts?)\n",
			i);
		pid = -1;
	} else if (pid < 0)
		perror("bench-hold: fork");
	close(pipefd[0]);
	return pid;
}

/* Starts n containers, printing each as "container ID PID"; returns how many started. */
static long
hold_containers(long n, const char *root)
{
	char id[IDLE_ID_SIZE];
	long i;

	for (i = 0; i < n; i++) {
		pid_t pid = start_container(root, i, id, sizeof(id));

		if (pid < 0)
			break;
		printf("container %s %ld\n", id, (long)pid);
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
	else if (strcmp(argv[1], "containers") == 0 && argc == 4)
		held = hold_containers(n, argv[3]);
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
