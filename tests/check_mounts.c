/* SPDX-License-Identifier: MIT */
/* Test mounts: a private mount namespace holding devpts, tmpfs and proc instances under $TMPDIR. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_mounts.h"
#include "fixture.h"

static void
mounts_die(const char *what, const char *path)
{
	fprintf(stderr, "check_mounts: %s %s: %s\n", what, path, strerror(errno));
	abort();
}

/* mkdir -p of dir/name; returns the malloc'd path. */
static char *
make_path(const char *dir, const char *name, bool last_too)
{
	char *path, *slash;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		mounts_die("asprintf", name);
	for (slash = strchr(path + strlen(dir) + 1, '/'); slash != NULL;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			mounts_die("mkdir", path);
		*slash = '/';
	}
	if (last_too && mkdir(path, 0755) != 0 && errno != EEXIST)
		mounts_die("mkdir", path);
	return path;
}

void
mounts_private(void)
{
	if (unshare(CLONE_NEWNS) != 0)
		mounts_die("unshare", "CLONE_NEWNS");
	if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		mounts_die("mount --make-rprivate", "/");
}

void
mounts_fs(const char *dir, const char *name, const char *fstype)
{
	const char *opts = strcmp(fstype, "devpts") == 0 ? "newinstance,ptmxmode=0666" : NULL;
	char *path = make_path(dir, name, true);

	if (mount(fstype, path, fstype, 0, opts) != 0)
		mounts_die("mount", path);
	free(path);
}

void
mounts_undo(const char *dir, const char *name)
{
	char *path;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		mounts_die("asprintf", name);
	if (umount2(path, MNT_DETACH) != 0)
		mounts_die("umount", path);
	free(path);
}

void
mounts_symlink(const char *dir, const char *name, const char *target)
{
	char *path = make_path(dir, name, false);

	if (symlink(target, path) != 0)
		mounts_die("symlink", path);
	free(path);
}

void
mounts_mkdir(const char *dir, const char *name)
{
	free(make_path(dir, name, true));
}

bool
mounts_probe(char *why, size_t size)
{
	pid_t pid = fork();
	int status;

	if (pid < 0) {
		snprintf(why, size, "fork: %s", strerror(errno));
		return false;
	}
	if (pid == 0) {
		char *dir = fixture_dir();

		int rc = 0;

		if (unshare(CLONE_NEWNS) != 0 ||
		    mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
			rc = 1;
		else if (mount("devpts", dir, "devpts", 0, "newinstance") != 0)
			rc = 2;
		else
			(void)umount2(dir, MNT_DETACH);
		(void)rmdir(dir);
		_exit(rc);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
		snprintf(why, size, "the probe process failed");
		return false;
	}
	if (WEXITSTATUS(status) == 0)
		return true;
	snprintf(why, size, "%s",
		 WEXITSTATUS(status) == 1 ? "no private mount namespace (unshare needs root)"
					  : "cannot mount a devpts instance");
	return false;
}
