/* SPDX-License-Identifier: MIT */
/* Growable arrays: one doubling rule for every list of the library. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "idle_array.h"

#define FIRST_CAP 8

int
idle_array_reserve(void *items_ptr, size_t *cap, size_t need, size_t size)
{
	size_t grown_cap = *cap == 0 ? FIRST_CAP : *cap;
	void *items;
	void *grown;

	if (need <= *cap)
		return 0;
	while (grown_cap < need) {
		if (grown_cap > SIZE_MAX / 2)
			return ENOMEM;
		grown_cap *= 2;
	}
	if (size != 0 && grown_cap > SIZE_MAX / size)
		return ENOMEM;
	/* The pointer is copied, not cast through void **: any object pointer type works. */
	memcpy(&items, items_ptr, sizeof(items));
	grown = realloc(items, grown_cap * size);
	if (grown == NULL)
		return ENOMEM;
	memcpy(items_ptr, &grown, sizeof(grown));
	*cap = grown_cap;
	return 0;
}

int
idle_array_push(void *items_ptr, size_t *len, size_t *cap, const void *item, size_t size)
{
	unsigned char *items;
	int rc = idle_array_reserve(items_ptr, cap, *len + 1, size);

	if (rc != 0)
		return rc;
	memcpy(&items, items_ptr, sizeof(items));
	memcpy(items + *len * size, item, size);
	(*len)++;
	return 0;
}
