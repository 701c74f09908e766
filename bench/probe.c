/* SPDX-License-Identifier: MIT */
/* bench-probe: times the sampling library, its floor, a command and the exporter's start-up. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "idle_containers.h"
#include "idle_sampler.h"
#include "idle_sessions.h"
#include "idle_snapshot.h"

static const char usage[] =
    "Usage: bench-probe pts DIR ITERATIONS\n"
    "       bench-probe sessions UTMP DEV PROC ITERATIONS\n"
    "       bench-probe containers CGROUP-DIR PROC ITERATIONS\n"
    "       bench-probe run ITERATIONS COMMAND [ARG]...\n"
    "       bench-probe startup ITERATIONS COMMAND [ARG]...   ({port} in an ARG: a free port)\n"
    "       bench-probe tick DIR...     (the floor as a daemon: one scan of each DIR a second)\n"
    "       bench-probe freeport\n"
    "Prints key=value lines; times are medians in microseconds.\n";

/* Microseconds on CLOCK_MONOTONIC. */
static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int
compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median of n values (sorts them). */
static double
median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), compare_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Parses a count in [1, 10000000]; exits with the usage on a bad one. */
static size_t
parse_count(const char *text)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || n < 1 || n > 10000000) {
		fputs(usage, stderr);
		exit(2);
	}
	return (size_t)n;
}

static double *
samples_new(size_t n)
{
	double *v = calloc(n, sizeof(double));

	if (v == NULL) {
		perror("bench-probe");
		exit(1);
	}
	return v;
}

/* One fstatat per entry of an open directory, which it closes: the floor's whole work. */
static long
floor_entries(DIR *dir)
{
	struct dirent *entry;
	struct stat st;
	long entries = 0;

	while ((entry = readdir(dir)) != NULL) {
		if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(dir), entry->d_name, &st, 0) == 0)
			entries++;
	}
	closedir(dir);
	return entries;
}

/* The floor of a pts poll: opendir, one fstatat per entry, closedir.  Returns the entries. */
static long
floor_scan(const char *path)
{
	DIR *dir = opendir(path);

	return dir == NULL ? -1 : floor_entries(dir);
}

/* One timed idle_sampler_poll; returns its microseconds. */
static double
timed_poll(struct idle_sampler *sampler, struct idle_snapshot *snap)
{
	struct timespec now;
	double start = now_us();

	clock_gettime(CLOCK_REALTIME, &now);
	(void)idle_sampler_poll(sampler, &now, snap);
	return now_us() - start;
}

/* The pts part of a poll (sessions off, per-terminal values on) against the floor, interleaved. */
static int
probe_pts(const char *dir, size_t iterations)
{
	struct idle_sampler_config config;
	struct idle_sampler *sampler;
	struct idle_snapshot snap;
	double *poll_us = samples_new(iterations), *floor_us = samples_new(iterations);
	long entries = 0;
	size_t i;

	idle_sampler_config_defaults(&config);
	config.pts_dir = dir;
	config.sessions = false;
	sampler = idle_sampler_new(&config);
	if (sampler == NULL)
		return perror("bench-probe: sampler"), 1;
	idle_snapshot_init(&snap);
	timed_poll(sampler, &snap); /* warm caches and the snapshot's capacity, as in a daemon */
	floor_scan(dir);
	for (i = 0; i < iterations; i++) {
		double start = now_us();

		entries = floor_scan(dir);
		floor_us[i] = now_us() - start;
		poll_us[i] = timed_poll(sampler, &snap);
	}
	printf("entries=%ld\nterminals=%zu\nerrors=%llu\n", entries, snap.host.terminal_count,
	       (unsigned long long)snap.errors[IDLE_SOURCE_PTS]);
	printf("floor_us=%.3f\npoll_us=%.3f\n", median(floor_us, iterations),
	       median(poll_us, iterations));
	idle_snapshot_free(&snap);
	idle_sampler_free(sampler);
	free(poll_us);
	free(floor_us);
	return 0;
}

