/* SPDX-License-Identifier: MIT */
/* Unit tests of the growable array helper. */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "check_run.h"
#include "idle_array.h"

struct item {
	int a;
	double b;
};

/* Pushed items keep their values and order across every growth. */
START_TEST(test_push_grows_and_keeps)
{
	struct item *items = NULL, it;
	size_t len = 0, cap = 0;
	int i;

	for (i = 0; i < 1000; i++) {
		it.a = i;
		it.b = i / 2.0;
		ck_assert_int_eq(idle_array_push(&items, &len, &cap, &it, sizeof(it)), 0);
		ck_assert_uint_ge(cap, len);
	}
	ck_assert_uint_eq(len, 1000);
	for (i = 0; i < 1000; i++)
		ck_assert(items[i].a == i && items[i].b == i / 2.0);
	free(items);
}
END_TEST

/* Reserve leaves a large enough array alone, and refuses a size that overflows. */
START_TEST(test_reserve_bounds)
{
	char *bytes = NULL, *kept;
	size_t cap = 0;

	ck_assert_int_eq(idle_array_reserve(&bytes, &cap, 3, 1), 0);
	ck_assert_uint_eq(cap, 8);
	kept = bytes;
	ck_assert_int_eq(idle_array_reserve(&bytes, &cap, 8, 1), 0);
	ck_assert_ptr_eq(bytes, kept);
	ck_assert_int_eq(idle_array_reserve(&bytes, &cap, 9, 1), 0);
	ck_assert_uint_eq(cap, 16);
	kept = bytes;
	ck_assert_int_eq(idle_array_reserve(&bytes, &cap, SIZE_MAX / 2, 4), ENOMEM);
	ck_assert_int_eq(idle_array_reserve(&bytes, &cap, SIZE_MAX, 1), ENOMEM);
	ck_assert_ptr_eq(bytes, kept);
	ck_assert_uint_eq(cap, 16);
	free(bytes);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("array");
	TCase *tc = tcase_create("array");

	tcase_add_test(tc, test_push_grows_and_keeps);
	tcase_add_test(tc, test_reserve_bounds);
	suite_add_tcase(s, tc);
	return check_run(s);
}
