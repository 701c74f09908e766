/* SPDX-License-Identifier: MIT */
/* A process' children, from /proc/PID/task/TID/children: the walk of a session's processes. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "idle_dirents.h"
#include "idle_proc.h"
#include "idle_proc_children.h"

/* A children file lists one thread's children: a few bytes each, read in pieces. */
#define CHILDREN_BUF 4096

/* Reports the pending number of a scan, if any. */
static int
scan_flush(struct idle_proc_pid_scan *scan, idle_proc_pid_fn fn, void *arg)
{
	int rc = 0;

	if (scan->in_number && !scan->overflow && scan->value > 0)
		rc = fn(arg, (pid_t)scan->value);
	scan->value = 0;
	scan->in_number = false;
	scan->overflow = false;
	return rc;
}

int
idle_proc_scan_pids(struct idle_proc_pid_scan *scan, const char *buf, size_t len,
		    idle_proc_pid_fn fn, void *arg)
{
	size_t i;
	int rc;

	for (i = 0; i < len; i++) {
		if (buf[i] >= '0' && buf[i] <= '9') {
			scan->value = scan->value * 10 + (unsigned long)(buf[i] - '0');
			if (scan->value > INT_MAX) {
				scan->overflow = true;
				scan->value = 0;
			}
			scan->in_number = true;
			continue;
		}
		rc = scan_flush(scan, fn, arg);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int
idle_proc_scan_end(struct idle_proc_pid_scan *scan, idle_proc_pid_fn fn, void *arg)
{
	return scan_flush(scan, fn, arg);
}

/* Feeds the children file of one thread to fn.  ENOENT when the file is missing. */
static int
thread_children(int proc_fd, const char *path, idle_proc_pid_fn fn, void *arg)
{
	struct idle_proc_pid_scan scan = {0};
	char buf[CHILDREN_BUF];
	size_t n;
	int rc = 0;
	int fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return errno;
	while (rc == 0) {
		rc = idle_proc_read_some(fd, buf, sizeof(buf), &n);
		if (rc != 0 || n == 0)
			break;
		rc = idle_proc_scan_pids(&scan, buf, n, fn, arg);
	}
	if (rc == 0)
		rc = idle_proc_scan_end(&scan, fn, arg);
	if (close(fd) != 0 && rc == 0)
		rc = errno;
	return rc;
}

/* One thread's children; a thread gone meanwhile is fine, a live one without the file is not. */
static int
task_children(int proc_fd, pid_t pid, const char *tid, idle_proc_pid_fn fn, void *arg)
{
	char task[64];
	char path[80];
	struct stat st;
	int n = snprintf(task, sizeof(task), "%d/task/%s", (int)pid, tid);
	int m = snprintf(path, sizeof(path), "%s/children", task);
	int rc;

	if (n < 0 || (size_t)n >= sizeof(task) || m < 0 || (size_t)m >= sizeof(path))
		return ENAMETOOLONG;
	rc = thread_children(proc_fd, path, fn, arg);
	if (rc != ENOENT)
		return rc == ESRCH ? 0 : rc;
	return fstatat(proc_fd, task, &st, 0) == 0 ? ENOTSUP : 0;
}

/* The children of a process of one thread, whose only task is the process itself: no listing
 * of its task directory (an open and two getdents) for what it is known to hold. */
static int
only_thread_children(int proc_fd, pid_t pid, idle_proc_pid_fn fn, void *arg)
{
	char task[64], path[80];
	struct stat st;
	int n = snprintf(task, sizeof(task), "%d/task/%d", (int)pid, (int)pid);
	int m = snprintf(path, sizeof(path), "%s/children", task);
	int rc;

	if (n < 0 || (size_t)n >= sizeof(task) || m < 0 || (size_t)m >= sizeof(path))
		return ENAMETOOLONG;
	rc = thread_children(proc_fd, path, fn, arg);
	if (rc != ENOENT)
		return rc;
	return fstatat(proc_fd, task, &st, 0) == 0 ? ENOTSUP : ESRCH;
}

/* One listing's state, for idle_dirents_each. */
struct tasks_ctx {
	int proc_fd;
	pid_t pid;
	idle_proc_pid_fn fn;
	void *arg;
};

static int
each_task(void *arg, int dir_fd, const char *tid)
{
	struct tasks_ctx *ctx = arg;

	(void)dir_fd;
	if (tid[0] < '0' || tid[0] > '9')
		return 0;
	return task_children(ctx->proc_fd, ctx->pid, tid, ctx->fn, ctx->arg);
}

int
idle_proc_children(int proc_fd, pid_t pid, long threads, idle_proc_pid_fn fn, void *arg)
{
	struct tasks_ctx ctx = {proc_fd, pid, fn, arg};
	char path[48];
	int n = snprintf(path, sizeof(path), "%d/task", (int)pid), fd, rc;

	if (n < 0 || (size_t)n >= sizeof(path))
		return ENAMETOOLONG;
	if (threads == 1)
		return only_thread_children(proc_fd, pid, fn, arg);
	fd = openat(proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return idle_proc_gone(errno);
	/* A listing cut by the process's exit is its being gone (no callback gives ENOENT). */
	rc = idle_proc_gone(idle_dirents_each(fd, each_task, &ctx));
	if (close(fd) != 0 && rc == 0)
		rc = errno;
	return rc;
}
