/* SPDX-License-Identifier: MIT */
/* Helpers shared by the fuzz targets: a cursor over the input, and a failing check. */
#ifndef IDLE_FUZZ_H
#define IDLE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The unread part of a fuzz input. */
struct fuzz_input {
	const uint8_t *data;
	size_t size;
};

/* Takes one byte, 0 when the input is used up. */
static inline uint8_t
fuzz_byte(struct fuzz_input *in)
{
	uint8_t b = 0;

	if (in->size > 0) {
		b = in->data[0];
		in->data++;
		in->size--;
	}
	return b;
}

/* Takes up to max bytes as a NUL-terminated heap string (bytes up to the next 0xff). */
static inline char *
fuzz_string(struct fuzz_input *in, size_t max)
{
	size_t n = 0;
	char *s;

	while (n < in->size && n < max && in->data[n] != 0xff)
		n++;
	s = malloc(n + 1);
	if (s == NULL)
		abort();
	memcpy(s, in->data, n);
	s[n] = '\0';
	in->data += n;
	in->size -= n;
	if (in->size > 0 && in->data[0] == 0xff) {
		in->data++;
		in->size--;
	}
	return s;
}

/* Aborts with a message: libFuzzer keeps the input that did it. */
#define FUZZ_CHECK(cond, ...)                                                                      \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz check failed: %s: ", #cond);                         \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#endif
