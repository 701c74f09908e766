/* SPDX-License-Identifier: MIT */
/* Unit tests of the cgroup path parser: every runtime's and kubelet driver's form, hostile strings.
 */
#include <check.h>
#include <string.h>

#include "check_run.h"
#include "idle_cgroup.h"

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define ID2 "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
#define UID "6a1f7c9e-2b3d-4e5f-8a9b-0c1d2e3f4a5b"
#define UID_ "6a1f7c9e_2b3d_4e5f_8a9b_0c1d2e3f4a5b"
#define STATIC_UID "5d2c0f1e3b4a69788796a5b4c3d2e1f0"

struct path_case {
	const char *name;
	const char *path;
	const char *id;	 /* NULL: not a container */
	const char *uid; /* expected pod uid */
};

/* clang-format off */
static const struct path_case path_cases[] = {
	{"systemd burstable containerd",
	 "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_ ".slice/cri-containerd-" ID ".scope",
	 ID, UID},
	{"systemd besteffort crio",
	 "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_ ".slice/crio-" ID ".scope",
	 ID, UID},
	{"systemd guaranteed has no QoS slice",
	 "/kubepods.slice/kubepods-pod" UID_ ".slice/cri-containerd-" ID ".scope", ID, UID},
	{"systemd docker under kubepods",
	 "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_ ".slice/docker-" ID ".scope",
	 ID, UID},
	{"systemd static pod uid", "/kubepods.slice/kubepods-pod" STATIC_UID ".slice/crio-" ID ".scope",
	 ID, STATIC_UID},
	{"cgroupfs burstable", "/kubepods/burstable/pod" UID "/" ID, ID, UID},
	{"cgroupfs besteffort", "/kubepods/besteffort/pod" UID "/" ID, ID, UID},
	{"cgroupfs guaranteed", "/kubepods/pod" UID "/" ID, ID, UID},
	{"cgroupfs crio", "/kubepods/burstable/pod" UID "/crio-" ID, ID, UID},
	{"podman under a kubepods parent", "/kubepods/burstable/pod" UID "/libpod-" ID, ID, UID},
	{"podman systemd", "/machine.slice/libpod-" ID ".scope", ID, ""},
	{"podman systemd, container sub-cgroup", "/machine.slice/libpod-" ID ".scope/container", ID, ""},
	{"podman pod slice is no pod uid",
	 "/machine.slice/machine-libpod_pod_" ID2 ".slice/libpod-" ID ".scope", ID, ""},
	{"docker systemd", "/system.slice/docker-" ID ".scope", ID, ""},
	{"docker cgroupfs", "/docker/" ID, ID, ""},
	{"namespace-relative sibling", "/../" ID, ID, ""},
	{"namespace-relative systemd sibling", "/../cri-containerd-" ID ".scope", ID, ""},
	{"namespace-relative two up",
	 "/../../kubepods/burstable/pod" UID "/" ID, ID, UID},
	{"no leading slash", "kubepods/pod" UID "/" ID, ID, UID},
	{"doubled slashes", "//kubepods//pod" UID "//" ID "//", ID, UID},
	{"first container wins over a sub-cgroup named like another",
	 "/kubepods/pod" UID "/" ID "/docker-" ID2 ".scope", ID, UID},
	{"pod after the container is not taken", "/machine.slice/libpod-" ID ".scope/pod" UID, ID, ""},
	{"podman conmon is no container", "/machine.slice/libpod-conmon-" ID ".scope", NULL, ""},
	{"crio conmon is no container",
	 "/kubepods.slice/kubepods-pod" UID_ ".slice/crio-conmon-" ID ".scope", NULL, ""},
	{"pod alone", "/kubepods/burstable/pod" UID, NULL, ""},
	{"root", "/", NULL, ""},
	{"empty", "", NULL, ""},
	{"user session", "/user.slice/user-0.slice/session-3.scope", NULL, ""},
	{"63 hex", "/docker/" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde", NULL, ""},
	{"65 hex", "/docker/" ID "0", NULL, ""},
	{"uppercase hex",
	 "/docker/0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", NULL, ""},
	{"non-hex", "/docker/g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", NULL, ""},
	{"unknown prefix", "/system.slice/evil-" ID ".scope", NULL, ""},
	{"prefix twice", "/system.slice/docker-docker-" ID ".scope", NULL, ""},
	{"scope twice", "/system.slice/docker-" ID ".scope.scope", NULL, ""},
	{"id with a trailing space", "/docker/" ID " ", NULL, ""},
	{"slashes only", "////", NULL, ""},
	{"dots", "/../../..", NULL, ""},
	{"pod uid with underscores outside a slice", "/kubepods/pod" UID_ "/" ID, ID, ""},
	{"slice uid with dashes", "/kubepods.slice/kubepods-pod" UID ".slice/crio-" ID ".scope", ID, ""},
	{"short pod uid", "/kubepods/pod6a1f7c9e-2b3d-4e5f-8a9b/" ID, ID, ""},
	{"pod uid with dashes misplaced", "/kubepods/pod6a1f7c9e2-b3d-4e5f-8a9b-0c1d2e3f4a5b/" ID, ID, ""},
	{"unknown QoS slice", "/kubepods.slice/kubepods-gold-pod" UID_ ".slice/crio-" ID ".scope", ID, ""},
};
/* clang-format on */

START_TEST(test_parse_path)
{
	const struct path_case *c = &path_cases[_i];
	struct idle_cgroup_ids ids;
	bool ok;

	memset(&ids, 'X', sizeof(ids));
	ok = idle_cgroup_parse_path(c->path, strlen(c->path), &ids);
	ck_assert_msg(ok == (c->id != NULL), "%s: parsed %d", c->name, ok);
	if (!ok)
		return;
	ck_assert_msg(strcmp(ids.container_id, c->id) == 0, "%s: id %s", c->name, ids.container_id);
	ck_assert_msg(strcmp(ids.pod_uid, c->uid) == 0, "%s: uid '%s'", c->name, ids.pod_uid);
}
END_TEST

/* Only the first len bytes count: a path is not NUL-terminated in a /proc line. */
START_TEST(test_parse_path_len)
{
	const char *path = "/docker/" ID "/more";
	struct idle_cgroup_ids ids;

	ck_assert(idle_cgroup_parse_path(path, strlen(path), &ids));
	ck_assert(!idle_cgroup_parse_path(path, 8 + 63, &ids));
	ck_assert(idle_cgroup_parse_path(path, 8 + 64, &ids));
	ck_assert_str_eq(ids.container_id, ID);
}
END_TEST

START_TEST(test_parse_embedded_nul)
{
	static const char path[] = "/docker/0123456789abcdef\0"
				   "0123456789abcdef0123456789abcdef0123456789abcde";
	struct idle_cgroup_ids ids;

	ck_assert(!idle_cgroup_parse_path(path, sizeof(path) - 1, &ids));
}
END_TEST

struct file_case {
	const char *name;
	const char *text;
	const char *id;
	const char *uid;
};

/* clang-format off */
static const struct file_case file_cases[] = {
	{"v2 only", "0::/kubepods/burstable/pod" UID "/" ID "\n", ID, UID},
	{"hybrid: v2 line wins over v1 lines",
	 "12:memory:/docker/" ID2 "\n1:name=systemd:/docker/" ID2 "\n0::/system.slice/docker-" ID ".scope\n",
	 ID, ""},
	{"hybrid, v2 line not a container: a v1 line decides",
	 "12:pids:/kubepods/pod" UID "/" ID "\n1:name=systemd:/kubepods/pod" UID "/" ID "\n0::/\n", ID, UID},
	{"v1 without v2", "11:cpu,cpuacct:/kubepods/besteffort/pod" UID "/" ID "\n", ID, UID},
	{"no final newline", "0::/docker/" ID, ID, ""},
	{"colon inside the path", "0::/weird:name/docker/" ID "\n", ID, ""},
	{"host process", "0::/user.slice/user-0.slice/session-1.scope\n", NULL, ""},
	{"cgroup namespace root", "0::/\n", NULL, ""},
	{"empty", "", NULL, ""},
	{"garbage", "no colons here " ID "\n::\n:\n", NULL, ""},
	{"v2 marker with controllers is v1", "0:memory:/docker/" ID "\n", ID, ""},
	{"one colon only", "0:/docker/" ID "\n", NULL, ""},
	{"CR line end", "0::/docker/" ID "\r\n", NULL, ""},
};
/* clang-format on */

START_TEST(test_parse_file)
{
	const struct file_case *c = &file_cases[_i];
	struct idle_cgroup_ids ids;
	bool ok;

	ok = idle_cgroup_parse_file(c->text, strlen(c->text), &ids);
	ck_assert_msg(ok == (c->id != NULL), "%s: parsed %d", c->name, ok);
	if (!ok)
		return;
	ck_assert_msg(strcmp(ids.container_id, c->id) == 0, "%s: id %s", c->name, ids.container_id);
	ck_assert_msg(strcmp(ids.pod_uid, c->uid) == 0, "%s: uid '%s'", c->name, ids.pod_uid);
}
END_TEST

static Suite *
cgroup_suite(void)
{
	Suite *s = suite_create("cgroup");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_parse_path, 0, CHECK_ROWS(path_cases));
	tcase_add_test(tc, test_parse_path_len);
	tcase_add_test(tc, test_parse_embedded_nul);
	tcase_add_loop_test(tc, test_parse_file, 0, CHECK_ROWS(file_cases));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(cgroup_suite());
}