/* idle_sessions_sample alone, as the exporter and the plugin run it every poll. */
static int
probe_sessions(const char *utmp, const char *dev, const char *proc, size_t iterations)
{
	struct idle_sessions_paths paths = {utmp, dev, proc};
	struct idle_sessions *sessions = idle_sessions_new(&paths, NULL);
	struct idle_snapshot snap;
	double *us = samples_new(iterations);
	int err[IDLE_SOURCE_COUNT] = {0}, rc = 0;
	struct timespec now;
	size_t i;

	if (sessions == NULL)
		return perror("bench-probe: sessions"), 1;
	idle_snapshot_init(&snap);
	clock_gettime(CLOCK_REALTIME, &now);
	(void)idle_sessions_sample(sessions, &now, &snap.sessions, err);
	for (i = 0; i < iterations; i++) {
		double start = now_us();

		clock_gettime(CLOCK_REALTIME, &now);
		rc = idle_sessions_sample(sessions, &now, &snap.sessions, err);
		us[i] = now_us() - start;
	}
	printf("rc=%d\nsessions=%zu\nhas_sessions=%d\nw_process=%s\n", rc, snap.sessions.session_count,
	       snap.sessions.has_sessions, snap.sessions.w_process);
	printf("sample_us=%.3f\n", median(us, iterations));
	idle_snapshot_free(&snap);
	idle_sessions_free(sessions);
	free(us);
	return 0;
}

/* A container set over the cgroup tree cgroup_dir as it is, the host's /dev/pts skipped. */
static struct idle_containers *
containers_new(const char *cgroup_dir, const char *proc)
{
	struct idle_containers_config config = {0};
	struct stat st;

	config.cgroup_dir = cgroup_dir;
	config.proc_dir = proc;
	if (stat("/dev/pts", &st) == 0) {
		config.skip_pts_dev = true;
		config.pts_dev = st.st_dev;
	}
	return idle_containers_new(&config);
}

/* idle_containers_walk alone (the rediscovery every few seconds), median. */
static int
probe_containers(const char *cgroup_dir, const char *proc, size_t iterations)
{
	struct idle_containers *set = containers_new(cgroup_dir, proc);
	const struct idle_containers_status *st;
	double *us = samples_new(iterations);
	struct timespec now;
	int rc = 0;
	size_t i;

	if (set == NULL)
		return perror("bench-probe: containers"), 1;
	clock_gettime(CLOCK_REALTIME, &now);
	(void)idle_containers_walk(set, &now); /* the first walk opens every container */
	for (i = 0; i < iterations; i++) {
		double start = now_us();

		clock_gettime(CLOCK_REALTIME, &now);
		rc = idle_containers_walk(set, &now);
		us[i] = now_us() - start;
	}
	st = idle_containers_status(set);
	printf("rc=%d\ncontainers=%zu\ntree_found=%d\nrefused=%zu\nlast_refusal=%s\n", rc,
	       idle_containers_count(set), st->tree_found, st->refused,
	       st->last_refusal ? strerror(st->last_refusal) : "none");
	printf("walk_us=%.3f\n", median(us, iterations));
	idle_containers_free(set);
	free(us);
	return 0;
}

/* Runs argv with stdout on /dev/null; returns the wall time and sets *cpu_us from rusage. */
static double
run_once(char **argv, double *cpu_us)
{
	struct rusage ru;
	double start = now_us();
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return perror("bench-probe: fork"), -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null < 0 || dup2(null, 1) < 0)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return fprintf(stderr, "bench-probe: %s failed\n", argv[0]), -1;
	*cpu_us = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
		  (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
	return now_us() - start;
}

/* A command's cost: median wall time and median CPU time (user + system, from wait4). */
static int
probe_run(size_t iterations, char **argv)
{
	double *wall = samples_new(iterations), *cpu = samples_new(iterations);
	size_t i;

	for (i = 0; i < iterations; i++)
		if ((wall[i] = run_once(argv, &cpu[i])) < 0)
			return 1;
	printf("wall_us=%.3f\ncpu_us=%.3f\n", median(wall, iterations), median(cpu, iterations));
	free(wall);
	free(cpu);
	return 0;
}

