/* SPDX-License-Identifier: MIT */
/* Unit tests of the rolling average: partial window, wrap-around, resizing. */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "check_run.h"
#include "idle_window.h"

struct window_case {
	const char *name;
	size_t size;
	double pushes[8];
	size_t npushes;
	size_t resize_to; /* 0: no resize after the pushes */
	double mean;
	size_t count;
};

static const struct window_case window_cases[] = {
	{"empty window means 0", 3, {0}, 0, 0, 0.0, 0},
	{"one value", 3, {5}, 1, 0, 5.0, 1},
	{"partial window averages what it has", 4, {1, 2, 3}, 3, 0, 2.0, 3},
	{"full window", 3, {1, 2, 3}, 3, 0, 2.0, 3},
	{"wrap-around drops the oldest", 3, {1, 2, 3, 4, 5}, 5, 0, 4.0, 3},
	{"size one keeps the last", 1, {7, 8, 9}, 3, 0, 9.0, 1},
	{"shrink keeps the newest", 4, {1, 2, 3, 4}, 4, 2, 3.5, 2},
	{"shrink after wrap keeps the newest", 3, {1, 2, 3, 4, 5}, 5, 2, 4.5, 2},
	{"grow keeps everything", 2, {1, 2, 3}, 3, 5, 2.5, 2},
	{"fractions keep precision", 2, {0.25, 0.5}, 2, 0, 0.375, 2},
};

START_TEST(test_window_cases)
{
	const struct window_case *c = &window_cases[_i];
	struct idle_window *w = idle_window_new(c->size);
	size_t i;

	ck_assert_msg(w != NULL, "%s: new", c->name);
	for (i = 0; i < c->npushes; i++)
		idle_window_push(w, c->pushes[i]);
	if (c->resize_to != 0)
		ck_assert_msg(idle_window_resize(w, c->resize_to) == 0, "%s: resize", c->name);
	ck_assert_msg(fabs(idle_window_mean(w) - c->mean) < 1e-12, "%s: mean %g, want %g", c->name,
		      idle_window_mean(w), c->mean);
	ck_assert_msg(idle_window_count(w) == c->count, "%s: count %zu, want %zu", c->name,
		      idle_window_count(w), c->count);
	idle_window_free(w);
}
END_TEST

START_TEST(test_window_grow_then_push)
{
	struct idle_window *w = idle_window_new(2);

	idle_window_push(w, 1);
	idle_window_push(w, 2);
	idle_window_push(w, 3); /* holds 2, 3 */
	ck_assert_int_eq(idle_window_resize(w, 3), 0);
	idle_window_push(w, 4); /* 2, 3, 4 */
	ck_assert_msg(fabs(idle_window_mean(w) - 3.0) < 1e-12, "mean after grow");
	idle_window_push(w, 5); /* 3, 4, 5 */
	ck_assert_msg(fabs(idle_window_mean(w) - 4.0) < 1e-12, "mean after wrap");
	idle_window_free(w);
}
END_TEST

START_TEST(test_window_rejects_zero)
{
	struct idle_window *w;

	errno = 0;
	w = idle_window_new(0);
	ck_assert_ptr_null(w);
	ck_assert_int_eq(errno, EINVAL);
	w = idle_window_new(1);
	ck_assert_int_eq(idle_window_resize(w, 0), EINVAL);
	idle_window_free(w);
	idle_window_free(NULL);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("window");
	TCase *tc = tcase_create("window");

	tcase_add_loop_test(tc, test_window_cases, 0,
			    sizeof(window_cases) / sizeof(window_cases[0]));
	tcase_add_test(tc, test_window_grow_then_push);
	tcase_add_test(tc, test_window_rejects_zero);
	suite_add_tcase(s, tc);
	return check_run(s);
}
