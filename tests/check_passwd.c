/* SPDX-License-Identifier: MIT */
/* Unit tests of the passwd lookup inside a container's root: the parser, the cache, planted links.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "check_mounts.h"
#include "check_run.h"
#include "fixture.h"
#include "idle_inroot.h"
#include "idle_passwd.h"

struct line_case {
	const char *name;
	const char *line;
	bool ok;
	unsigned uid;
	const char *user;
};

/* clang-format off */
static const struct line_case line_cases[] = {
	{"plain", "alice:x:1000:1000:Alice:/home/alice:/bin/sh", true, 1000, "alice"},
	{"root", "root:x:0:0:root:/root:/bin/bash", true, 0, "root"},
	{"only three fields and a colon", "bob:x:7:", true, 7, "bob"},
	{"largest uid", "big:x:4294967294:0::/:", true, 4294967294u, "big"},
	{"32-byte name", "abcdefghijklmnopqrstuvwxyz012345:x:5:5::/:", true, 5,
	 "abcdefghijklmnopqrstuvwxyz012345"},
	{"33-byte name does not fit", "abcdefghijklmnopqrstuvwxyz0123456:x:5:5::/:", false, 0, ""},
	{"no user uid", "nobody:x:4294967295:0::/:", false, 0, ""},
	{"uid too large", "x:x:99999999999:0::/:", false, 0, ""},
	{"negative uid", "x:x:-1:0::/:", false, 0, ""},
	{"uid with a space", "x:x: 1:0::/:", false, 0, ""},
	{"empty uid", "x:x::0::/:", false, 0, ""},
	{"empty name", ":x:1:0::/:", false, 0, ""},
	{"NIS plus", "+alice:x:1:1::/:", false, 0, ""},
	{"NIS minus", "-alice:x:1:1::/:", false, 0, ""},
	{"comment", "#alice:x:1:1::/:", false, 0, ""},
	{"control byte in the name", "al\x1b[2Jice:x:1:1::/:", false, 0, ""},
	{"DEL in the name", "al\x7fice:x:1:1::/:", false, 0, ""},
	{"two fields", "alice:x", false, 0, ""},
	{"no uid end", "alice:x:1000", false, 0, ""},
	{"empty", "", false, 0, ""},
	{"high bytes are a name", "\xc3\xa9l\xc3\xa9:x:9:9::/:", true, 9, "\xc3\xa9l\xc3\xa9"},
};
/* clang-format on */

START_TEST(test_parse_line)
{
	const struct line_case *c = &line_cases[_i];
	char name[33];
	uid_t uid = 12345;
	bool ok;

	ok = idle_passwd_parse_line(c->line, strlen(c->line), &uid, name, sizeof(name));
	ck_assert_msg(ok == c->ok, "%s: parsed %d", c->name, ok);
	if (!ok)
		return;
	ck_assert_msg(uid == c->uid, "%s: uid %u", c->name, (unsigned)uid);
	ck_assert_msg(strcmp(name, c->user) == 0, "%s: name %s", c->name, name);
}
END_TEST

static const char table[] = "root:x:0:0::/root:/bin/sh\n"
			    "# a comment\n"
			    "alice:x:1000:1000::/home/alice:/bin/sh\n"
			    "garbage line\n"
			    "alias:x:1000:1000::/:\n"
			    "zed:x:4000:4000::/:";

START_TEST(test_load_and_name)
{
	struct idle_passwd *pw = idle_passwd_new();
	char name[33];

	ck_assert_int_eq(idle_passwd_load(pw, table, strlen(table)), 0);
	ck_assert_uint_eq(idle_passwd_count(pw), 3);
	idle_passwd_name(pw, 1000, name, sizeof(name));
	ck_assert_str_eq(name, "alice"); /* the first line of a uid wins */
	idle_passwd_name(pw, 0, name, sizeof(name));
	ck_assert_str_eq(name, "root");
	idle_passwd_name(pw, 4000, name, sizeof(name));
	ck_assert_str_eq(name, "zed");
	idle_passwd_name(pw, 4001, name, sizeof(name));
	ck_assert_str_eq(name, "4001");
	idle_passwd_name(pw, 1000, name, 3);
	ck_assert_str_eq(name, "al");
	ck_assert_int_eq(idle_passwd_load(pw, "", 0), 0);
	ck_assert_uint_eq(idle_passwd_count(pw), 0);
	idle_passwd_name(pw, 0, name, sizeof(name));
	ck_assert_str_eq(name, "0");
	idle_passwd_free(pw);
	idle_passwd_free(NULL);
}
END_TEST

