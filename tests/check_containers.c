/* SPDX-License-Identifier: MIT */
/* Unit tests of container discovery on fake cgroup and proc trees whose roots hold real mounts. */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "check_mounts.h"
#include "check_run.h"
#include "fixture.h"
#include "idle_containers.h"
#include "idle_defaults.h"
#include "idle_inroot.h"

#define ID1 "1111111111111111111111111111111111111111111111111111111111111111"
#define ID2 "2222222222222222222222222222222222222222222222222222222222222222"
#define ID3 "3333333333333333333333333333333333333333333333333333333333333333"
#define UID "6a1f7c9e-2b3d-4e5f-8a9b-0c1d2e3f4a5b"

/* A fixture: T/cg (cgroup tree), T/proc, T/log, and T/roots/NAME (container roots). */
struct fx {
	char *dir;
	char cg[512], proc[512], log[512];
	struct idle_containers_config config;
	struct idle_containers *set;
};

static void
fx_write(const char *dir, const char *name, const char *text)
{
	char *path;
	FILE *f;

	fixture_file(dir, name, 1, 0, 1, 0);
	ck_assert(asprintf(&path, "%s/%s", dir, name) > 0);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert(fputs(text, f) >= 0);
	ck_assert(fclose(f) == 0);
	free(path);
}

/* Sets up the fixture in a private mount namespace. */
static void
fx_init(struct fx *fx)
{
	memset(fx, 0, sizeof(*fx));
	mounts_private();
	fx->dir = fixture_dir();
	/* one tmpfs holds the whole fixture, so one detach ends every mount made inside it */
	ck_assert(mount("tmpfs", fx->dir, "tmpfs", 0, NULL) == 0);
	snprintf(fx->cg, sizeof(fx->cg), "%s/cg", fx->dir);
	snprintf(fx->proc, sizeof(fx->proc), "%s/proc", fx->dir);
	snprintf(fx->log, sizeof(fx->log), "%s/log", fx->dir);
	mounts_mkdir(fx->dir, "cg");
	mounts_mkdir(fx->dir, "proc");
	mounts_mkdir(fx->dir, "log");
	fx->config.cgroup_dir = fx->cg;
	fx->config.proc_dir = fx->proc;
	fx->config.log_dir = fx->log;
}

/* A container: cgroup cgpath holding pid, whose /proc/PID/cgroup says cgline and whose root is
 * T/roots/root (made, empty). */
static void
fx_container(struct fx *fx, const char *cgpath, int pid, const char *cgline, const char *root)
{
	char name[600], text[600], target[600];

	snprintf(name, sizeof(name), "cg%s/cgroup.procs", cgpath);
	snprintf(text, sizeof(text), "%d\n%d\n", pid, pid + 1000);
	fx_write(fx->dir, name, text);
	snprintf(name, sizeof(name), "proc/%d/cgroup", pid);
	snprintf(text, sizeof(text), "%s\n", cgline);
	fx_write(fx->dir, name, text);
	snprintf(name, sizeof(name), "roots/%s", root);
	mounts_mkdir(fx->dir, name);
	snprintf(name, sizeof(name), "proc/%d/root", pid);
	snprintf(target, sizeof(target), "%s/roots/%s", fx->dir, root);
	mounts_symlink(fx->dir, name, target);
}

/* Mounts fstype on T/roots/root/path. */
static void
fx_mount(struct fx *fx, const char *root, const char *path, const char *fstype)
{
	char name[600];

	snprintf(name, sizeof(name), "roots/%s/%s", root, path);
	mounts_fs(fx->dir, name, fstype);
}

static void
fx_new(struct fx *fx)
{
	fx->set = idle_containers_new(&fx->config);
	ck_assert_ptr_nonnull(fx->set);
}

static int
fx_walk(struct fx *fx)
{
	struct timespec now = {1000000, 0};

	return idle_containers_walk(fx->set, &now);
}

/* Returns the kept container id, or NULL. */
static const struct idle_container *
fx_find(const struct fx *fx, const char *id)
{
	const struct idle_container *c;
	size_t i;

	for (i = 0; i < idle_containers_count(fx->set); i++) {
		c = idle_containers_get(fx->set, i);
		if (strcmp(c->id, id) == 0)
			return c;
	}
	return NULL;
}

