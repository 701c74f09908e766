/* SPDX-License-Identifier: MIT */
/* Runs a fuzz target over files and directories of inputs, without libFuzzer (any compiler). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* Runs the target on one file; returns 0 or an errno. */
static int
replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long size;
	int rc = 0;

	if (f == NULL)
		return errno;
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return EIO;
	}
	buf = malloc((size_t)size + 1);
	if (buf == NULL || fread(buf, 1, (size_t)size, f) != (size_t)size)
		rc = EIO;
	else
		LLVMFuzzerTestOneInput(buf, (size_t)size);
	free(buf);
	fclose(f);
	return rc;
}

/* Runs every regular file of a directory (not recursive); returns how many, or -1. */
static int
replay_dir(const char *dir)
{
	struct dirent *e;
	char path[4096];
	DIR *d = opendir(dir);
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path) ||
		    replay_file(path) != 0) {
			fprintf(stderr, "cannot read %s\n", path);
			closedir(d);
			return -1;
		}
		n++;
	}
	closedir(d);
	return n;
}

int
main(int argc, char **argv)
{
	struct stat st;
	int i, n, total = 0;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		n = S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : (replay_file(argv[i]) ? -1 : 1);
		if (n < 0)
			return 1;
		total += n;
	}
	printf("%s: %d inputs replayed\n", argv[0], total);
	return 0;
}