/* A loopback port that was free a moment ago; 0 on failure. */
static unsigned
free_port(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	unsigned port = 0;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

/* One GET / on 127.0.0.1:port; returns 0 when the answer is a 200, else -1. */
static int
scrape_once(unsigned port)
{
	static const char request[] = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				      "Connection: close\r\n\r\n";
	struct sockaddr_in sa;
	char buf[4096];
	size_t got = 0;
	ssize_t n;
	int fd, ok;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    write(fd, request, sizeof(request) - 1) != (ssize_t)(sizeof(request) - 1)) {
		close(fd);
		return -1;
	}
	while (got < 12 && (n = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	ok = got >= 12 && strncmp(buf, "HTTP/1.", 7) == 0 && strncmp(buf + 9, "200", 3) == 0;
	while (read(fd, buf, sizeof(buf)) > 0) /* the whole body, as a scraper reads it */
		;
	close(fd);
	return ok ? 0 : -1;
}

/* Copies argv replacing "{port}" inside each argument by port. */
static char **
with_port(char **argv, unsigned port)
{
	size_t n = 0, i;
	char **out;

	while (argv[n] != NULL)
		n++;
	out = calloc(n + 1, sizeof(*out));
	for (i = 0; out != NULL && i < n; i++) {
		const char *at = strstr(argv[i], "{port}");
		char *arg = NULL;

		if (at == NULL)
			arg = strdup(argv[i]);
		else if (asprintf(&arg, "%.*s%u%s", (int)(at - argv[i]), argv[i], port, at + 6) < 0)
			arg = NULL;
		if ((out[i] = arg) == NULL) {
			perror("bench-probe");
			exit(1);
		}
	}
	return out;
}

/* From fork+exec to the first 200 answer, polling every 100 us for up to 10 s; -1 on failure. */
static double
startup_once(char **argv)
{
	const struct timespec pause = {0, 100000};
	unsigned port = free_port();
	char **args = with_port(argv, port);
	double start, elapsed = -1;
	pid_t pid;

	start = now_us();
	pid = fork();
	if (pid == 0) {
		execvp(args[0], args);
		_exit(127);
	}
	while (pid > 0 && now_us() - start < 10e6) {
		if (scrape_once(port) == 0) {
			elapsed = now_us() - start;
			break;
		}
		if (waitpid(pid, NULL, WNOHANG) == pid) {
			pid = -1;
			break;
		}
		nanosleep(&pause, NULL);
	}
	if (pid > 0) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
	}
	for (size_t i = 0; args[i] != NULL; i++)
		free(args[i]);
	free(args);
	return elapsed;
}

/* Start-up time of a server: median and worst over iterations. */
static int
probe_startup(size_t iterations, char **argv)
{
	double *us = samples_new(iterations), worst = 0;
	size_t i;

	for (i = 0; i < iterations; i++) {
		us[i] = startup_once(argv);
		if (us[i] < 0)
			return fprintf(stderr, "bench-probe: %s never answered\n", argv[0]), 1;
		if (us[i] > worst)
			worst = us[i];
	}
	printf("startup_us=%.3f\nstartup_max_us=%.3f\n", median(us, iterations), worst);
	free(us);
	return 0;
}

/* The floor of a poll of a kept directory: reopen it by its descriptor, then as floor_scan. */
static long
floor_scan_fd(int dir_fd)
{
	int fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir;

	if (fd < 0)
		return -1;
	if ((dir = fdopendir(fd)) == NULL) {
		(void)close(fd);
		return -1;
	}
	return floor_entries(dir);
}

/*
 * The floor as a daemon: at every whole second, a floor scan of each of the n dirs, opened
 * once at the start as the exporter keeps a container's devpts open, until killed.
 */
static int
probe_tick(char **dirs, int n)
{
	struct timespec deadline;
	int *fds = calloc((size_t)n, sizeof(*fds));
	int i;

	if (fds == NULL)
		return perror("bench-probe: tick"), 1;
	for (i = 0; i < n; i++) {
		fds[i] = open(dirs[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fds[i] < 0)
			return perror(dirs[i]), 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	for (;;) {
		deadline.tv_sec++;
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL) == EINTR)
			;
		for (i = 0; i < n; i++)
			if (floor_scan_fd(fds[i]) < 0)
				return perror(dirs[i]), 1;
	}
}

int
main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc == 4 && strcmp(argv[1], "pts") == 0)
		return probe_pts(argv[2], parse_count(argv[3]));
	if (argc == 6 && strcmp(argv[1], "sessions") == 0)
		return probe_sessions(argv[2], argv[3], argv[4], parse_count(argv[5]));
	if (argc == 5 && strcmp(argv[1], "containers") == 0)
		return probe_containers(argv[2], argv[3], parse_count(argv[4]));
	if (argc >= 4 && strcmp(argv[1], "run") == 0)
		return probe_run(parse_count(argv[2]), argv + 3);
	if (argc >= 4 && strcmp(argv[1], "startup") == 0)
		return probe_startup(parse_count(argv[2]), argv + 3);
	if (argc >= 3 && strcmp(argv[1], "tick") == 0)
		return probe_tick(argv + 2, argc - 2);
	if (argc == 2 && strcmp(argv[1], "freeport") == 0) {
		unsigned port = free_port();

		printf("%u\n", port);
		return port ? 0 : 1;
	}
	fputs(usage, stderr);
	return 2;
}