/* st_dev of T/roots/root/path. */
static dev_t
fx_dev(const struct fx *fx, const char *root, const char *path)
{
	char name[600];
	struct stat st;

	snprintf(name, sizeof(name), "%s/roots/%s/%s", fx->dir, root, path);
	ck_assert_msg(stat(name, &st) == 0, "stat %s", name);
	return st.st_dev;
}

static bool
is_devpts_fd(int fd)
{
	struct statfs sfs;

	return fstatfs(fd, &sfs) == 0 && sfs.f_type == DEVPTS_SUPER_MAGIC;
}

/* Frees the set, detaches the fixture's tmpfs (with every mount inside it) and removes it. */
static void
fx_done(struct fx *fx)
{
	idle_containers_free(fx->set);
	ck_assert(umount2(fx->dir, MNT_DETACH) == 0);
	fixture_remove(fx->dir);
}

/* Counts the entries of c's devpts (but . and ..), read through idle_container_open_pts. */
static int
pts_names(const struct idle_container *c)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	ck_assert_int_eq(idle_container_open_pts(c, &d), 0);
	while ((de = readdir(d)) != NULL)
		n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	ck_assert(closedir(d) == 0);
	return n;
}

/* A name that kubelet links after the container was found is picked up by the next walk. */
START_TEST(test_names_later)
{
	const struct idle_container *c;
	struct fx fx;

	fx_init(&fx);
	fx_container(&fx, "/kubepods/pod" UID "/" ID1, 101, "0::/kubepods/pod" UID "/" ID1, "c1");
	fx_mount(&fx, "c1", "dev/pts", "devpts");
	fx_new(&fx);
	ck_assert_int_eq(fx_walk(&fx), 0);
	c = fx_find(&fx, ID1);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->pod, "");
	mounts_symlink(fx.log, "db-1_prod_pg-" ID1 ".log", "/var/log/pods/x/pg/0.log");
	ck_assert_int_eq(fx_walk(&fx), 0);
	c = fx_find(&fx, ID1);
	ck_assert_str_eq(c->namespace_name, "prod");
	ck_assert_str_eq(c->pod, "db-1");
	ck_assert_str_eq(c->container, "pg");
	fx_done(&fx);
}
END_TEST

/* Two containers of the usual forms, conmon and a service beside them: the two are kept with
 * their ids, pod uid, names, own devpts and own passwd. */
START_TEST(test_discover)
{
	const struct idle_container *c1, *c2;
	char name[33];
	struct fx fx;

	fx_init(&fx);
	fx_container(&fx, "/kubepods/burstable/pod" UID "/" ID1, 101,
		     "0::/kubepods/burstable/pod" UID "/" ID1, "c1");
	fx_mount(&fx, "c1", "dev/pts", "devpts");
	fx_write(fx.dir, "roots/c1/etc/passwd", "root:x:0:0::/:\nalice:x:1000:1000::/:\n");
	fx_container(&fx, "/machine.slice/libpod-" ID2 ".scope", 102,
		     "0::/machine.slice/libpod-" ID2 ".scope", "c2");
	fx_mount(&fx, "c2", "dev/pts", "devpts");
	fx_write(fx.dir, "cg/machine.slice/libpod-conmon-" ID2 ".scope/cgroup.procs", "103\n");
	fx_write(fx.dir, "cg/system.slice/ssh.service/cgroup.procs", "1\n");
	mounts_symlink(fx.log, "web-0_default_nginx-" ID1 ".log", "/var/log/pods/x/nginx/0.log");
	fx_new(&fx);
	ck_assert_int_eq(fx_walk(&fx), 0);
	ck_assert_uint_eq(idle_containers_count(fx.set), 2);
	ck_assert(idle_containers_status(fx.set)->tree_found);
	ck_assert(!idle_containers_status(fx.set)->proc_fallback);
	ck_assert_uint_eq(idle_containers_status(fx.set)->refused, 0);
	c1 = fx_find(&fx, ID1);
	c2 = fx_find(&fx, ID2);
	ck_assert_ptr_nonnull(c1);
	ck_assert_ptr_nonnull(c2);
	ck_assert_str_eq(c1->pod_uid, UID);
	ck_assert_str_eq(c1->namespace_name, "default");
	ck_assert_str_eq(c1->pod, "web-0");
	ck_assert_str_eq(c1->container, "nginx");
	ck_assert_int_eq(c1->pid, 101);
	ck_assert_str_eq(c2->pod_uid, "");
	ck_assert_str_eq(c2->pod, "");
	ck_assert(is_devpts_fd(c1->pts_fd) && is_devpts_fd(c2->pts_fd));
	ck_assert(c1->pts_dev == fx_dev(&fx, "c1", "dev/pts"));
	ck_assert(c2->pts_dev == fx_dev(&fx, "c2", "dev/pts"));
	idle_container_user(c1, 1000, name, sizeof(name));
	ck_assert_str_eq(name, "alice");
	idle_container_user(c2, 1000, name, sizeof(name));
	ck_assert_str_eq(name, "1000");
	ck_assert_msg(pts_names(c1) == 1, "c1 lists only its ptmx");
	ck_assert(strcmp(idle_containers_get(fx.set, 0)->id, idle_containers_get(fx.set, 1)->id) <
		  0);
	ck_assert_ptr_null(idle_containers_get(fx.set, 2));
	fx_done(&fx);
}
END_TEST

