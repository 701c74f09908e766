/* SPDX-License-Identifier: MIT */
/* The rolling mean of the last N polls: a fixed ring of doubles. */
#ifndef IDLE_WINDOW_H
#define IDLE_WINDOW_H

#include <stddef.h>

struct idle_window;

/* Returns a window of size polls (>= 1), or NULL with errno set (EINVAL, ENOMEM). */
struct idle_window *idle_window_new(size_t size);

/* Frees it; NULL is fine. */
void idle_window_free(struct idle_window *window);

/* Adds a value, dropping the oldest once the window is full. */
void idle_window_push(struct idle_window *window, double value);

/* Mean of the values held (fewer than size before the window fills); 0 when empty. */
double idle_window_mean(const struct idle_window *window);

/* How many values the window holds now. */
size_t idle_window_count(const struct idle_window *window);

/*
 * Changes the size, keeping the newest values that fit.
 * Returns 0, or EINVAL / ENOMEM with the window unaltered.
 */
int idle_window_resize(struct idle_window *window, size_t size);

#endif
