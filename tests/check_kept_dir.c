/* SPDX-License-Identifier: MIT */
/* idle_kept_dir: a directory held between polls follows its path (replaced, mounted over, gone). */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_mounts.h"
#include "check_run.h"
#include "fixture.h"
#include "idle_dirents.h"
#include "idle_kept_dir.h"

static char *
path_in(const char *dir, const char *name)
{
	char *path;

	ck_assert(asprintf(&path, "%s/%s", dir, name) > 0);
	return path;
}

/* The inode of the directory open as fd. */
static ino_t
fd_ino(int fd)
{
	struct stat st;

	ck_assert(fstat(fd, &st) == 0 && S_ISDIR(st.st_mode));
	return st.st_ino;
}

static ino_t
path_ino(const char *path)
{
	struct stat st;

	ck_assert(stat(path, &st) == 0);
	return st.st_ino;
}

static int
count_entry(void *arg, int dir_fd, const char *name)
{
	(void)dir_fd;
	(void)name;
	++*(int *)arg;
	return 0;
}

/* Reads the held directory to its end, as a scan does; returns its offset then. */
static off_t
read_through(int fd)
{
	int n = 0;

	ck_assert(lseek(fd, 0, SEEK_SET) == 0);
	ck_assert_int_eq(idle_dirents_each(fd, count_entry, &n), 0);
	return lseek(fd, 0, SEEK_CUR);
}

/* The same directory is handed back without a reopen (its read offset stays where a scan left
 * it); a chmod makes it opened again, so that access taken away is noticed; what is made in it
 * shows. */
START_TEST(test_kept_while_same)
{
	char *dir = fixture_dir(), *d = path_in(dir, "pts"), *f = path_in(d, "0");
	struct idle_kept_dir kept;
	struct dirent *e;
	int fd, base, found = 0;
	DIR *listing;

	ck_assert(mkdir(d, 0755) == 0);
	ck_assert(close(open(f, O_CREAT | O_WRONLY | O_CLOEXEC, 0600)) == 0);
	idle_kept_dir_init(&kept);
	base = fixture_open_fds();
	fd = idle_kept_dir_get(&kept, d);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fixture_open_fds(), base + 1);
	ck_assert(read_through(fd) > 0);
	ck_assert_int_eq(idle_kept_dir_get(&kept, d), fd);
	ck_assert_msg(lseek(fd, 0, SEEK_CUR) > 0, "the same directory was opened again");
	ck_assert(chmod(d, 0700) == 0);
	fd = idle_kept_dir_get(&kept, d);
	ck_assert_int_ge(fd, 0);
	ck_assert_msg(lseek(fd, 0, SEEK_CUR) == 0, "a chmod'ed directory was not opened again");
	ck_assert_int_eq(fixture_open_fds(), base + 1);
	/* A duplicate read from the start, as the pts scan rewinds it. */
	listing = fdopendir(dup(fd));
	ck_assert_ptr_nonnull(listing);
	rewinddir(listing);
	while ((e = readdir(listing)) != NULL)
		found += strcmp(e->d_name, "0") == 0;
	ck_assert(closedir(listing) == 0);
	ck_assert_int_eq(found, 1);
	idle_kept_dir_close(&kept);
	ck_assert_int_eq(kept.fd, -1);
	ck_assert_int_eq(fixture_open_fds(), base);
	free(f);
	free(d);
	fixture_remove(dir);
}
END_TEST

/* A directory renamed into the path's place is opened; the old one is let go. */
START_TEST(test_replaced_is_followed)
{
	char *dir = fixture_dir(), *d = path_in(dir, "pts"), *next = path_in(dir, "next");
	struct idle_kept_dir kept;
	int fd, base, i;
	ino_t ino;

	ck_assert(mkdir(d, 0755) == 0);
	idle_kept_dir_init(&kept);
	base = fixture_open_fds();
	fd = idle_kept_dir_get(&kept, d);
	ck_assert_int_eq(fd_ino(fd), path_ino(d));
	for (i = 0; i < 200; i++) {
		ck_assert(mkdir(next, 0755) == 0);
		ino = path_ino(next);
		ck_assert(rename(next, d) == 0);
		fd = idle_kept_dir_get(&kept, d);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(fd_ino(fd), ino);
		ck_assert_int_eq(fixture_open_fds(), base + 1);
	}
	idle_kept_dir_close(&kept);
	free(next);
	free(d);
	fixture_remove(dir);
}
END_TEST