/* A cgroup a user made in a subtree systemd delegated to them, named like a container, is not
 * taken for one: runtimes run as root. */
START_TEST(test_user_made_cgroup)
{
	char path[700];
	struct fx fx;

	fx_init(&fx);
	fx_container(&fx, "/user.slice/user-1000.slice/user@1000.service/docker-" ID1 ".scope", 101,
		     "0::/user.slice/user-1000.slice/user@1000.service/docker-" ID1 ".scope", "c1");
	fx_mount(&fx, "c1", "dev/pts", "devpts");
	snprintf(path, sizeof(path),
		 "%s/cg/user.slice/user-1000.slice/user@1000.service/docker-" ID1 ".scope", fx.dir);
	ck_assert(chown(path, 1000, 1000) == 0);
	fx_new(&fx);
	ck_assert_int_eq(fx_walk(&fx), 0);
	ck_assert_uint_eq(idle_containers_count(fx.set), 0);
	ck_assert(chown(path, 0, 0) == 0);
	ck_assert_int_eq(fx_walk(&fx), 0);
	ck_assert_uint_eq(idle_containers_count(fx.set), 1);
	fx_done(&fx);
}
END_TEST

/* A container that comes is kept on the next walk; one that goes is dropped, its fds closed. */
START_TEST(test_come_and_go)
{
	const struct idle_container *c;
	struct fx fx;
	int pts_fd, root_fd;
	char path[600];

	fx_init(&fx);
	fx_container(&fx, "/docker/" ID1, 101, "0::/docker/" ID1, "c1");
	fx_mount(&fx, "c1", "dev/pts", "devpts");
	fx_new(&fx);
	ck_assert_int_eq(fx_walk(&fx), 0);
	ck_assert_uint_eq(idle_containers_count(fx.set), 1);
	fx_container(&fx, "/docker/" ID2, 102, "0::/docker/" ID2, "c2");
	fx_mount(&fx, "c2", "dev/pts", "devpts");
	ck_assert_int_eq(fx_walk(&fx), 0);
	ck_assert_uint_eq(idle_containers_count(fx.set), 2);
	c = fx_find(&fx, ID1);
	pts_fd = c->pts_fd;
	root_fd = c->root_fd;
	snprintf(path, sizeof(path), "%s/docker/" ID1 "/cgroup.procs", fx.cg);
	ck_assert(unlink(path) == 0);
	snprintf(path, sizeof(path), "%s/docker/" ID1, fx.cg);
	ck_assert(rmdir(path) == 0);
	ck_assert_int_eq(fx_walk(&fx), 0);
	ck_assert_uint_eq(idle_containers_count(fx.set), 1);
	ck_assert_ptr_null(fx_find(&fx, ID1));
	ck_assert_ptr_nonnull(fx_find(&fx, ID2));
	ck_assert(fcntl(pts_fd, F_GETFD) == -1 && errno == EBADF);
	ck_assert(fcntl(root_fd, F_GETFD) == -1 && errno == EBADF);
	fx_done(&fx);
}
END_TEST

/* refresh walks on the first call, then only once rediscover_seconds have passed (or the clock
 * went back). */
