/* SPDX-License-Identifier: MIT */
/* utmp login records: parsed from raw bytes, and read from the file without getutxent. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utmpx.h>

#include "idle_array.h"
#include "idle_utmp.h"

/* The layout is the C library's; offsets come from its header, never from guesses. */
_Static_assert(sizeof(struct utmpx) == IDLE_UTMP_RECORD_SIZE, "utmp record size");
_Static_assert(sizeof(((struct utmpx *)0)->ut_line) < IDLE_TTY_MAX, "ut_line fits");
_Static_assert(sizeof(((struct utmpx *)0)->ut_user) < IDLE_USER_MAX, "ut_user fits");

/* Records read per read(2): 24 KiB on the stack. */
#define CHUNK_RECORDS 64
/* utmp whose mtime is this recent is read again even if it looks unchanged (coarse mtimes). */
#define RACY_SECONDS 2

/* Copies a fixed-size field that may lack a NUL; dst holds at least len + 1 bytes. */
static void
copy_field(char *dst, const unsigned char *src, size_t len)
{
	const unsigned char *nul = memchr(src, '\0', len);
	size_t n = nul != NULL ? (size_t)(nul - src) : len;

	memcpy(dst, src, n);
	dst[n] = '\0';
}

void
idle_utmp_parse(const unsigned char *bytes, struct idle_utmp_record *record)
{
	short type;
	pid_t pid;

	memcpy(&type, bytes + offsetof(struct utmpx, ut_type), sizeof(type));
	memcpy(&pid, bytes + offsetof(struct utmpx, ut_pid), sizeof(pid));
	record->type = type;
	record->pid = pid;
	copy_field(record->line, bytes + offsetof(struct utmpx, ut_line),
		   sizeof(((struct utmpx *)0)->ut_line));
	copy_field(record->user, bytes + offsetof(struct utmpx, ut_user),
		   sizeof(((struct utmpx *)0)->ut_user));
}

int
idle_utmp_parse_logins(const void *buf, size_t len, struct idle_utmp_list *list)
{
	const unsigned char *bytes = buf;
	struct idle_utmp_record record;
	size_t off;
	int rc;

	/* A file cut inside a record, or torn by a writer, is not read as if it were whole. */
	if (len % IDLE_UTMP_RECORD_SIZE != 0)
		return EINVAL;
	for (off = 0; off < len; off += IDLE_UTMP_RECORD_SIZE) {
		idle_utmp_parse(bytes + off, &record);
		/* Only root and the utmp group write utmp: a record of no known type is corruption. */
		if (record.type < IDLE_UTMP_TYPE_MIN || record.type > IDLE_UTMP_TYPE_MAX)
			return EINVAL;
		if (record.type != IDLE_UTMP_USER_PROCESS || record.user[0] == '\0')
			continue;
		if (list->len >= IDLE_UTMP_MAX_LOGINS)
			return EFBIG;
		rc = idle_array_push(&list->records, &list->len, &list->cap, &record,
				     sizeof(record));
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* Reads until buf is full or end of file.  Returns 0 with *got set, or errno. */
static int
read_full(int fd, unsigned char *buf, size_t size, size_t *got)
{
	ssize_t n;

	*got = 0;
	while (*got < size) {
		n = read(fd, buf + *got, size - *got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (n == 0)
			break;
		*got += (size_t)n;
	}
	return 0;
}

/* Opens path for reading, refusing anything but a regular file (a FIFO would block a poll). */
static int
open_regular(const char *path, int *fd)
{
	struct stat st;
	int err;

	*fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (*fd < 0)
		return errno;
	if (fstat(*fd, &st) != 0)
		err = errno;
	else if (!S_ISREG(st.st_mode))
		err = EINVAL;
	else
		return 0;
	close(*fd);
	return err;
}

int
idle_utmp_read_logins(const char *path, struct idle_utmp_list *list)
{
	unsigned char chunk[CHUNK_RECORDS * IDLE_UTMP_RECORD_SIZE];
	size_t got;
	int fd;
	int rc;

	list->len = 0;
	rc = open_regular(path, &fd);
	if (rc != 0)
		return rc;
	do {
		rc = read_full(fd, chunk, sizeof(chunk), &got);
		if (rc == 0)
			rc = idle_utmp_parse_logins(chunk, got, list);
	} while (rc == 0 && got == sizeof(chunk));
	if (close(fd) != 0 && rc == 0)
		rc = errno;
	if (rc != 0)
		list->len = 0;
	return rc;
}

/* True when st matches the stamp and is old enough for its mtime to be trusted. */
static bool
stamp_matches(const struct idle_utmp_stamp *stamp, const struct stat *st,
	      const struct timespec *now)
{
	return stamp->valid && stamp->dev == st->st_dev && stamp->ino == st->st_ino &&
	       stamp->size == st->st_size && stamp->mtime.tv_sec == st->st_mtim.tv_sec &&
	       stamp->mtime.tv_nsec == st->st_mtim.tv_nsec &&
	       stamp->ctime.tv_sec == st->st_ctim.tv_sec &&
	       stamp->ctime.tv_nsec == st->st_ctim.tv_nsec &&
	       now->tv_sec - st->st_mtim.tv_sec > RACY_SECONDS;
}

int
idle_utmp_read_changed(const char *path, const struct timespec *now,
		       struct idle_utmp_stamp *stamp, struct idle_utmp_list *list)
{
	struct stat st;
	bool stamped;
	int rc;

	if (stat(path, &st) != 0) {
		if (errno == ENOENT) {
			stamp->valid = false;
			list->len = 0;
			return 0;
		}
		/* The read below reports the same error, with its own errno. */
		stamped = false;
	} else {
		stamped = S_ISREG(st.st_mode);
	}
	if (stamped && stamp_matches(stamp, &st, now)) {
		if (stamp->rc != 0)
			list->len = 0;
		return stamp->rc;
	}
	stamp->valid = false;
	rc = idle_utmp_read_logins(path, list);
	/* Removed between the stat and the open: as empty as if it never was. */
	if (rc == ENOENT)
		return 0;
	/* Stamped before the read: a write during or after it changes the file's stamp. */
	if (stamped && (rc == 0 || rc == EINVAL || rc == EFBIG))
		*stamp = (struct idle_utmp_stamp){true, st.st_dev, st.st_ino, st.st_size,
						  st.st_mtim, st.st_ctim, rc};
	return rc;
}

void
idle_utmp_list_free(struct idle_utmp_list *list)
{
	free(list->records);
	memset(list, 0, sizeof(*list));
}