/* A symbolic link counts by its target, and a link moved to another directory moves the hold. */
START_TEST(test_symlink_retargeted)
{
	char *dir = fixture_dir(), *a = path_in(dir, "a"), *b = path_in(dir, "b");
	char *link = path_in(dir, "pts"), *tmp = path_in(dir, "pts.new");
	struct idle_kept_dir kept;
	int fd;

	ck_assert(mkdir(a, 0755) == 0 && mkdir(b, 0755) == 0);
	ck_assert(symlink("a", link) == 0);
	idle_kept_dir_init(&kept);
	fd = idle_kept_dir_get(&kept, link);
	ck_assert_int_eq(fd_ino(fd), path_ino(a));
	ck_assert(symlink("b", tmp) == 0 && rename(tmp, link) == 0);
	fd = idle_kept_dir_get(&kept, link);
	ck_assert_int_eq(fd_ino(fd), path_ino(b));
	idle_kept_dir_close(&kept);
	free(a);
	free(b);
	free(link);
	free(tmp);
	fixture_remove(dir);
}
END_TEST

/* Gone, a file, a dangling link: an error, and nothing stays held; back, it is opened again. */
START_TEST(test_gone_lets_go)
{
	char *dir = fixture_dir(), *d = path_in(dir, "pts");
	struct idle_kept_dir kept;
	int base;

	ck_assert(mkdir(d, 0755) == 0);
	idle_kept_dir_init(&kept);
	base = fixture_open_fds();
	ck_assert_int_ge(idle_kept_dir_get(&kept, d), 0);
	ck_assert(rmdir(d) == 0);
	errno = 0;
	ck_assert_int_eq(idle_kept_dir_get(&kept, d), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(kept.fd, -1);
	ck_assert_int_eq(fixture_open_fds(), base);
	ck_assert(close(open(d, O_CREAT | O_WRONLY | O_CLOEXEC, 0600)) == 0);
	errno = 0;
	ck_assert_int_eq(idle_kept_dir_get(&kept, d), -1);
	ck_assert_int_eq(errno, ENOTDIR);
	ck_assert(unlink(d) == 0 && symlink("nowhere", d) == 0);
	errno = 0;
	ck_assert_int_eq(idle_kept_dir_get(&kept, d), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(fixture_open_fds(), base);
	ck_assert(unlink(d) == 0 && mkdir(d, 0755) == 0);
	ck_assert_int_eq(fd_ino(idle_kept_dir_get(&kept, d)), path_ino(d));
	idle_kept_dir_close(&kept);
	idle_kept_dir_close(&kept); /* twice is harmless */
	ck_assert_int_eq(fixture_open_fds(), base);
	free(d);
	fixture_remove(dir);
}
END_TEST

/* A file system mounted over the path is followed, and its unmount back to what is under it. */
START_TEST(test_mount_over_is_followed)
{
	char *dir = fixture_dir(), *d = path_in(dir, "pts");
	struct idle_kept_dir kept;
	struct stat under, over;
	int fd;

	mounts_private();
	ck_assert(mkdir(d, 0755) == 0 && stat(d, &under) == 0);
	idle_kept_dir_init(&kept);
	ck_assert_int_ge(idle_kept_dir_get(&kept, d), 0);
	mounts_fs(dir, "pts", "devpts");
	ck_assert(stat(d, &over) == 0 && over.st_dev != under.st_dev);
	fd = idle_kept_dir_get(&kept, d);
	ck_assert(fstat(fd, &over) == 0 && over.st_dev != under.st_dev);
	/* The kept one holds the mount: a lazy unmount, as an administrator's would be. */
	mounts_undo(dir, "pts");
	fd = idle_kept_dir_get(&kept, d);
	ck_assert(fstat(fd, &over) == 0);
	ck_assert(over.st_dev == under.st_dev && over.st_ino == under.st_ino);
	idle_kept_dir_close(&kept);
	free(d);
	fixture_remove(dir);
}
END_TEST

static Suite *
kept_dir_suite(bool mounts)
{
	Suite *s = suite_create("kept_dir");
	TCase *tc = tcase_create("follow");

	tcase_add_test(tc, test_kept_while_same);
	tcase_add_test(tc, test_replaced_is_followed);
	tcase_add_test(tc, test_symlink_retargeted);
	tcase_add_test(tc, test_gone_lets_go);
	if (mounts)
		tcase_add_test(tc, test_mount_over_is_followed);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	char why[128];
	bool mounts = mounts_probe(why, sizeof(why));
	int rc = check_run(kept_dir_suite(mounts));

	if (rc == EXIT_SUCCESS && !mounts) {
		printf("check_kept_dir: mount test not run: %s\n", why);
		return 77;
	}
	return rc;
}