START_TEST(test_refresh_interval)
{
	struct timespec t = {1000, 0};
	struct fx fx;

	fx_init(&fx);
	fx.config.rediscover_seconds = 5;
	fx_new(&fx);
	ck_assert_int_eq(idle_containers_refresh(fx.set, &t), 0);
	ck_assert_uint_eq(idle_containers_count(fx.set), 0);
	fx_container(&fx, "/docker/" ID1, 101, "0::/docker/" ID1, "c1");
	fx_mount(&fx, "c1", "dev/pts", "devpts");
	t.tv_sec = 1004;
	ck_assert_int_eq(idle_containers_refresh(fx.set, &t), 0);
	ck_assert_uint_eq(idle_containers_count(fx.set), 0);
	t.tv_sec = 1005;
	ck_assert_int_eq(idle_containers_refresh(fx.set, &t), 0);
	ck_assert_uint_eq(idle_containers_count(fx.set), 1);
	fx_write(fx.dir, "cg/docker/" ID1 "/cgroup.procs", "");
	fx_write(fx.dir, "proc/101/cgroup", "0::/\n"); /* pid 101 left; not refused, just none */
	t.tv_sec = 900;
	ck_assert_int_eq(idle_containers_refresh(fx.set, &t), 0);
	ck_assert_uint_eq(idle_containers_count(fx.set), 1); /* known: kept while its cgroup is */
	fx_done(&fx);
}
END_TEST

/* A container's passwd file is looked at when it is found, then again only once
 * IDLE_NAMES_TTL_SECONDS have passed (or the clock went back): two path walks inside its root
 * per container, which every 5-second walk would repeat for nothing. */
START_TEST(test_passwd_interval)
{
	const struct idle_container *c;
	struct timespec t = {1000, 0};
	char name[33];
	struct fx fx;

	fx_init(&fx);
	fx_container(&fx, "/docker/" ID1, 101, "0::/docker/" ID1, "c1");
	fx_mount(&fx, "c1", "dev/pts", "devpts");
	fx_write(fx.dir, "roots/c1/etc/passwd", "alice:x:1000:1000::/:\n");
	fx_new(&fx);
	ck_assert_int_eq(idle_containers_walk(fx.set, &t), 0);
	c = fx_find(&fx, ID1);
	idle_container_user(c, 1000, name, sizeof(name));
	ck_assert_str_eq(name, "alice");
	fx_write(fx.dir, "roots/c1/etc/passwd", "bob:x:1000:1000::/:\n");
	t.tv_sec += IDLE_NAMES_TTL_SECONDS - 1;
	ck_assert_int_eq(idle_containers_walk(fx.set, &t), 0);
	idle_container_user(fx_find(&fx, ID1), 1000, name, sizeof(name));
	ck_assert_str_eq(name, "alice");
	t.tv_sec += 1;
	ck_assert_int_eq(idle_containers_walk(fx.set, &t), 0);
	idle_container_user(fx_find(&fx, ID1), 1000, name, sizeof(name));
	ck_assert_str_eq(name, "bob");
	fx_write(fx.dir, "roots/c1/etc/passwd", "carol:x:1000:1000::/:\n");
	t.tv_sec -= 10;
	ck_assert_int_eq(idle_containers_walk(fx.set, &t), 0);
	idle_container_user(fx_find(&fx, ID1), 1000, name, sizeof(name));
	ck_assert_str_eq(name, "carol");
	fx_done(&fx);
}
END_TEST

/* Many containers, found in reverse order, some gone and some new at the next walk: each is
 * kept once, in id order (the walk looks known ones up by binary search). */
