/* SPDX-License-Identifier: MIT */
/* Unit tests of kubelet's log-dir names: the name parser, and the map a directory scan builds. */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_run.h"
#include "fixture.h"
#include "idle_podlog.h"

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define ID2 "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
#define L63 "a23456789012345678901234567890123456789012345678901234567890123"
#define L64 L63 "4"

struct name_case {
	const char *name;
	const char *file;
	const char *ns, *pod, *container; /* ns NULL: malformed */
};

/* clang-format off */
static const struct name_case name_cases[] = {
	{"plain", "web-0_default_nginx-" ID ".log", "default", "web-0", "nginx"},
	{"dots in the pod name", "coredns-5d78c9869d-x.y.z_kube-system_coredns-" ID ".log",
	 "kube-system", "coredns-5d78c9869d-x.y.z", "coredns"},
	{"dashes everywhere", "a-b-c_d-e-f_g-h-i-" ID ".log", "d-e-f", "a-b-c", "g-h-i"},
	{"single characters", "p_n_c-" ID ".log", "n", "p", "c"},
	{"digits first", "0pod_1ns_2c-" ID ".log", "1ns", "0pod", "2c"},
	{"63-byte namespace and container", "p_" L63 "_" L63 "-" ID ".log", L63, "p", L63},
	{"long dotted pod name", L63 "." L63 "." L63 "_ns_c-" ID ".log", "ns", L63 "." L63 "." L63, "c"},
	{"container name ending in a hex-like word", "p_n_c-abc-" ID ".log", "n", "p", "c-abc"},
	{"64-byte namespace", "p_" L64 "_c-" ID ".log", NULL, NULL, NULL},
	{"64-byte container", "p_n_" L64 "-" ID ".log", NULL, NULL, NULL},
	{"a dot in the namespace", "p_a.b_c-" ID ".log", NULL, NULL, NULL},
	{"a dot in the container", "p_n_c.d-" ID ".log", NULL, NULL, NULL},
	{"an underscore too many", "p_n_c_d-" ID ".log", NULL, NULL, NULL},
	{"an underscore too few", "p_c-" ID ".log", NULL, NULL, NULL},
	{"no underscores", "pnc-" ID ".log", NULL, NULL, NULL},
	{"empty pod", "_n_c-" ID ".log", NULL, NULL, NULL},
	{"empty namespace", "p__c-" ID ".log", NULL, NULL, NULL},
	{"empty container", "p_n_-" ID ".log", NULL, NULL, NULL},
	{"uppercase", "Web_default_nginx-" ID ".log", NULL, NULL, NULL},
	{"pod name ending in a dash", "web-_default_nginx-" ID ".log", NULL, NULL, NULL},
	{"pod name with an empty label", "a..b_default_nginx-" ID ".log", NULL, NULL, NULL},
	{"pod name ending in a dot", "a._default_nginx-" ID ".log", NULL, NULL, NULL},
	{"container starting with a dash", "p_n_-c-" ID ".log", NULL, NULL, NULL},
	{"short id", "p_n_c-" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde" ".log",
	 NULL, NULL, NULL},
	{"uppercase id", "p_n_c-" "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef" ".log",
	 NULL, NULL, NULL},
	{"no dash before the id", "p_n_c" ID ".log", NULL, NULL, NULL},
	{"other suffix", "p_n_c-" ID ".txt", NULL, NULL, NULL},
	{"rotated", "p_n_c-" ID ".log.1", NULL, NULL, NULL},
	{"id only", ID ".log", NULL, NULL, NULL},
	{"dash and id only", "-" ID ".log", NULL, NULL, NULL},
	{"dot entry", ".", NULL, NULL, NULL},
	{"empty", "", NULL, NULL, NULL},
	{"a slash", "p_n/x_c-" ID ".log", NULL, NULL, NULL},
	{"a space", "p_n_c d-" ID ".log", NULL, NULL, NULL},
	{"a high byte", "p_n_c\xc3\xa9-" ID ".log", NULL, NULL, NULL},
};
/* clang-format on */

START_TEST(test_parse)
{
	const struct name_case *c = &name_cases[_i];
	struct idle_podlog_names names;
	char id[IDLE_CONTAINER_ID_LEN + 1];
	bool ok;

	ok = idle_podlog_parse(c->file, id, &names);
	ck_assert_msg(ok == (c->ns != NULL), "%s: parsed %d", c->name, ok);
	if (!ok)
		return;
	ck_assert_msg(strcmp(id, ID) == 0, "%s: id %s", c->name, id);
	ck_assert_msg(strcmp(names.namespace_name, c->ns) == 0, "%s: ns %s", c->name,
		      names.namespace_name);
	ck_assert_msg(strcmp(names.pod, c->pod) == 0, "%s: pod %s", c->name, names.pod);
	ck_assert_msg(strcmp(names.container, c->container) == 0, "%s: container %s", c->name,
		      names.container);
}
END_TEST

/* Plants a symlink as kubelet does; its target does not exist, so following it would fail. */
static void
plant(const char *dir, const char *name)
{
	char *path;

	ck_assert(asprintf(&path, "%s/%s", dir, name) > 0);
	ck_assert_msg(symlink("/nonexistent/pods/x/0.log", path) == 0, "symlink %s", path);
	free(path);
}

