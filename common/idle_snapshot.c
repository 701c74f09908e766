/* SPDX-License-Identifier: MIT */
/* One complete set of sampled values, and copying it without allocating on the hot path. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "idle_snapshot.h"

static const char *const source_names[IDLE_SOURCE_COUNT] = {
	[IDLE_SOURCE_PTS] = "pts",
	[IDLE_SOURCE_UTMP] = "utmp",
	[IDLE_SOURCE_DEV] = "dev",
	[IDLE_SOURCE_PROC] = "proc",
};

const char *
idle_source_name(enum idle_source source)
{
	if ((unsigned)source >= IDLE_SOURCE_COUNT)
		return NULL;
	return source_names[source];
}

void
idle_snapshot_init(struct idle_snapshot *snap)
{
	memset(snap, 0, sizeof(*snap));
}

void
idle_snapshot_free(struct idle_snapshot *snap)
{
	free(snap->terminals);
	idle_snapshot_init(snap);
}

void
idle_snapshot_clear(struct idle_snapshot *snap)
{
	struct idle_terminal *terminals = snap->terminals;
	size_t cap = snap->terminals_cap;
	uint64_t errors[IDLE_SOURCE_COUNT];

	memcpy(errors, snap->errors, sizeof(errors));
	idle_snapshot_init(snap);
	snap->terminals = terminals;
	snap->terminals_cap = cap;
	memcpy(snap->errors, errors, sizeof(errors));
}

/* Makes room for at least want terminals. */
static int
reserve_terminals(struct idle_snapshot *snap, size_t want)
{
	struct idle_terminal *grown;
	size_t cap;

	if (want <= snap->terminals_cap)
		return 0;
	cap = snap->terminals_cap ? snap->terminals_cap : 16;
	while (cap < want) {
		if (cap > SIZE_MAX / 2 / sizeof(*grown))
			return ENOMEM;
		cap *= 2;
	}
	grown = realloc(snap->terminals, cap * sizeof(*grown));
	if (grown == NULL)
		return ENOMEM;
	snap->terminals = grown;
	snap->terminals_cap = cap;
	return 0;
}

int
idle_snapshot_add_terminal(struct idle_snapshot *snap, const struct idle_terminal *term)
{
	int err = reserve_terminals(snap, snap->terminals_len + 1);

	if (err != 0)
		return err;
	snap->terminals[snap->terminals_len++] = *term;
	return 0;
}

int
idle_snapshot_copy(struct idle_snapshot *dst, const struct idle_snapshot *src)
{
	struct idle_terminal *terminals = dst->terminals;
	size_t cap = dst->terminals_cap;
	int err;

	*dst = *src;
	dst->terminals = terminals;
	dst->terminals_cap = cap;
	dst->terminals_len = 0;
	err = reserve_terminals(dst, src->terminals_len);
	if (err != 0) {
		dst->has_terminals = false;
		return err;
	}
	if (src->terminals_len > 0)
		memcpy(dst->terminals, src->terminals, src->terminals_len * sizeof(*src->terminals));
	dst->terminals_len = src->terminals_len;
	return 0;
}