START_TEST(test_many)
{
	enum { MANY = 12 };
	char id[MANY + 3][IDLE_CONTAINER_ID_LEN + 1], cg[1200], line[1200], root[16];
	const struct idle_container *c;
	struct fx fx;
	size_t i;

	fx_init(&fx);
	for (i = 0; i < MANY + 3; i++)
		snprintf(id[i], sizeof(id[i]), "%064zx", (MANY + 3 - i) * 0x1111);
	for (i = 0; i < MANY + 3; i++) {
		snprintf(cg, sizeof(cg), "/docker/%s", id[i]);
		snprintf(line, sizeof(line), "0::/docker/%s", id[i]);
		snprintf(root, sizeof(root), "m%zu", i);
		if (i == MANY) { /* the rest come after the first walk */
			fx_new(&fx);
			ck_assert_int_eq(fx_walk(&fx), 0);
			ck_assert_uint_eq(idle_containers_count(fx.set), MANY);
		}
		fx_container(&fx, cg, (int)(200 + i), line, root);
		fx_mount(&fx, root, "dev/pts", "devpts");
	}
	for (i = 3; i < 5; i++) {
		snprintf(cg, sizeof(cg), "%s/docker/%s/cgroup.procs", fx.cg, id[i]);
		ck_assert(unlink(cg) == 0);
		snprintf(cg, sizeof(cg), "%s/docker/%s", fx.cg, id[i]);
		ck_assert(rmdir(cg) == 0);
	}
	ck_assert_int_eq(fx_walk(&fx), 0);
	ck_assert_int_eq(fx_walk(&fx), 0);
	ck_assert_uint_eq(idle_containers_count(fx.set), MANY + 1);
	for (i = 0; i < MANY + 3; i++)
		ck_assert((fx_find(&fx, id[i]) == NULL) == (i == 3 || i == 4));
	for (i = 1; i < MANY + 1; i++) {
		c = idle_containers_get(fx.set, i);
		ck_assert(strcmp(idle_containers_get(fx.set, i - 1)->id, c->id) < 0);
	}
	fx_done(&fx);
}
END_TEST

/* Hostile containers: each plants something in its root (roots/h) in place of its devpts. */
struct hostile_case {
	const char *name;
	void (*plant)(struct fx *fx);
	int refusal, or_refusal; /* 0: kept */
	const char *kept_path;	 /* when kept: the path in roots/h whose device it must be */
};

static void
plant_etc_dir(struct fx *fx)
{
	mounts_mkdir(fx->dir, "roots/h/etc");
	mounts_symlink(fx->dir, "roots/h/dev/pts", "/etc");
}

static void
plant_etc_devpts(struct fx *fx)
{
	fx_mount(fx, "h", "etc", "devpts");
	mounts_symlink(fx->dir, "roots/h/dev/pts", "/etc");
}

static void
plant_host_absolute(struct fx *fx)
{
	char target[600];

	snprintf(target, sizeof(target), "%s/hostpts", fx->dir);
	mounts_symlink(fx->dir, "roots/h/dev/pts", target);
}

static void
plant_host_relative(struct fx *fx)
{
	char target[800];

	snprintf(target, sizeof(target), "../../../../../../../../../../%s/hostpts", fx->dir + 1);
	mounts_symlink(fx->dir, "roots/h/dev/pts", target);
}

static void
plant_magic_link(struct fx *fx)
{
	fx_mount(fx, "h", "proc", "proc");
	mounts_symlink(fx->dir, "roots/h/dev/pts", "/proc/1/root/dev/pts");
}

static void
plant_self_root_link(struct fx *fx)
{
	char target[800];

	fx_mount(fx, "h", "proc", "proc");
	snprintf(target, sizeof(target), "/proc/self/root%s/hostpts", fx->dir);
	mounts_symlink(fx->dir, "roots/h/dev/pts", target);
}

static void
plant_tmpfs(struct fx *fx)
{
	fx_mount(fx, "h", "dev/pts", "tmpfs");
	fx_write(fx->dir, "roots/h/dev/pts/0", "");
	fx_write(fx->dir, "roots/h/dev/pts/ptmx", "");
}

static void
plant_plain_dir(struct fx *fx)
{
	mounts_mkdir(fx->dir, "roots/h/dev/pts");
	fx_write(fx->dir, "roots/h/dev/pts/0", "");
}

static void
plant_nothing(struct fx *fx)
{
	(void)fx;
}

static void
plant_file(struct fx *fx)
{
	fx_write(fx->dir, "roots/h/dev/pts", "");
}

static void
plant_host_bind(struct fx *fx)
{
	char from[600], to[600];

	mounts_mkdir(fx->dir, "roots/h/dev/pts");
	snprintf(from, sizeof(from), "%s/hostpts", fx->dir);
	snprintf(to, sizeof(to), "%s/roots/h/dev/pts", fx->dir);
	ck_assert(mount(from, to, NULL, MS_BIND, NULL) == 0);
}

static void
plant_reused_by_other(struct fx *fx)
{
	fx_mount(fx, "h", "dev/pts", "devpts");
	fx_write(fx->dir, "proc/101/cgroup", "0::/docker/" ID2 "\n");
}

