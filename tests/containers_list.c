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
	int fd = openat(c->pts_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		perror("containers_list: devpts");
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

/* Usage: containers_list SYSFS PROC LOGDIR HOST_PTS_DIR */
int
main(int argc, char **argv)
{
	struct idle_containers_config config = {0};
	const struct idle_containers_status *st;
	const struct idle_container *c;
	struct idle_containers *set;
	struct timespec now;
	struct stat hs;
	size_t i;
	int rc, failed = 0;

	if (argc != 5) {
		fprintf(stderr, "usage: containers_list SYSFS PROC LOGDIR HOST_PTS_DIR\n");
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
	rc = idle_containers_walk(set, &now);
	st = idle_containers_status(set);
	printf("status rc=%d tree=%d fallback=%d refused=%zu last=%s\n", rc, st->tree_found,
	       st->proc_fallback, st->refused, st->last_refusal ? strerror(st->last_refusal) : "-");
	for (i = 0; i < idle_containers_count(set); i++) {
		c = idle_containers_get(set, i);
		printf("container %s pod_uid=%s namespace=%s pod=%s container=%s dev=%u:%u\n", c->id,
		       c->pod_uid, c->namespace_name, c->pod, c->container, major(c->pts_dev),
		       minor(c->pts_dev));
		failed |= print_pts(c);
	}
	idle_containers_free(set);
	return rc != 0 || failed;
}
