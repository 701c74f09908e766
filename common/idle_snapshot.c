/* SPDX-License-Identifier: MIT */
/* One complete set of sampled values, and copying it without allocating on the hot path. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "idle_array.h"
#include "idle_snapshot.h"

static const char *const source_names[IDLE_SOURCE_COUNT] = {
    [IDLE_SOURCE_PTS] = "pts",
    [IDLE_SOURCE_UTMP] = "utmp",
    [IDLE_SOURCE_DEV] = "dev",
    [IDLE_SOURCE_PROC] = "proc",
    [IDLE_SOURCE_CONTAINERS] = "containers",
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
	free(snap->containers);
	free(snap->labels);
	idle_snapshot_init(snap);
}

void
idle_snapshot_clear(struct idle_snapshot *snap)
{
	struct idle_snapshot keep = *snap;

	idle_snapshot_init(snap);
	snap->terminals = keep.terminals;
	snap->terminals_cap = keep.terminals_cap;
	snap->containers = keep.containers;
	snap->containers_cap = keep.containers_cap;
	snap->labels = keep.labels;
	snap->labels_cap = keep.labels_cap;
	memcpy(snap->errors, keep.errors, sizeof(snap->errors));
}

int
idle_snapshot_add_terminal(struct idle_snapshot *snap, struct idle_subject *subject,
			   const struct idle_terminal *term)
{
	int err = idle_array_reserve(&snap->terminals, &snap->terminals_cap,
				     snap->terminals_len + 1, sizeof(*term));

	if (err != 0)
		return err;
	if (subject->terminals_len == 0)
		subject->first_terminal = snap->terminals_len;
	snap->terminals[snap->terminals_len++] = *term;
	subject->terminals_len++;
	return 0;
}

/* Appends s (NULL for "") and its NUL to the label pool, where room was made. */
static void
pool_label(struct idle_snapshot *snap, const char *s)
{
	size_t n = s == NULL ? 0 : strlen(s);

	if (n > 0)
		memcpy(snap->labels + snap->labels_len, s, n);
	snap->labels[snap->labels_len + n] = '\0';
	snap->labels_len += n + 1;
}

struct idle_subject *
idle_snapshot_add_container(struct idle_snapshot *snap, const struct idle_subject_id *id)
{
	const char *values[] = {id->namespace_name, id->pod, id->container, id->pod_uid,
				id->container_id};
	struct idle_subject *subject;
	size_t i, need = 0;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		need += (values[i] == NULL ? 0 : strlen(values[i])) + 1;
	if (idle_array_reserve(&snap->containers, &snap->containers_cap, snap->containers_len + 1,
			       sizeof(*subject)) != 0 ||
	    idle_array_reserve(&snap->labels, &snap->labels_cap, snap->labels_len + need, 1) != 0)
		return NULL;
	subject = &snap->containers[snap->containers_len++];
	memset(subject, 0, sizeof(*subject));
	subject->labels = snap->labels_len;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		pool_label(snap, values[i]);
	return subject;
}

void
idle_snapshot_subject_id(const struct idle_snapshot *snap, const struct idle_subject *subject,
			 struct idle_subject_id *id)
{
	const char *p;

	if (subject == &snap->host || snap->labels == NULL) {
		id->namespace_name = id->pod = id->container = id->pod_uid = id->container_id = "";
		return;
	}
	p = snap->labels + subject->labels;
	id->namespace_name = p;
	p += strlen(p) + 1;
	id->pod = p;
	p += strlen(p) + 1;
	id->container = p;
	p += strlen(p) + 1;
	id->pod_uid = p;
	p += strlen(p) + 1;
	id->container_id = p;
}

const struct idle_terminal *
idle_snapshot_terminals(const struct idle_snapshot *snap, const struct idle_subject *subject)
{
	if (subject->terminals_len == 0)
		return NULL;
	return snap->terminals + subject->first_terminal;
}

/* Copies n items of size bytes into the array *items_ptr (passed by address), growing it;
 * returns 0 or ENOMEM. */
static int
copy_items(void *items_ptr, size_t *cap, const void *from, size_t n, size_t size)
{
	void *items;

	if (idle_array_reserve(items_ptr, cap, n, size) != 0)
		return ENOMEM;
	memcpy(&items, items_ptr, sizeof(items));
	if (n > 0)
		memcpy(items, from, n * size);
	return 0;
}

int
idle_snapshot_copy(struct idle_snapshot *dst, const struct idle_snapshot *src)
{
	struct idle_snapshot keep = *dst;

	*dst = *src;
	dst->terminals = keep.terminals;
	dst->terminals_cap = keep.terminals_cap;
	dst->containers = keep.containers;
	dst->containers_cap = keep.containers_cap;
	dst->labels = keep.labels;
	dst->labels_cap = keep.labels_cap;
	if (copy_items(&dst->terminals, &dst->terminals_cap, src->terminals, src->terminals_len,
		       sizeof(*src->terminals)) != 0 ||
	    copy_items(&dst->containers, &dst->containers_cap, src->containers, src->containers_len,
		       sizeof(*src->containers)) != 0 ||
	    copy_items(&dst->labels, &dst->labels_cap, src->labels, src->labels_len, 1) != 0) {
		dst->terminals_len = 0;
		dst->containers_len = 0;
		dst->labels_len = 0;
		dst->containers_enabled = false;
		dst->host.has_terminals = false;
		dst->host.terminals_len = 0;
		return ENOMEM;
	}
	return 0;
}
