/* SPDX-License-Identifier: MIT */
/* The exporter's own process metrics, read from /proc/self the way the Python client did. */
#include <fcntl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "idle_dirents.h"
#include "idle_proc.h"
#include "procstat.h"

/* Reads a whole small file into buf (NUL-terminated), *len its bytes.  Returns 0 or an errno.
 * open and read, not stdio: a scrape reads one of these, and fopen's buffer is no help. */
static int
read_small(const char *path, char *buf, size_t size, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;
	ssize_t n;

	if (fd < 0)
		return errno;
	*len = 0;
	while (*len < size - 1) {
		n = read(fd, buf + *len, size - 1 - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = errno;
		if (n <= 0)
			break;
		*len += (size_t)n;
	}
	buf[*len] = '\0';
	(void)close(fd);
	return err;
}

/* Start time in clock ticks after boot, from /proc/self/stat by the library's parser. */
static int
start_ticks(unsigned long long *ticks)
{
	struct idle_proc_stat st;
	char buf[1024]; /* a stat line: comm is at most 64 bytes */
	size_t len = 0;
	int err = read_small("/proc/self/stat", buf, sizeof(buf), &len);

	if (err == 0)
		err = idle_proc_parse_stat(buf, len, &st);
	if (err == 0)
		*ticks = st.start_ticks;
	return err;
}

/* In small pieces: on a large machine the intr line before btime alone runs to tens of KiB,
 * so no fixed buffer holds the file; a piece keeps the tail of the one before, where
 * "\nbtime " may have begun. */
int
procstat_boot_time(int fd, unsigned long long *seconds)
{
	static const char key[] = "\nbtime ";
	const size_t keep = sizeof(key) + 20; /* the key and a 20-digit value */
	char buf[1024], *p, *end;
	size_t len = 0;
	ssize_t n;
	int err = EINVAL;

	for (;;) {
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? errno : EINVAL;
			break;
		}
		len += (size_t)n;
		buf[len] = '\0';
		if ((p = strstr(buf, key)) != NULL && memchr(p + 1, '\n', len - (size_t)(p + 1 - buf))) {
			errno = 0;
			*seconds = strtoull(p + sizeof(key) - 1, &end, 10);
			err = errno == 0 && end > p + sizeof(key) - 1 && *end == '\n' ? 0 : EINVAL;
			break;
		}
		if (len > keep) { /* keep the tail, where the key may have begun */
			memmove(buf, buf + len - keep, keep);
			len = keep;
		}
	}
	return err;
}

/* /proc/stat's btime. */
static int
boot_time(unsigned long long *seconds)
{
	int fd = open("/proc/stat", O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return errno;
	err = procstat_boot_time(fd, seconds);
	(void)close(fd);
	return err;
}

void
procstat_close(struct procstat *procstat)
{
	/* Read-only: a failed close loses nothing. */
	if (procstat->statm_fd >= 0)
		(void)close(procstat->statm_fd);
	if (procstat->fd_dir >= 0)
		(void)close(procstat->fd_dir);
	procstat->statm_fd = -1;
	procstat->fd_dir = -1;
}

int
procstat_init(struct procstat *procstat)
{
	unsigned long long ticks, boot;
	long hz = sysconf(_SC_CLK_TCK);
	int err;

	procstat->statm_fd = -1;
	procstat->fd_dir = -1;
	procstat->page_size = sysconf(_SC_PAGESIZE);
	if (hz <= 0 || procstat->page_size <= 0)
		return EINVAL;
	if ((err = start_ticks(&ticks)) != 0 || (err = boot_time(&boot)) != 0)
		return err;
	procstat->start_time_seconds = (double)boot + (double)ticks / (double)hz;
	if ((procstat->statm_fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)) < 0)
		return errno;
	procstat->fd_dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procstat->fd_dir < 0) {
		err = errno;
		procstat_close(procstat);
		return err;
	}
	return 0;
}

/* statm's line (a few numbers, never split by a read), from its start: one system call. */
static int
read_statm(int fd, char *buf, size_t size)
{
	ssize_t n;

	do
		n = pread(fd, buf, size - 1, 0);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return n < 0 ? errno : EINVAL;
	buf[n] = '\0';
	return 0;
}

static int
count_one(void *arg, int dir_fd, const char *name)
{
	(void)dir_fd;
	(void)name;
	++*(long *)arg;
	return 0;
}

/* Entries of /proc/self/fd: every open descriptor, the held listing's too. */
static int
count_fds(int fd_dir, double *count)
{
	long fds = 0;
	int err;

	if (lseek(fd_dir, 0, SEEK_SET) < 0)
		return errno;
	err = idle_dirents_each(fd_dir, count_one, &fds);
	*count = (double)fds;
	return err;
}

/* The first two numbers of a statm line, size and resident pages: strtoull, not sscanf, whose
 * pages of libc would stay resident in an exporter that reads two numbers. */
static int
statm_pages(const char *line, unsigned long long *size, unsigned long long *resident)
{
	char *end;

	if (*line < '0' || *line > '9')
		return EINVAL;
	errno = 0;
	*size = strtoull(line, &end, 10);
	if (errno != 0 || *end != ' ' || end[1] < '0' || end[1] > '9')
		return EINVAL;
	*resident = strtoull(end + 1, &end, 10);
	if (errno != 0 || (*end != ' ' && *end != '\n'))
		return EINVAL;
	return 0;
}

void
procstat_read(const struct procstat *procstat, struct idle_process_stats *stats)
{
	unsigned long long size_pages, resident_pages;
	struct rusage usage;
	struct rlimit limit;
	char buf[256];

	stats->valid = false;
	if (read_statm(procstat->statm_fd, buf, sizeof(buf)) != 0 ||
	    statm_pages(buf, &size_pages, &resident_pages) != 0)
		return;
	if (getrusage(RUSAGE_SELF, &usage) != 0 || getrlimit(RLIMIT_NOFILE, &limit) != 0)
		return;
	if (count_fds(procstat->fd_dir, &stats->open_fds) != 0)
		return;
	stats->cpu_seconds = (double)usage.ru_utime.tv_sec + (double)usage.ru_utime.tv_usec / 1e6 +
			     (double)usage.ru_stime.tv_sec + (double)usage.ru_stime.tv_usec / 1e6;
	stats->virtual_bytes = (double)size_pages * (double)procstat->page_size;
	stats->resident_bytes = (double)resident_pages * (double)procstat->page_size;
	stats->start_time_seconds = procstat->start_time_seconds;
	stats->max_fds = limit.rlim_cur == RLIM_INFINITY ? -1 : (double)limit.rlim_cur;
	stats->valid = true;
}
