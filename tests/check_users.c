/* SPDX-License-Identifier: MIT */
/* Unit tests of the passwd cache, with a counting lookup in place of the passwd database. */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check_run.h"
#include "idle_users.h"

#define NOW 1700000000L
#define OWNERS 200

/* A passwd database of uids 1000 and up named u<uid>, and names alice (uid 7) and down (EIO). */
struct fake {
	size_t by_uid;
	size_t by_name;
};

static int
fake_by_uid(void *arg, uid_t uid, char *name, size_t size)
{
	struct fake *f = arg;

	f->by_uid++;
	if (uid < 1000)
		return ESRCH;
	ck_assert((size_t)snprintf(name, size, "u%u", (unsigned)uid) < size);
	return 0;
}

static int
fake_by_name(void *arg, const char *name, uid_t *uid)
{
	struct fake *f = arg;

	f->by_name++;
	if (strcmp(name, "down") == 0)
		return EIO;
	if (strcmp(name, "alice") != 0)
		return ESRCH;
	*uid = 7;
	return 0;
}

/* A cache asking the fake database f. */
static struct idle_users *
fake_users(struct fake *f)
{
	struct idle_users_lookup lookup = {fake_by_uid, fake_by_name, f};
	struct idle_users *users = idle_users_new_lookup(&lookup);

	ck_assert_ptr_nonnull(users);
	return users;
}

/* Asks for the names of OWNERS uids at second t; checks each. */
static void
ask_all(struct idle_users *users, time_t t)
{
	struct timespec now = {t, 0};
	char name[64], want[64];
	uid_t uid;

	for (uid = 1000; uid < 1000 + OWNERS; uid++) {
		idle_users_name(users, uid, &now, name, sizeof(name));
		snprintf(want, sizeof(want), "u%u", (unsigned)uid);
		ck_assert_str_eq(name, want);
	}
}

/* 200 owners: 200 lookups at first, none for a minute, then 200 again. */
START_TEST(test_many_owners_looked_up_once_a_minute)
{
	struct fake f = {0, 0};
	struct idle_users *users = fake_users(&f);
	int i;

	ask_all(users, NOW);
	ck_assert_uint_eq(f.by_uid, OWNERS);
	for (i = 1; i < IDLE_USERS_TTL_SECONDS; i++)
		ask_all(users, NOW + i);
	ck_assert_uint_eq(f.by_uid, OWNERS);
	ask_all(users, NOW + IDLE_USERS_TTL_SECONDS);
	ck_assert_uint_eq(f.by_uid, 2 * OWNERS);
	/* A clock set back is not trusted either. */
	ask_all(users, NOW);
	ck_assert_uint_eq(f.by_uid, 3 * OWNERS);
	idle_users_free(users);
}
END_TEST

/* Across the drops of entries nobody asks for, a uid in use is still looked up once a minute. */
START_TEST(test_unused_entries_dropped)
{
	struct fake f = {0, 0};
	struct idle_users *users = fake_users(&f);
	struct timespec now = {NOW, 0};
	char name[64];
	time_t t;

	ask_all(users, NOW);
	for (t = NOW; t <= NOW + 2 * IDLE_USERS_DROP_SECONDS; t += 10) {
		now.tv_sec = t;
		idle_users_name(users, 5000, &now, name, sizeof(name));
		ck_assert_str_eq(name, "u5000");
	}
	ask_all(users, t);
	ck_assert_uint_eq(f.by_uid, 2 * OWNERS + 1 + 2 * IDLE_USERS_DROP_SECONDS / 60);
	idle_users_free(users);
}
END_TEST

/* Names: known and unknown ones cached, a failing lookup asked again; uids without a name. */
START_TEST(test_names_and_fallbacks)
{
	struct fake f = {0, 0};
	struct idle_users *users = fake_users(&f);
	struct timespec now = {NOW, 0};
	char name[8];
	uid_t uid = 0;
	int i;

	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(idle_users_uid(users, "alice", &now, &uid), 0);
		ck_assert_int_eq(uid, 7);
		ck_assert_int_eq(idle_users_uid(users, "nobody-here", &now, &uid), ESRCH);
		ck_assert_int_eq(idle_users_uid(users, "down", &now, &uid), EIO);
	}
	ck_assert_uint_eq(f.by_name, 2 + 3);
	idle_users_name(users, 42, &now, name, sizeof(name));
	ck_assert_str_eq(name, "42");
	idle_users_name(users, 1234567, &now, name, 5);
	ck_assert_str_eq(name, "u123");
	idle_users_free(users);
	ck_assert_ptr_null(idle_users_new_lookup(NULL));
	idle_users_free(NULL);
}
END_TEST

/* The C library's lookups: root is uid 0 on every system. */
START_TEST(test_system_passwd)
{
	struct idle_users *users = idle_users_new();
	struct timespec now = {NOW, 0};
	char name[64];
	uid_t uid = 1;

	ck_assert_ptr_nonnull(users);
	ck_assert_int_eq(idle_users_uid(users, "root", &now, &uid), 0);
	ck_assert_int_eq(uid, 0);
	ck_assert_int_eq(idle_users_uid(users, "idle-no-such-user", &now, &uid), ESRCH);
	idle_users_name(users, 0, &now, name, sizeof(name));
	ck_assert_str_eq(name, "root");
	idle_users_free(users);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("users");
	TCase *tc = tcase_create("users");

	tcase_add_test(tc, test_many_owners_looked_up_once_a_minute);
	tcase_add_test(tc, test_unused_entries_dropped);
	tcase_add_test(tc, test_names_and_fallbacks);
	tcase_add_test(tc, test_system_passwd);
	suite_add_tcase(s, tc);
	return check_run(s);
}
