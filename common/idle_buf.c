/* SPDX-License-Identifier: MIT */
/* A growable byte buffer for rendering text: doubles from 4 KiB, and keeps the first error. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idle_buf.h"

void
idle_buf_init(struct idle_buf *buf)
{
	memset(buf, 0, sizeof(*buf));
}

void
idle_buf_free(struct idle_buf *buf)
{
	free(buf->data);
	idle_buf_init(buf);
}

void
idle_buf_reset(struct idle_buf *buf)
{
	buf->len = 0;
	buf->err = 0;
	if (buf->data != NULL)
		buf->data[0] = '\0';
}

/* Makes the capacity cap; returns false and sets err when memory ran out. */
static bool
grow(struct idle_buf *buf, size_t cap)
{
	char *grown = realloc(buf->data, cap);

	if (grown == NULL) {
		buf->err = ENOMEM;
		return false;
	}
	buf->data = grown;
	buf->cap = cap;
	return true;
}

/* Makes room for extra more bytes plus a NUL, doubling; returns false and sets err when it
 * cannot. */
static bool
reserve(struct idle_buf *buf, size_t extra)
{
	size_t want, cap;

	if (buf->err != 0)
		return false;
	if (extra > SIZE_MAX - buf->len - 1) {
		buf->err = EOVERFLOW;
		return false;
	}
	want = buf->len + extra + 1;
	if (want <= buf->cap)
		return true;
	cap = buf->cap ? buf->cap : 4096;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	return grow(buf, cap);
}

void
idle_buf_reserve(struct idle_buf *buf, size_t n)
{
	size_t want;

	if (buf->err != 0 || n > SIZE_MAX - buf->len - 1) {
		(void)reserve(buf, n); /* sets the error */
		return;
	}
	want = buf->len + n + 1;
	if (want > buf->cap)
		(void)grow(buf, want > 4096 ? want : 4096);
}

void
idle_buf_append(struct idle_buf *buf, const char *bytes, size_t n)
{
	if (!reserve(buf, n))
		return;
	memcpy(buf->data + buf->len, bytes, n);
	buf->len += n;
	buf->data[buf->len] = '\0';
}

void
idle_buf_puts(struct idle_buf *buf, const char *s)
{
	idle_buf_append(buf, s, strlen(s));
}

/* Formats into the free space; returns what vsnprintf returned (buf->err set when negative). */
static int
format_at_end(struct idle_buf *buf, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf->data + buf->len, buf->cap - buf->len, fmt, ap);

	if (n < 0)
		buf->err = EINVAL;
	return n;
}

void
idle_buf_printf(struct idle_buf *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!reserve(buf, 64))
		return;
	va_start(ap, fmt);
	n = format_at_end(buf, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= buf->cap - buf->len) {
		buf->data[buf->len] = '\0'; /* drop the truncated attempt */
		if (!reserve(buf, (size_t)n))
			return;
		va_start(ap, fmt);
		n = format_at_end(buf, fmt, ap);
		va_end(ap);
	}
	if (n >= 0)
		buf->len += (size_t)n;
}