static void
plant_reused_by_host(struct fx *fx)
{
	fx_mount(fx, "h", "dev/pts", "devpts");
	fx_write(fx->dir, "proc/101/cgroup", "0::/user.slice/user-0.slice/session-1.scope\n");
}

static void
plant_real_devpts(struct fx *fx)
{
	fx_mount(fx, "h", "dev/pts", "devpts");
}

/* clang-format off */
static const struct hostile_case hostile_cases[] = {
	{"a devpts of its own is kept", plant_real_devpts, 0, 0, "dev/pts"},
	{"/dev/pts -> /etc, a plain directory", plant_etc_dir, EMEDIUMTYPE, 0, NULL},
	{"/dev/pts -> /etc resolves in the container: its devpts there", plant_etc_devpts, 0, 0, "etc"},
	{"/dev/pts -> the host's devpts by absolute path", plant_host_absolute, ENOENT, 0, NULL},
	{"/dev/pts -> ../../.. up to the host's devpts", plant_host_relative, ENOENT, 0, NULL},
	/* EACCES when pid 1 is beyond ptrace's reach (a user namespace): refused either way */
	{"/dev/pts -> /proc/1/root/dev/pts", plant_magic_link, ELOOP, EACCES, NULL},
	{"/dev/pts -> /proc/self/root/ the host's devpts", plant_self_root_link, ELOOP, 0, NULL},
	{"a tmpfs with fake entries", plant_tmpfs, EMEDIUMTYPE, 0, NULL},
	{"a plain directory", plant_plain_dir, EMEDIUMTYPE, 0, NULL},
	{"no /dev/pts", plant_nothing, ENOENT, 0, NULL},
	{"/dev/pts a file", plant_file, ENOTDIR, 0, NULL},
	{"the host's devpts bound in", plant_host_bind, EEXIST, 0, NULL},
	{"its pid now another container's", plant_reused_by_other, ESRCH, 0, NULL},
	{"its pid now a host process's", plant_reused_by_host, ESRCH, 0, NULL},
};
/* clang-format on */

START_TEST(test_hostile)
{
	const struct hostile_case *hc = &hostile_cases[_i];
	const struct idle_containers_status *st;
	const struct idle_container *c;
	char path[600];
	struct stat hs;
	struct fx fx;

	fx_init(&fx);
	mounts_fs(fx.dir, "hostpts", "devpts");
	snprintf(path, sizeof(path), "%s/hostpts", fx.dir);
	ck_assert(stat(path, &hs) == 0);
	fx.config.skip_pts_dev = true;
	fx.config.pts_dev = hs.st_dev;
	fx_container(&fx, "/docker/" ID1, 101, "0::/docker/" ID1, "h");
	hc->plant(&fx);
	fx_new(&fx);
	ck_assert_msg(fx_walk(&fx) == 0, "%s: walk", hc->name);
	st = idle_containers_status(fx.set);
	if (hc->refusal != 0) {
		ck_assert_msg(idle_containers_count(fx.set) == 0, "%s: kept", hc->name);
		ck_assert_msg(st->refused == 1, "%s: refused %zu", hc->name, st->refused);
		ck_assert_msg(st->last_refusal == hc->refusal ||
				  (hc->or_refusal != 0 && st->last_refusal == hc->or_refusal),
			      "%s: refusal %s", hc->name, strerror(st->last_refusal));
	} else {
		ck_assert_msg(idle_containers_count(fx.set) == 1, "%s: not kept (%s)", hc->name,
			      strerror(st->last_refusal));
		c = idle_containers_get(fx.set, 0);
		ck_assert_msg(c->pts_dev == fx_dev(&fx, "h", hc->kept_path), "%s: device",
			      hc->name);
		ck_assert_msg(c->pts_dev != hs.st_dev, "%s: the host's devpts", hc->name);
	}
	fx_done(&fx);
}
END_TEST