/* Writes dir/name with text, parents made. */
static void
write_file(const char *dir, const char *name, const char *text, time_t mtime)
{
	struct timespec times[2] = {{mtime, 0}, {mtime, 0}};
	char *path;
	FILE *f;

	fixture_file(dir, name, mtime, 0, mtime, 0);
	ck_assert(asprintf(&path, "%s/%s", dir, name) > 0);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert(fputs(text, f) >= 0);
	ck_assert(fclose(f) == 0);
	ck_assert(utimensat(AT_FDCWD, path, times, 0) == 0);
	free(path);
}

static int
open_root(const char *dir)
{
	char *path;
	int fd;

	ck_assert(asprintf(&path, "%s/root", dir) > 0);
	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	ck_assert_msg(fd >= 0, "open %s", path);
	free(path);
	return fd;
}

/* Looks uid up after a refresh; returns the refresh's result. */
static int
lookup(int root, uid_t uid, char *name, size_t size)
{
	struct idle_passwd *pw = idle_passwd_new();
	int rc = idle_passwd_refresh(pw, root);

	idle_passwd_name(pw, uid, name, size);
	idle_passwd_free(pw);
	return rc;
}

START_TEST(test_refresh_in_root)
{
	char *dir = fixture_dir(), name[33];
	struct idle_passwd *pw = idle_passwd_new();
	int root;

	write_file(dir, "root/etc/passwd", "alice:x:1000:1000::/:\n", 1000);
	root = open_root(dir);
	ck_assert_int_eq(idle_passwd_refresh(pw, root), 0);
	idle_passwd_name(pw, 1000, name, sizeof(name));
	ck_assert_str_eq(name, "alice");
	write_file(dir, "root/etc/passwd", "bobby:x:1000:1000::/:\n", 1000);
	ck_assert_int_eq(idle_passwd_refresh(pw, root), 0);
	idle_passwd_name(pw, 1000, name, sizeof(name));
	ck_assert_str_eq(name, "alice"); /* same size and mtime: the cache holds */
	write_file(dir, "root/etc/passwd", "bobby:x:1000:1000::/:\n", 2000);
	ck_assert_int_eq(idle_passwd_refresh(pw, root), 0);
	idle_passwd_name(pw, 1000, name, sizeof(name));
	ck_assert_str_eq(name, "bobby");
	fixture_unlink(dir, "root/etc/passwd");
	ck_assert_int_eq(idle_passwd_refresh(pw, root), 0);
	idle_passwd_name(pw, 1000, name, sizeof(name));
	ck_assert_str_eq(name, "1000");
	idle_passwd_free(pw);
	ck_assert(close(root) == 0);
	fixture_remove(dir);
}
END_TEST

/* Symlinks planted in the container resolve inside its root, never to the host's file. */
START_TEST(test_symlinks_stay_in_root)
{
	char *dir = fixture_dir(), *outside, name[33];
	int root;

	write_file(dir, "outside/passwd", "evil:x:4242:0::/:\n", 1000);
	write_file(dir, "root/data/passwd", "good:x:4242:0::/:\n", 1000);
	ck_assert(asprintf(&outside, "%s/outside/passwd", dir) > 0);
	mounts_symlink(dir, "root/etc/passwd", outside);
	root = open_root(dir);
	ck_assert_int_eq(lookup(root, 4242, name, sizeof(name)), 0);
	ck_assert_str_eq(name, "4242");
	fixture_unlink(dir, "root/etc/passwd");
	mounts_symlink(dir, "root/etc/passwd", "../../../../../../../../outside/passwd");
	ck_assert_int_eq(lookup(root, 4242, name, sizeof(name)), 0);
	ck_assert_str_eq(name, "4242");
	fixture_unlink(dir, "root/etc/passwd");
	mounts_symlink(dir, "root/etc/passwd", "/data/passwd");
	ck_assert_int_eq(lookup(root, 4242, name, sizeof(name)), 0);
	ck_assert_str_eq(name, "good");
	ck_assert(close(root) == 0);
	free(outside);
	fixture_remove(dir);
}
END_TEST

