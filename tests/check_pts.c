/* SPDX-License-Identifier: MIT */
/* Unit tests of the pts directory scan and of the sampler's pts values, on fixture directories. */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "check_run.h"
#include "fixture.h"
#include "idle_dirents.h"
#include "idle_kept_dir.h"
#include "idle_pts.h"
#include "idle_sampler.h"

#define NOW 1700000000L

struct entry {
	const char *name;
	time_t atime;
	long atime_ns;
	time_t mtime;
	long mtime_ns;
};

/* An entry "5" next to the case's devices, which is no terminal (or, LINK, one by its target). */
enum other { NONE, DANGLING, LOOP, SUBDIR, FIFO, SOCKET, REGULAR, LINK };

struct pts_case {
	const char *name;
	struct entry entries[4];
	size_t nentries;
	enum other other;
	bool missing_dir;
	int err;
	bool has_age;
	double age;
	size_t terminals;
	bool has_input;
	double input;
	double output;
	size_t skipped;
};

#define ONE_TERMINAL {{"0", NOW - 9, 0, NOW - 7, 0}}, 1

static const struct pts_case pts_cases[] = {
	{"newest mtime wins", {{"0", NOW - 50, 0, NOW - 40, 0}, {"1", NOW - 9, 0, NOW - 7, 0},
	  {"2", NOW - 3, 0, NOW - 30, 0}}, 3, NONE, false, 0, true, 7, 3, true, 3, 7, 0},
	{"ptmx alone: age since mount, no terminal", {{"ptmx", NOW - 900, 0, NOW - 600, 0}}, 1,
	 NONE, false, 0, true, 600, 0, false, 0, 0, 0},
	{"ptmx newer than terminals counts for the Python exporter's age only",
	 {{"ptmx", NOW - 5, 0, NOW - 2, 0}, {"4", NOW - 20, 0, NOW - 10, 0}}, 2, NONE, false, 0,
	 true, 2, 1, true, 20, 10, 0},
	{"nanoseconds kept", {{"0", NOW - 2, 500000000, NOW - 2, 250000000}}, 1, NONE, false, 0,
	 true, 1.75, 1, true, 1.5, 1.75, 0},
	{"future times clamp to zero", {{"0", NOW + 100, 0, NOW + 50, 0}}, 1, NONE, false, 0, true,
	 0, 1, true, 0, 0, 0},
	{"empty directory has no age", {{0}}, 0, NONE, false, 0, false, 0, 0, false, 0, 0, 0},
	{"missing directory is an error", {{0}}, 0, NONE, true, ENOENT, false, 0, 0, false, 0, 0, 0},
	{"dangling symlink is skipped and counted", ONE_TERMINAL, DANGLING, false, 0, true, 7, 1,
	 true, 9, 7, 1},
	{"symlink loop is skipped and counted", ONE_TERMINAL, LOOP, false, 0, true, 7, 1, true, 9, 7,
	 1},
	{"subdirectory is no terminal", ONE_TERMINAL, SUBDIR, false, 0, true, 7, 1, true, 9, 7, 0},
	{"FIFO is no terminal", ONE_TERMINAL, FIFO, false, 0, true, 7, 1, true, 9, 7, 0},
	{"socket is no terminal", ONE_TERMINAL, SOCKET, false, 0, true, 7, 1, true, 9, 7, 0},
	{"regular file is no terminal", ONE_TERMINAL, REGULAR, false, 0, true, 7, 1, true, 9, 7, 0},
	{"symlink to a terminal counts by its target", ONE_TERMINAL, LINK, false, 0, true, 7, 2,
	 true, 9, 7, 0},
};

/* Binds a Unix socket at path, leaving the node behind. */
static void
make_socket(const char *path)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_msg(strlen(path) < sizeof(addr.sun_path), "socket path %s too long", path);
	memcpy(addr.sun_path, path, strlen(path) + 1);
	ck_assert(fd >= 0);
	ck_assert_msg(bind(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0, "bind %s", path);
	ck_assert(close(fd) == 0);
}

/* Makes pts/5 of the given kind; it is older than every entry, so it cannot move an age. */
static void
make_other(const struct pts_case *c, const char *root, const char *pts)
{
	char *path;
	int rc = 0;

	if (asprintf(&path, "%s/5", pts) < 0)
		abort();
	switch (c->other) {
	case NONE: break;
	case DANGLING: rc = symlink("/nonexistent/idle-test", path); break;
	case LOOP: rc = symlink(path, path); break;
	case SUBDIR: rc = mkdir(path, 0755); break;
	case FIFO: rc = mkfifo(path, 0600); break;
	case SOCKET: make_socket(path); break;
	case REGULAR: fixture_file(root, "pts/5", NOW - 1, 0, NOW - 1, 0); break;
	case LINK: rc = symlink("0", path); break;
	}
	ck_assert_msg(rc == 0, "%s: make pts/5", c->name);
	free(path);
}

