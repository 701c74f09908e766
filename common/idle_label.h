/* SPDX-License-Identifier: MIT */
/* Label values made safe: capped, never cutting a character, invalid UTF-8 replaced. */
#ifndef IDLE_LABEL_H
#define IDLE_LABEL_H

#include <stdbool.h>
#include <stddef.h>

/* U+FFFD, written in place of each byte that is not part of valid UTF-8. */
#define IDLE_LABEL_REPLACEMENT "\xef\xbf\xbd"

/* Walks the characters of one label value. */
struct idle_label_iter {
	const char *raw;
	size_t capped; /* bytes within the cap */
	size_t whole;  /* a few bytes past it, to tell a character the cap cuts */
	size_t pos;
};

/* Length of the valid UTF-8 character at s (n bytes readable), or 0 when it is invalid. Pure. */
size_t idle_label_utf8_length(const unsigned char *s, size_t n);

/* True when the len bytes at s are all valid UTF-8: the label is then the name, unaltered. Pure. */
bool idle_label_is_utf8(const char *s, size_t len);

/* Starts a walk over the C string raw, of which at most cap bytes are used. */
void idle_label_iter_init(struct idle_label_iter *it, const char *raw, size_t cap);

/*
 * Sets *chunk and *len to the next character's bytes: the character itself, or
 * IDLE_LABEL_REPLACEMENT for an invalid byte.  Returns false at the end; a valid character
 * that the cap would cut ends the walk, so no output ever holds half a character.  Pure.
 */
bool idle_label_iter_next(struct idle_label_iter *it, const char **chunk, size_t *len);

#endif
