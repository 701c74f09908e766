/* SPDX-License-Identifier: MIT */
/* Reading a small regular file whole: the web config file, certificates and keys. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "smallfile.h"

/* Reads up to size bytes into buf; one more byte proves the file grew past its stat size. */
static int
read_all(int fd, char *buf, size_t size, size_t *have)
{
	ssize_t got;

	*have = 0;
	while (*have <= size) {
		got = read(fd, buf + *have, size + 1 - *have);
		if (got == 0)
			return 0;
		if (got < 0 && errno != EINTR)
			return errno;
		if (got > 0)
			*have += (size_t)got;
	}
	return EFBIG;
}

int
smallfile_read(const char *path, size_t max, char **out, size_t *len)
{
	struct stat st;
	size_t have = 0;
	int fd, rc = 0;

	*out = NULL;
	/* O_NONBLOCK: opening a FIFO nobody writes would otherwise wait for a writer forever. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) < 0)
		return errno;
	if (fstat(fd, &st) != 0)
		rc = errno;
	else if (!S_ISREG(st.st_mode))
		rc = EINVAL;
	else if ((size_t)st.st_size > max)
		rc = EFBIG;
	else if ((*out = malloc((size_t)st.st_size + 2)) == NULL)
		rc = ENOMEM;
	else
		rc = read_all(fd, *out, (size_t)st.st_size, &have);
	if (close(fd) != 0 && rc == 0)
		rc = errno;
	if (rc != 0) {
		free(*out);
		*out = NULL;
		return rc;
	}
	(*out)[have] = '\0';
	*len = have;
	return 0;
}

const char *
smallfile_strerror(int rc)
{
	return rc == EINVAL ? "not a regular file" : rc == EFBIG ? "too big" : strerror(rc);
}