START_TEST(test_not_regular)
{
	char *dir = fixture_dir(), *path, name[33];
	int root;

	mounts_mkdir(dir, "root/etc/passwd");
	root = open_root(dir);
	ck_assert_int_eq(lookup(root, 0, name, sizeof(name)), EINVAL);
	ck_assert_str_eq(name, "0");
	ck_assert(asprintf(&path, "%s/root/etc/passwd", dir) > 0);
	ck_assert(rmdir(path) == 0);
	ck_assert(mkfifo(path, 0600) == 0); /* refused by its type, never opened */
	ck_assert_int_eq(lookup(root, 0, name, sizeof(name)), EINVAL);
	ck_assert(unlink(path) == 0);
	/* A device (here /dev/null's numbers): opening it would run its driver as the exporter, so
	 * it must be refused before any open; inotify sees every open of the node. */
	if (mknod(path, S_IFCHR | 0600, makedev(1, 3)) == 0) {
		int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		char ev[sizeof(struct inotify_event) + 256];

		ck_assert(in >= 0 && inotify_add_watch(in, path, IN_OPEN) >= 0);
		ck_assert_int_eq(lookup(root, 0, name, sizeof(name)), EINVAL);
		ck_assert_msg(read(in, ev, sizeof(ev)) < 0, "the device node was opened");
		ck_assert(close(in) == 0);
		ck_assert(unlink(path) == 0);
	}
	free(path);
	ck_assert(close(root) == 0);
	fixture_remove(dir);
}
END_TEST

START_TEST(test_too_large)
{
	char *dir = fixture_dir(), *big, name[33];
	size_t i, n = IDLE_PASSWD_MAX_BYTES + 1;
	int root;

	big = malloc(n + 1);
	ck_assert_ptr_nonnull(big);
	memcpy(big, "root:x:0:0::/:\n", 15);
	for (i = 15; i < n; i++)
		big[i] = '#';
	big[n] = '\0';
	write_file(dir, "root/etc/passwd", big, 1000);
	root = open_root(dir);
	ck_assert_int_eq(lookup(root, 0, name, sizeof(name)), EFBIG);
	ck_assert_str_eq(name, "0");
	big[n - 1] = '\0';
	write_file(dir, "root/etc/passwd", big, 1001);
	ck_assert_int_eq(lookup(root, 0, name, sizeof(name)), 0);
	ck_assert_str_eq(name, "root");
	free(big);
	ck_assert(close(root) == 0);
	fixture_remove(dir);
}
END_TEST

/* A magic link (/proc/self/root/...) in the container is refused, not followed to the host. */
START_TEST(test_magic_link_refused)
{
	char *dir = fixture_dir(), *target, name[33];
	int root;

	mounts_private();
	write_file(dir, "outside/passwd", "evil:x:4242:0::/:\n", 1000);
	mounts_fs(dir, "root/proc", "proc");
	ck_assert(asprintf(&target, "/proc/self/root%s/outside/passwd", dir) > 0);
	mounts_symlink(dir, "root/etc/passwd", target);
	root = open_root(dir);
	ck_assert_int_eq(lookup(root, 4242, name, sizeof(name)), ELOOP);
	ck_assert_str_eq(name, "4242");
	ck_assert(close(root) == 0);
	mounts_undo(dir, "root/proc");
	free(target);
	fixture_remove(dir);
}
END_TEST

static Suite *
passwd_suite(bool mounts)
{
	Suite *s = suite_create("passwd");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_parse_line, 0, CHECK_ROWS(line_cases));
	tcase_add_test(tc, test_load_and_name);
	suite_add_tcase(s, tc);
	tc = tcase_create("root");
	tcase_add_test(tc, test_refresh_in_root);
	tcase_add_test(tc, test_symlinks_stay_in_root);
	tcase_add_test(tc, test_not_regular);
	tcase_add_test(tc, test_too_large);
	if (mounts)
		tcase_add_test(tc, test_magic_link_refused);
	suite_add_tcase(s, tc);
	return s;
}

/* Without openat2 nothing inside a root can be checked; without mounts, the magic links. */
int
main(void)
{
	char why[128];
	bool mounts = mounts_probe(why, sizeof(why));
	int fd, rc;

	rc = idle_inroot_open(AT_FDCWD, ".", O_RDONLY | O_DIRECTORY, &fd);
	if (rc == ENOSYS) {
		printf("check_passwd: this kernel has no openat2: nothing can be read inside a "
		       "root\n");
		return 77;
	}
	if (rc == 0)
		(void)close(fd);
	rc = check_run(passwd_suite(mounts));
	if (rc == EXIT_SUCCESS && !mounts) {
		printf("check_passwd: magic-link test not run: %s\n", why);
		return 77;
	}
	return rc;
}
