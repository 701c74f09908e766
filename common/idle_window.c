/* SPDX-License-Identifier: MIT */
/* The rolling mean of the last N polls: a fixed ring of doubles, summed on demand. */
#include <errno.h>
#include <stdlib.h>

#include "idle_window.h"

struct idle_window {
	double *values; /* ring of size slots */
	size_t size;
	size_t count;   /* slots filled, <= size */
	size_t next;    /* slot the next push writes */
};

struct idle_window *
idle_window_new(size_t size)
{
	struct idle_window *window;

	if (size == 0) {
		errno = EINVAL;
		return NULL;
	}
	window = calloc(1, sizeof(*window));
	if (window == NULL)
		return NULL;
	window->values = calloc(size, sizeof(*window->values));
	if (window->values == NULL) {
		free(window);
		return NULL;
	}
	window->size = size;
	return window;
}

void
idle_window_free(struct idle_window *window)
{
	if (window == NULL)
		return;
	free(window->values);
	free(window);
}

void
idle_window_push(struct idle_window *window, double value)
{
	window->values[window->next] = value;
	window->next = (window->next + 1) % window->size;
	if (window->count < window->size)
		window->count++;
}

/*
 * Summing the whole ring each time (at most a few hundred additions) avoids the drift a running
 * sum picks up over months of adds and subtracts.
 */
double
idle_window_mean(const struct idle_window *window)
{
	double sum = 0.0;
	size_t i;

	if (window->count == 0)
		return 0.0;
	for (i = 0; i < window->count; i++)
		sum += window->values[i];
	return sum / (double)window->count;
}

size_t
idle_window_count(const struct idle_window *window)
{
	return window->count;
}

int
idle_window_resize(struct idle_window *window, size_t size)
{
	double *values;
	size_t keep, i, slot;

	if (size == 0)
		return EINVAL;
	values = calloc(size, sizeof(*values));
	if (values == NULL)
		return ENOMEM;
	keep = window->count < size ? window->count : size;
	/* Oldest kept value first: it sits keep slots behind next. */
	for (i = 0; i < keep; i++) {
		slot = (window->next + window->size - keep + i) % window->size;
		values[i] = window->values[slot];
	}
	free(window->values);
	window->values = values;
	window->size = size;
	window->count = keep;
	window->next = keep % size;
	return 0;
}
