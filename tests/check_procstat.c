/* SPDX-License-Identifier: MIT */
/* Unit tests of the exporter's process stats: /proc/stat's btime however long the file, and
 * each read current. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check_run.h"
#include "fixture.h"
#include "procstat.h"

/* A file holding text, open at its start: /proc/stat as the scan reads it. */
static int
file_of(const char *text, size_t len)
{
	char path[] = "/tmp/check_procstat.XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert(unlink(path) == 0);
	ck_assert(write(fd, text, len) == (ssize_t)len);
	ck_assert(lseek(fd, 0, SEEK_SET) == 0);
	return fd;
}

/* btime after an intr line of any length, so that it falls across every edge of the scan's
 * pieces: always read. */
START_TEST(test_btime_after_long_lines)
{
	size_t pad, len;
	unsigned long long seconds;
	char *text = malloc(200000);
	int fd;

	ck_assert_ptr_nonnull(text);
	for (pad = 0; pad < 3000; pad += 7) {
		len = (size_t)sprintf(text, "cpu  1 2 3\nintr ");
		memset(text + len, '7', pad);
		len += pad;
		len += (size_t)sprintf(text + len, "\nctxt 9\nbtime 1796153629\nprocesses 5\n");
		fd = file_of(text, len);
		seconds = 0;
		ck_assert_msg(procstat_boot_time(fd, &seconds) == 0, "pad %zu", pad);
		ck_assert_msg(seconds == 1796153629ULL, "pad %zu: %llu", pad, seconds);
		close(fd);
	}
	/* and past 100 KiB of intr, as on a machine of many interrupts */
	len = (size_t)sprintf(text, "cpu  1 2 3\nintr ");
	memset(text + len, '1', 150000);
	len += 150000;
	len += (size_t)sprintf(text + len, "\nbtime 42\n");
	fd = file_of(text, len);
	ck_assert_int_eq(procstat_boot_time(fd, &seconds), 0);
	ck_assert(seconds == 42);
	close(fd);
	free(text);
}
END_TEST

/* No btime line, one cut before its end of line, one with no number: EINVAL, never a guess. */
START_TEST(test_btime_missing)
{
	static const char *const texts[] = {"cpu 1\nctxt 2\n", "cpu 1\nbtime 17", "cpu 1\nbtime x\n",
					    "", "btime 5\n"};
	unsigned long long seconds;
	size_t i;
	int fd;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		fd = file_of(texts[i], strlen(texts[i]));
		ck_assert_msg(procstat_boot_time(fd, &seconds) == EINVAL, "case %zu", i);
		close(fd);
	}
	ck_assert_int_eq(procstat_boot_time(-1, &seconds), EBADF);
}
END_TEST

/* Each read is the process as it is now (statm held open, read again from its start), every
 * open descriptor is counted, the two held ones too, and a close lets them go. */
START_TEST(test_read_is_current)
{
	struct idle_process_stats before, after;
	struct procstat procstat;
	const size_t grow = 16u << 20;
	int fds;
	char *touched;

	ck_assert_int_eq(procstat_init(&procstat), 0);
	fds = fixture_open_fds();
	procstat_read(&procstat, &before);
	ck_assert(before.valid);
	ck_assert(before.resident_bytes > 0 && before.virtual_bytes >= before.resident_bytes);
	ck_assert_msg(before.open_fds == (double)fds, "open fds %g, listed %d", before.open_fds,
		      fds);
	ck_assert(before.start_time_seconds > 1e9);
	touched = mmap(NULL, grow, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert(touched != MAP_FAILED);
	memset(touched, 1, grow);
	procstat_read(&procstat, &after);
	ck_assert(after.valid);
	ck_assert_msg(after.resident_bytes >= before.resident_bytes + (double)grow / 2,
		      "resident %g then %g", before.resident_bytes, after.resident_bytes);
	ck_assert(after.virtual_bytes >= before.virtual_bytes + (double)grow);
	ck_assert(after.start_time_seconds == before.start_time_seconds);
	ck_assert(munmap(touched, grow) == 0);
	procstat_close(&procstat);
	ck_assert_int_eq(fixture_open_fds(), fds - 2);
	procstat_close(&procstat);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("procstat");
	TCase *tc = tcase_create("procstat");

	tcase_add_test(tc, test_btime_after_long_lines);
	tcase_add_test(tc, test_btime_missing);
	tcase_add_test(tc, test_read_is_current);
	suite_add_tcase(s, tc);
	return check_run(s);
}