/* Two containers showing one devpts instance: the first keeps it, the second is refused. */
START_TEST(test_shared_devpts)
{
	char from[600], to[600];
	struct fx fx;

	fx_init(&fx);
	fx_container(&fx, "/docker/" ID1, 101, "0::/docker/" ID1, "c1");
	fx_mount(&fx, "c1", "dev/pts", "devpts");
	ck_assert_int_eq(fx_walk((fx_new(&fx), &fx)), 0);
	fx_container(&fx, "/docker/" ID2, 102, "0::/docker/" ID2, "c2");
	mounts_mkdir(fx.dir, "roots/c2/dev/pts");
	snprintf(from, sizeof(from), "%s/roots/c1/dev/pts", fx.dir);
	snprintf(to, sizeof(to), "%s/roots/c2/dev/pts", fx.dir);
	ck_assert(mount(from, to, NULL, MS_BIND, NULL) == 0);
	ck_assert_int_eq(fx_walk(&fx), 0);
	ck_assert_uint_eq(idle_containers_count(fx.set), 1);
	ck_assert_ptr_nonnull(fx_find(&fx, ID1));
	ck_assert_int_eq(idle_containers_status(fx.set)->last_refusal, EEXIST);
	fx_done(&fx);
}
END_TEST

/* A cgroup tree with no container (a sidecar's view): the processes' cgroup files are read,
 * namespace-relative paths included. */
START_TEST(test_proc_fallback)
{
	const struct idle_container *c;
	struct fx fx;

	fx_init(&fx);
	fx_write(fx.dir, "cg/cgroup.procs", "1\n7\n");
	fx_container(&fx, "/unused", 7, "0::/../cri-containerd-" ID3 ".scope", "main");
	fx_mount(&fx, "main", "dev/pts", "devpts");
	fx_write(fx.dir, "proc/1/cgroup", "0::/\n");
	fx_write(fx.dir, "proc/8/cgroup", "0::/../cri-containerd-" ID3 ".scope\n");
	mounts_symlink(fx.dir, "proc/8/root", "../7/root");
	fx_write(fx.dir, "proc/9/cgroup", "0::/../cri-containerd-" ID3 ".scope\n"); /* exited */
	fx_write(fx.dir, "proc/self/cgroup", "0::/../" ID1 "\n");
	fx_write(fx.dir, "proc/0123/cgroup", "0::/../" ID2 "\n");
	snprintf(fx.cg, sizeof(fx.cg), "%s/cg/unused", fx.dir);
	fx_write(fx.dir, "cg/unused/x", "");
	fx_new(&fx);
	ck_assert_int_eq(fx_walk(&fx), 0);
	ck_assert(idle_containers_status(fx.set)->proc_fallback);
	ck_assert_msg(idle_containers_count(fx.set) == 1, "kept none: %zu refused, %s",
		      idle_containers_status(fx.set)->refused,
		      strerror(idle_containers_status(fx.set)->last_refusal));
	c = idle_containers_get(fx.set, 0);
	ck_assert_str_eq(c->id, ID3);
	ck_assert_str_eq(c->pod_uid, "");
	ck_assert(c->pid == 7 || c->pid == 8);
	fx_done(&fx);
}
END_TEST

/* A host whose tree shows no container does not read every process's cgroup file (its cost
 * would grow with processes); at the root of a cgroup namespace, it does. */
START_TEST(test_no_fallback_on_host)
{
	struct fx fx;

	fx_init(&fx);
	fx_write(fx.dir, "cg/system.slice/ssh.service/cgroup.procs", "7\n");
	fx_container(&fx, "/unused", 7, "0::/../" ID3, "main");
	fx_mount(&fx, "main", "dev/pts", "devpts");
	fx_write(fx.dir, "proc/self/cgroup",
		 "1:name=systemd:/system.slice/idle.service\n"
		 "0::/system.slice/idle.service\n");
	fx_new(&fx);
	ck_assert_int_eq(fx_walk(&fx), 0);
	ck_assert(idle_containers_status(fx.set)->tree_found);
	ck_assert(!idle_containers_status(fx.set)->proc_fallback);
	ck_assert_uint_eq(idle_containers_count(fx.set), 0);
	/* the root cgroup of the initial cgroup namespace: a host without systemd */
	fx_write(fx.dir, "proc/self/cgroup", "1:name=systemd:/\n0::/\n");
	mounts_symlink(fx.dir, "proc/self/ns/cgroup", "cgroup:[4026531835]");
	ck_assert_int_eq(fx_walk(&fx), 0);
	ck_assert(!idle_containers_status(fx.set)->proc_fallback);
	ck_assert_uint_eq(idle_containers_count(fx.set), 0);
	/* the root of a cgroup namespace of its own: a container */
	fixture_unlink(fx.dir, "proc/self/ns/cgroup");
	mounts_symlink(fx.dir, "proc/self/ns/cgroup", "cgroup:[4026532999]");
	ck_assert_int_eq(fx_walk(&fx), 0);
	ck_assert(idle_containers_status(fx.set)->proc_fallback);
	ck_assert_uint_eq(idle_containers_count(fx.set), 1);
	fx_done(&fx);
}
END_TEST

