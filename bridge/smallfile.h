/* SPDX-License-Identifier: MIT */
/* Reading a small regular file whole: the web config file, certificates and keys. */
#ifndef IDLE_SMALLFILE_H
#define IDLE_SMALLFILE_H

#include <stddef.h>

/*
 * Reads the file at path into a new NUL-terminated buffer (*len bytes before the NUL).  It is
 * opened without blocking and checked before any read: EINVAL for anything but a regular file
 * (a FIFO, a device, a directory), EFBIG past max bytes; else 0 or an errno.  Caller frees *out.
 */
int smallfile_read(const char *path, size_t max, char **out, size_t *len);

/* The reason for smallfile_read's rc, for a message: "not a regular file" for EINVAL. */
const char *smallfile_strerror(int rc);

#endif
