/* SPDX-License-Identifier: MIT */
/* Prints the containers idle_containers finds, with their devpts entries: for the podman test. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "idle_containers.h"

/* Lists container c's devpts directory through its kept fd, as a poll would read it. */
static int
print_pts(const struct idle_container *c)
{
	char user[64];
	struct dirent *de;
	struct stat st;
	DIR *d;
	int rc = idle_container_open_pts(c, &d);

	if (rc != 0) {
		fprintf(stderr, "containers_list: devpts of %s: %s\n", c->id, strerror(rc));
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		idle_container_user(c, st.st_uid, user, sizeof(user));
		printf("  pts %s user=%s\n", de->d_name, user);
	}
	return closedir(d) != 0;
}

/* Prints one walk's result. */
static int
print_set(struct idle_containers *set, int rc)
{
	const struct idle_containers_status *st = idle_containers_status(set);
	const struct idle_container *c;
	int failed = 0;
	size_t i;

	printf("status rc=%d tree=%d fallback=%d refused=%zu last=%s\n", rc, st->tree_found,
	       st->proc_fallback, st->refused, st->last_refusal ? strerror(st->last_refusal) : "-");
	for (i = 0; i < idle_containers_count(set); i++) {
		c = idle_containers_get(set, i);
		printf("container %s pod_uid=%s namespace=%s pod=%s container=%s dev=%u:%u\n",
		       c->id, c->pod_uid, c->namespace_name, c->pod, c->container,
		       major(c->pts_dev), minor(c->pts_dev));
		failed |= print_pts(c);
	}
	printf("end\n");
	return fflush(stdout) != 0 || failed;
}

/* Polls every 200 ms for seconds, printing the set after each walk that changed its size. */
static int
watch(struct idle_containers *set, double seconds)
{
	struct timespec now, pause = {0, 200000000};
	size_t last = (size_t)-1;
	double left;
	int rc = 0;

	for (left = seconds; left > 0 && rc == 0; left -= 0.2) {
		if (clock_gettime(CLOCK_REALTIME, &now) != 0)
			return 1;
		rc = idle_containers_refresh(set, &now);
		if (idle_containers_count(set) != last) {
			last = idle_containers_count(set);
			rc |= print_set(set, rc);
		}
		nanosleep(&pause, NULL);
	}
	return rc != 0;
}

/* Usage: containers_list SYSFS PROC LOGDIR HOST_PTS_DIR [SECONDS]: one walk, or a watch. */
int
main(int argc, char **argv)
{
	struct idle_containers_config config = {0};
	struct idle_containers *set;
	struct timespec now;
	struct stat hs;
	int rc;

	if (argc != 5 && argc != 6) {
		fprintf(stderr,
			"usage: containers_list SYSFS PROC LOGDIR HOST_PTS_DIR [SECONDS]\n");
		return 2;
	}
	config.sysfs_dir = argv[1];
	config.proc_dir = argv[2];
	config.log_dir = argv[3];
	if (stat(argv[4], &hs) == 0) {
		config.skip_pts_dev = true;
		config.pts_dev = hs.st_dev;
	}
	set = idle_containers_new(&config);
	if (set == NULL || clock_gettime(CLOCK_REALTIME, &now) != 0) {
		perror("containers_list");
		return 1;
	}
	if (argc == 6) {
		rc = watch(set, strtod(argv[5], NULL));
	} else {
		rc = idle_containers_walk(set, &now);
		rc = print_set(set, rc) || rc != 0;
	}
	idle_containers_free(set);
	return rc;
}