/* Without a cgroup tree or a proc directory, the walk fails and the set is unchanged. */
START_TEST(test_no_proc)
{
	struct idle_containers_config config = {0};
	struct timespec now = {1, 0};
	struct idle_containers *set;
	char *dir = fixture_dir(), proc[600];

	snprintf(proc, sizeof(proc), "%s/none", dir);
	config.sysfs_dir = dir;
	config.proc_dir = proc;
	set = idle_containers_new(&config);
	ck_assert_ptr_nonnull(set);
	ck_assert_int_eq(idle_containers_walk(set, &now), ENOENT);
	ck_assert_uint_eq(idle_containers_count(set), 0);
	mounts_mkdir(dir, "none");
	ck_assert_int_eq(idle_containers_walk(set, &now), 0);
	ck_assert(!idle_containers_status(set)->tree_found); /* a plain directory is no cgroup fs */
	ck_assert(idle_containers_status(set)->proc_fallback);
	idle_containers_free(set);
	idle_containers_free(NULL);
	config.sysfs_dir = NULL;
	errno = 0;
	ck_assert_ptr_null(idle_containers_new(&config));
	ck_assert_int_eq(errno, EINVAL);
	fixture_remove(dir);
}
END_TEST

/* The host's own tree is found by statfs: the unified mount of a hybrid host, or the root. */
START_TEST(test_host_tree)
{
	struct idle_containers_config config = {0};
	struct timespec now = {1, 0};
	struct idle_containers *set;
	char *dir = fixture_dir();

	config.sysfs_dir = "/sys";
	config.proc_dir = dir; /* no process: nothing is opened */
	set = idle_containers_new(&config);
	ck_assert_int_eq(idle_containers_walk(set, &now), 0);
	ck_assert(idle_containers_status(set)->tree_found);
	ck_assert_uint_eq(idle_containers_count(set), 0);
	idle_containers_free(set);
	fixture_remove(dir);
}
END_TEST

/* Whether this host has a cgroup2 tree where the walk looks for one. */
static bool
host_has_cgroup2(void)
{
	struct statfs sfs;

	return (statfs("/sys/fs/cgroup/unified", &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC) ||
	       (statfs("/sys/fs/cgroup", &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC);
}

static Suite *
containers_suite(void)
{
	Suite *s = suite_create("containers");
	TCase *tc = tcase_create("discover");

	tcase_add_test(tc, test_discover);
	tcase_add_test(tc, test_user_made_cgroup);
	tcase_add_test(tc, test_come_and_go);
	tcase_add_test(tc, test_names_later);
	tcase_add_test(tc, test_refresh_interval);
	tcase_add_test(tc, test_passwd_interval);
	tcase_add_test(tc, test_many);
	tcase_add_test(tc, test_shared_devpts);
	tcase_add_test(tc, test_proc_fallback);
	tcase_add_test(tc, test_no_fallback_on_host);
	tcase_add_test(tc, test_no_proc);
	if (host_has_cgroup2())
		tcase_add_test(tc, test_host_tree);
	suite_add_tcase(s, tc);
	tc = tcase_create("hostile");
	tcase_add_loop_test(tc, test_hostile, 0, CHECK_ROWS(hostile_cases));
	suite_add_tcase(s, tc);
	return s;
}

/* Every test needs openat2 and mounts of devpts instances in a private mount namespace. */
int
main(void)
{
	char why[128];
	int fd, rc;

	rc = idle_inroot_open(AT_FDCWD, ".", O_RDONLY | O_DIRECTORY, &fd);
	if (rc == ENOSYS) {
		printf("check_containers: this kernel has no openat2\n");
		return 77;
	}
	if (rc == 0)
		(void)close(fd);
	if (!mounts_probe(why, sizeof(why))) {
		printf("check_containers: %s\n", why);
		return 77;
	}
	return check_run(containers_suite());
}
