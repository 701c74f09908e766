/* SPDX-License-Identifier: MIT */
/* The small kernel text files container discovery reads: cgroup.procs, PID/cgroup. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "idle_containers_file.h"

int
idle_containers_read_file(int dfd, const char *name, char *buf, size_t size, size_t *len)
{
	ssize_t n = 0;
	int fd, rc = 0;

	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	*len = 0;
	while (*len < size - 1) {
		n = read(fd, buf + *len, size - 1 - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		*len += (size_t)n;
	}
	if (n < 0)
		rc = errno;
	if (close(fd) != 0 && rc == 0)
		rc = errno;
	buf[*len] = '\0';
	return rc;
}

pid_t
idle_containers_parse_pid(const char *buf)
{
	long v = 0;
	size_t i;

	for (i = 0; buf[i] >= '0' && buf[i] <= '9' && i < 10; i++)
		v = v * 10 + (buf[i] - '0');
	if (i == 0 || (buf[i] != '\n' && buf[i] != '\0') || v > 0x3fffffff)
		return 0;
	return (pid_t)v;
}
