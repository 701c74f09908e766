/* SPDX-License-Identifier: MIT */
/* Label values made safe: capped, never cutting a character, invalid UTF-8 replaced. */
#include <string.h>

#include "idle_label.h"

size_t
idle_label_utf8_length(const unsigned char *s, size_t n)
{
	unsigned long cp, min;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f, min = 0x80;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f, min = 0x800;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates and code points past U+10FFFF are invalid. */
	if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

bool
idle_label_is_utf8(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		n = idle_label_utf8_length(u + i, len - i);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

void
idle_label_iter_init(struct idle_label_iter *it, const char *raw, size_t cap)
{
	it->raw = raw;
	it->capped = strnlen(raw, cap);
	it->whole = it->capped + strnlen(raw + it->capped, 3);
	it->pos = 0;
}

bool
idle_label_iter_next(struct idle_label_iter *it, const char **chunk, size_t *len)
{
	const unsigned char *s = (const unsigned char *)it->raw + it->pos;
	size_t n;

	if (it->pos >= it->capped)
		return false;
	n = idle_label_utf8_length(s, it->whole - it->pos);
	if (n > it->capped - it->pos)
		return false;
	if (n == 0) {
		*chunk = IDLE_LABEL_REPLACEMENT;
		*len = strlen(IDLE_LABEL_REPLACEMENT);
		it->pos++;
		return true;
	}
	*chunk = it->raw + it->pos;
	*len = n;
	it->pos += n;
	return true;
}