/* Builds the case's directory; returns the fixture root, *pts set to the directory to scan. */
static char *
build(const struct pts_case *c, char **pts)
{
	char *root = fixture_dir();
	size_t i;

	if (asprintf(pts, "%s/pts", root) < 0)
		abort();
	if (!c->missing_dir)
		ck_assert_msg(mkdir(*pts, 0755) == 0, "%s: mkdir", c->name);
	for (i = 0; i < c->nentries; i++) {
		char *rel;
		const struct entry *e = &c->entries[i];

		if (asprintf(&rel, "pts/%s", e->name) < 0)
			abort();
		fixture_device(root, rel, e->atime, e->atime_ns, e->mtime, e->mtime_ns);
		free(rel);
	}
	make_other(c, root, *pts);
	return root;
}

/* The scan of the case's directory, kept by its path and twice from one held fd, agrees with
 * it. */
static void
check_scan(const struct pts_case *c, const char *pts)
{
	struct idle_kept_dir kept;
	struct idle_pts_scan scan;
	struct stat st;
	int fd, i;

	idle_kept_dir_init(&kept);
	errno = 0;
	fd = idle_kept_dir_get(&kept, pts);
	ck_assert_msg(fd >= 0 ? c->err == 0 : errno == c->err, "%s: kept: %s", c->name,
		      strerror(errno));
	if (c->err != 0)
		return;
	ck_assert_msg(idle_pts_read_fd(fd, &scan, NULL, NULL) == 0, "%s: read", c->name);
	ck_assert_msg(scan.terminals == c->terminals && scan.skipped == c->skipped,
		      "%s: terminals %zu skipped %zu", c->name, scan.terminals, scan.skipped);
	idle_kept_dir_close(&kept);
	fd = open(pts, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_msg(fd >= 0, "%s: open", c->name);
	for (i = 0; i < 2; i++) {
		ck_assert_msg(idle_pts_read_fd(fd, &scan, NULL, NULL) == 0, "%s: read_fd", c->name);
		ck_assert_msg(scan.terminals == c->terminals && scan.skipped == c->skipped,
			      "%s: read_fd %d: terminals %zu skipped %zu", c->name, i,
			      scan.terminals, scan.skipped);
	}
	ck_assert_msg(fstat(fd, &st) == 0 && S_ISDIR(st.st_mode), "%s: fd closed", c->name);
	ck_assert(close(fd) == 0);
}

/* Counts entries; returns 7 at the one named "stop". */
static int
count_until_stop(void *arg, int dir_fd, const char *name)
{
	(void)dir_fd;
	++*(int *)arg;
	return strcmp(name, "stop") == 0 ? 7 : 0;
}

/* idle_dirents_each: every entry but . and .., past one read's buffer; a callback's return
 * stops it and is its answer; a bad descriptor is the read's error. */
START_TEST(test_dirents_each)
{
	char *dir = fixture_dir(), name[16];
	int fd, n = 0, i;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert(fd >= 0);
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "e%d", i);
		ck_assert(symlinkat("/dev/null", fd, name) == 0);
	}
	ck_assert_int_eq(idle_dirents_each(fd, count_until_stop, &n), 0);
	ck_assert_int_eq(n, 200);
	ck_assert(symlinkat("/dev/null", fd, "stop") == 0);
	ck_assert(lseek(fd, 0, SEEK_SET) == 0);
	n = 0;
	ck_assert_int_eq(idle_dirents_each(fd, count_until_stop, &n), 7);
	ck_assert_int_le(n, 201);
	ck_assert(close(fd) == 0);
	ck_assert_int_eq(idle_dirents_each(fd, count_until_stop, &n), EBADF);
	fixture_remove(dir);
}
END_TEST

/* A held fd's scan is of the directory as it is now: an entry made or removed since the last
 * scan counts or not, however far the last scan read. */
START_TEST(test_held_fd_sees_changes)
{
	char *dir = fixture_dir(), path[600];
	struct idle_pts_scan scan;
	int fd, i;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert(fd >= 0);
	ck_assert(symlinkat("/dev/null", fd, "0") == 0); /* counts by its target, a device */
	ck_assert_int_eq(idle_pts_read_fd(fd, &scan, NULL, NULL), 0);
	ck_assert_uint_eq(scan.terminals, 1);
	for (i = 1; i < 300; i++) { /* past one getdents buffer */
		snprintf(path, sizeof(path), "%d", i);
		ck_assert(symlinkat("/dev/null", fd, path) == 0);
	}
	ck_assert_int_eq(idle_pts_read_fd(fd, &scan, NULL, NULL), 0);
	ck_assert_uint_eq(scan.terminals, 300);
	fixture_unlink(dir, "0");
	ck_assert_int_eq(idle_pts_read_fd(fd, &scan, NULL, NULL), 0);
	ck_assert_uint_eq(scan.terminals, 299);
	ck_assert(close(fd) == 0);
	ck_assert_int_eq(idle_pts_read_fd(fd, &scan, NULL, NULL), EBADF);
	fixture_remove(dir);
}
END_TEST

