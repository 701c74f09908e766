/* SPDX-License-Identifier: MIT */
/* Runs a Check suite and turns its result into the test program's exit status. */
#ifndef IDLE_CHECK_RUN_H
#define IDLE_CHECK_RUN_H

#include <check.h>
#include <stdlib.h>

/* The number of rows of a case table, for tcase_add_loop_test. */
#define CHECK_ROWS(table) ((int)(sizeof(table) / sizeof((table)[0])))

/* Runs every test of s (which it frees) and returns EXIT_SUCCESS when none failed. */
static inline int
check_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
