/* SPDX-License-Identifier: MIT */
/* Growable arrays: one doubling rule for every list of the library. */
#ifndef IDLE_ARRAY_H
#define IDLE_ARRAY_H

#include <stddef.h>

/*
 * Makes room for at least need elements of size bytes in the array *items_ptr (any object
 * pointer, passed by address: &list->items) of capacity *cap, doubling from 8.  Returns 0, or
 * ENOMEM (an overflowing size included) with the array and *cap unchanged.  The caller owns
 * the array and frees it with free().  Reentrant.
 */
int idle_array_reserve(void *items_ptr, size_t *cap, size_t need, size_t size);

/*
 * Appends the size bytes at item to the array *items_ptr of *len elements and capacity *cap.
 * Returns 0 or ENOMEM (nothing appended).  Reentrant.
 */
int idle_array_push(void *items_ptr, size_t *len, size_t *cap, const void *item, size_t size);

#endif