static bool
near(double a, double b)
{
	return fabs(a - b) < 1e-6;
}

START_TEST(test_pts_cases)
{
	const struct pts_case *c = &pts_cases[_i];
	struct idle_sampler_config config;
	struct timespec now = {NOW, 0};
	struct idle_sampler *sampler;
	struct idle_snapshot snap;
	char *pts, *root = build(c, &pts);

	idle_sampler_config_defaults(&config);
	config.pts_dir = pts;
	config.sessions = false;
	sampler = idle_sampler_new(&config);
	ck_assert_msg(sampler != NULL, "%s: sampler", c->name);
	idle_snapshot_init(&snap);
	ck_assert_msg(idle_sampler_poll(sampler, &now, &snap) == 0, "%s: poll", c->name);

	ck_assert_msg(snap.errors[IDLE_SOURCE_PTS] == (c->err ? 1u : 0u), "%s: errors %llu",
		      c->name, (unsigned long long)snap.errors[IDLE_SOURCE_PTS]);
	ck_assert_msg(snap.host.has_terminals == (c->err == 0), "%s: has_terminals", c->name);
	ck_assert_msg(snap.host.has_pts_age == c->has_age, "%s: has_age", c->name);
	ck_assert_msg(snap.host.has_pts_average == c->has_age, "%s: has_average", c->name);
	if (c->has_age) {
		ck_assert_msg(near(snap.host.pts_age_seconds, c->age), "%s: age %.9f, want %.9f",
			      c->name, snap.host.pts_age_seconds, c->age);
		ck_assert_msg(near(snap.host.pts_average_seconds, c->age), "%s: average", c->name);
	}
	ck_assert_msg(snap.host.terminal_count == c->terminals, "%s: terminals %zu", c->name,
		      snap.host.terminal_count);
	ck_assert_msg(snap.terminals_len == c->terminals, "%s: terminal list", c->name);
	ck_assert_msg(snap.host.has_input == c->has_input, "%s: has_input", c->name);
	if (c->has_input) {
		ck_assert_msg(near(snap.host.input_seconds, c->input), "%s: input %.9f", c->name,
			      snap.host.input_seconds);
		ck_assert_msg(near(snap.host.output_seconds, c->output), "%s: output %.9f", c->name,
			      snap.host.output_seconds);
	}
	check_scan(c, pts);
	idle_snapshot_free(&snap);
	idle_sampler_free(sampler);
	free(pts);
	fixture_remove(root);
}
END_TEST

/* Reports received by the sampler's callback. */
struct reports {
	int count;
	int last_err;
};

static void
record(void *arg, enum idle_source source, int err, const char *detail)
{
	struct reports *r = arg;

	ck_assert_int_eq(source, IDLE_SOURCE_PTS);
	ck_assert_ptr_nonnull(detail);
	r->count++;
	r->last_err = err;
}

/* A failing source is reported once when it starts and once when it clears, counted each poll. */
START_TEST(test_error_reported_once_and_recovers)
{
	char *root = fixture_dir(), *pts;
	struct idle_sampler_config config;
	struct reports reports = {0, 0};
	struct timespec now = {NOW, 0};
	struct idle_sampler *sampler;
	struct idle_snapshot snap;
	int i;

	if (asprintf(&pts, "%s/pts", root) < 0)
		abort();
	idle_sampler_config_defaults(&config);
	config.pts_dir = pts;
	config.sessions = false;
	config.report = record;
	config.report_arg = &reports;
	sampler = idle_sampler_new(&config);
	idle_snapshot_init(&snap);
	for (i = 0; i < 3; i++)
		idle_sampler_poll(sampler, &now, &snap);
	ck_assert_int_eq(reports.count, 1);
	ck_assert_int_eq(reports.last_err, ENOENT);
	ck_assert_uint_eq(snap.errors[IDLE_SOURCE_PTS], 3);
	ck_assert(!snap.host.has_pts_age);

	fixture_device(root, "pts/0", NOW - 4, 0, NOW - 4, 0);
	idle_sampler_poll(sampler, &now, &snap);
	ck_assert_int_eq(reports.count, 2);
	ck_assert_int_eq(reports.last_err, 0);
	ck_assert_uint_eq(snap.errors[IDLE_SOURCE_PTS], 3);
	ck_assert(snap.host.has_pts_age);
	ck_assert(near(snap.host.pts_age_seconds, 4));
	/* The failed polls left nothing in the average. */
	ck_assert(near(snap.host.pts_average_seconds, 4));

	idle_snapshot_free(&snap);
	idle_sampler_free(sampler);
	free(pts);
	fixture_remove(root);
}
END_TEST

