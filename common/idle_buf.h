/* SPDX-License-Identifier: MIT */
/* A growable byte buffer for rendering text: doubles from 4 KiB, and keeps the first error. */
#ifndef IDLE_BUF_H
#define IDLE_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct idle_buf {
	char *data;  /* NUL-terminated when len > 0 */
	size_t len;
	size_t cap;
	int err;     /* first error (ENOMEM, EOVERFLOW); later appends do nothing */
};

/* Empties a new buffer; it owns no memory yet. */
void idle_buf_init(struct idle_buf *buf);

/* Frees the memory and empties it. */
void idle_buf_free(struct idle_buf *buf);

/* Empties it for reuse, keeping its memory, and clears the error. */
void idle_buf_reset(struct idle_buf *buf);

/* Makes room for n more bytes at once: a size known beforehand spares the doubling's copies.
 * On failure sets buf->err. */
void idle_buf_reserve(struct idle_buf *buf, size_t n);

/* Appends n bytes.  On failure sets buf->err and leaves the content as it was. */
void idle_buf_append(struct idle_buf *buf, const char *bytes, size_t n);

/* Appends a NUL-terminated string. */
void idle_buf_puts(struct idle_buf *buf, const char *s);

/* Appends formatted text. */
void idle_buf_printf(struct idle_buf *buf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