/* Sets the directory's mtime, so the tests decide when it last changed. */
static void
set_mtime(const char *dir, time_t t)
{
	struct timespec times[2] = {{t, 0}, {t, 0}};

	ck_assert(utimensat(AT_FDCWD, dir, times, 0) == 0);
}

START_TEST(test_scan)
{
	char *dir = fixture_dir();
	struct idle_podlog *log = idle_podlog_new(dir);
	struct timespec now = {1000000, 0};
	const struct idle_podlog_names *n;

	ck_assert_ptr_nonnull(log);
	plant(dir, "web-0_default_nginx-" ID ".log");
	plant(dir, "db.x_prod_pg-" ID2 ".log");
	plant(dir, "garbage");
	plant(dir, "p_n_c_d-" ID ".log");
	set_mtime(dir, 500000);
	ck_assert_int_eq(idle_podlog_refresh(log, &now), 0);
	ck_assert_uint_eq(idle_podlog_count(log), 2);
	n = idle_podlog_find(log, ID);
	ck_assert_ptr_nonnull(n);
	ck_assert_str_eq(n->pod, "web-0");
	ck_assert_str_eq(n->namespace_name, "default");
	ck_assert_str_eq(n->container, "nginx");
	n = idle_podlog_find(log, ID2);
	ck_assert_ptr_nonnull(n);
	ck_assert_str_eq(n->pod, "db.x");
	ck_assert_ptr_null(idle_podlog_find(log, "0123"));
	ck_assert_ptr_null(idle_podlog_find(log, ID "0"));
	idle_podlog_free(log);
	fixture_remove(dir);
}
END_TEST

/* A changed directory is read again; an unchanged one is not (a name planted while the mtime is
 * held back stays unseen), unless the last read came close to the mtime. */
START_TEST(test_rescan_on_mtime)
{
	char *dir = fixture_dir();
	struct idle_podlog *log = idle_podlog_new(dir);
	struct timespec now = {1000000, 0};

	plant(dir, "a_n_c-" ID ".log");
	set_mtime(dir, 500000);
	ck_assert_int_eq(idle_podlog_refresh(log, &now), 0);
	ck_assert_uint_eq(idle_podlog_count(log), 1);
	plant(dir, "b_n_c-" ID2 ".log");
	set_mtime(dir, 500000);
	ck_assert_int_eq(idle_podlog_refresh(log, &now), 0);
	ck_assert_uint_eq(idle_podlog_count(log), 1);
	set_mtime(dir, 500001);
	ck_assert_int_eq(idle_podlog_refresh(log, &now), 0);
	ck_assert_uint_eq(idle_podlog_count(log), 2);
	ck_assert_ptr_nonnull(idle_podlog_find(log, ID2));
	fixture_unlink(dir, "a_n_c-" ID ".log");
	set_mtime(dir, 999999); /* within two seconds of now: the next refresh reads again */
	ck_assert_int_eq(idle_podlog_refresh(log, &now), 0);
	ck_assert_uint_eq(idle_podlog_count(log), 1);
	plant(dir, "a_n_c-" ID ".log");
	set_mtime(dir, 999999);
	ck_assert_int_eq(idle_podlog_refresh(log, &now), 0);
	ck_assert_uint_eq(idle_podlog_count(log), 2);
	idle_podlog_free(log);
	fixture_remove(dir);
}
END_TEST

START_TEST(test_missing_dir)
{
	char *dir = fixture_dir(), *missing;
	struct timespec now = {1000000, 0};
	struct idle_podlog *log;

	ck_assert(asprintf(&missing, "%s/none", dir) > 0);
	log = idle_podlog_new(missing);
	ck_assert_int_eq(idle_podlog_refresh(log, &now), 0);
	ck_assert_uint_eq(idle_podlog_count(log), 0);
	ck_assert_ptr_null(idle_podlog_find(log, ID));
	ck_assert(mkdir(missing, 0755) == 0);
	plant(missing, "a_n_c-" ID ".log");
	ck_assert_int_eq(idle_podlog_refresh(log, &now), 0);
	ck_assert_uint_eq(idle_podlog_count(log), 1);
	idle_podlog_free(log);
	free(missing);
	fixture_remove(dir);
}
END_TEST

START_TEST(test_not_a_dir)
{
	char *dir = fixture_dir(), *file;
	struct timespec now = {1000000, 0};
	struct idle_podlog *log;

	fixture_file(dir, "f", 1, 0, 1, 0);
	ck_assert(asprintf(&file, "%s/f", dir) > 0);
	log = idle_podlog_new(file);
	ck_assert_int_eq(idle_podlog_refresh(log, &now), ENOTDIR);
	ck_assert_uint_eq(idle_podlog_count(log), 0);
	idle_podlog_free(log);
	idle_podlog_free(NULL);
	free(file);
	fixture_remove(dir);
}
END_TEST

static Suite *
podlog_suite(void)
{
	Suite *s = suite_create("podlog");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_parse, 0, CHECK_ROWS(name_cases));
	suite_add_tcase(s, tc);
	tc = tcase_create("scan");
	tcase_add_test(tc, test_scan);
	tcase_add_test(tc, test_rescan_on_mtime);
	tcase_add_test(tc, test_missing_dir);
	tcase_add_test(tc, test_not_a_dir);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(podlog_suite());
}