/* The average is the mean of the ages at each poll over the window, on the injected clock. */
START_TEST(test_average_over_polls)
{
	char *root = fixture_dir(), *pts;
	struct idle_sampler_config config;
	struct idle_sampler *sampler;
	struct idle_snapshot snap;
	struct timespec now = {NOW, 0};
	int i;

	if (asprintf(&pts, "%s/pts", root) < 0)
		abort();
	fixture_device(root, "pts/0", NOW, 0, NOW, 0);
	idle_sampler_config_defaults(&config);
	config.pts_dir = pts;
	config.sessions = false;
	config.window = 3;
	sampler = idle_sampler_new(&config);
	idle_snapshot_init(&snap);
	/* Ages 0, 1, 2, 3, 4 at five 1-second polls: the window of 3 holds 2, 3, 4. */
	for (i = 0; i < 5; i++) {
		now.tv_sec = NOW + i;
		idle_sampler_poll(sampler, &now, &snap);
	}
	ck_assert(near(snap.host.pts_age_seconds, 4));
	ck_assert_msg(near(snap.host.pts_average_seconds, 3), "average %g", snap.host.pts_average_seconds);
	idle_snapshot_free(&snap);
	idle_sampler_free(sampler);
	free(pts);
	fixture_remove(root);
}
END_TEST

/* Per-terminal values: sorted as numbers, owner named, gone once the terminal closes. */
START_TEST(test_terminal_list)
{
	char *root = fixture_dir(), *pts;
	struct idle_sampler_config config;
	struct idle_sampler *sampler;
	struct idle_snapshot snap;
	struct timespec now = {NOW, 0};
	struct passwd *pw;
	char owner[64];

	if (asprintf(&pts, "%s/pts", root) < 0)
		abort();
	fixture_device(root, "pts/10", NOW - 1, 0, NOW - 2, 0);
	/* Invalid UTF-8 would be repaired into one label for both: counted, not listed. */
	fixture_device(root, "pts/\xff", NOW, 0, NOW, 0);
	fixture_device(root, "pts/\xfe", NOW, 0, NOW, 0);
	fixture_device(root, "pts/2", NOW - 3, 0, NOW - 4, 0);
	fixture_device(root, "pts/ptmx", NOW, 0, NOW, 0);
	idle_sampler_config_defaults(&config);
	config.pts_dir = pts;
	config.sessions = false;
	sampler = idle_sampler_new(&config);
	idle_snapshot_init(&snap);
	idle_sampler_poll(sampler, &now, &snap);
	ck_assert_uint_eq(snap.host.terminal_count, 4);
	ck_assert_uint_eq(snap.terminals_len, 2);
	ck_assert_str_eq(snap.terminals[0].tty, "pts/2");
	ck_assert_str_eq(snap.terminals[1].tty, "pts/10");
	ck_assert(near(snap.terminals[0].input_seconds, 3));
	ck_assert(near(snap.terminals[0].output_seconds, 4));
	pw = getpwuid(getuid());
	snprintf(owner, sizeof(owner), "%s", pw != NULL ? pw->pw_name : "?");
	ck_assert_str_eq(snap.terminals[0].user, owner);

	fixture_unlink(root, "pts/2");
	idle_sampler_poll(sampler, &now, &snap);
	ck_assert_uint_eq(snap.host.terminal_count, 3);
	ck_assert_uint_eq(snap.terminals_len, 1);
	ck_assert_str_eq(snap.terminals[0].tty, "pts/10");
	idle_snapshot_free(&snap);
	idle_sampler_free(sampler);
	free(pts);
	fixture_remove(root);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("pts");
	TCase *tc = tcase_create("pts");

	if (!fixture_can_mknod()) {
		puts("check_pts: cannot make device nodes (needs root or CAP_MKNOD): skipped");
		return 77;
	}

	tcase_add_loop_test(tc, test_pts_cases, 0, sizeof(pts_cases) / sizeof(pts_cases[0]));
	tcase_add_test(tc, test_error_reported_once_and_recovers);
	tcase_add_test(tc, test_average_over_polls);
	tcase_add_test(tc, test_held_fd_sees_changes);
	tcase_add_test(tc, test_dirents_each);
	tcase_add_test(tc, test_terminal_list);
	suite_add_tcase(s, tc);
	return check_run(s);
}
