/* SPDX-License-Identifier: MIT */
/* Container mode: every container's devpts into its own subject, each with its own average. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "idle_array.h"
#include "idle_container_sampler.h"
#include "idle_subject_poll.h"

/* A container's rolling average, kept while the container is. */
struct container_window {
	char id[IDLE_CONTAINER_ID_LEN + 1];
	struct idle_window *window;
};

struct idle_container_sampler {
	struct idle_containers *set;
	size_t window_size;
	bool terminals;
	struct container_window *windows; /* sorted by id, as the set is */
	size_t len, cap;
	struct container_window *next; /* built at each poll, then swapped with windows */
	size_t next_len, next_cap;
};

struct idle_container_sampler *
idle_container_sampler_new(const struct idle_containers_config *config, size_t window,
			   bool terminals)
{
	struct idle_container_sampler *cs;
	int saved;

	if (window == 0) {
		errno = EINVAL;
		return NULL;
	}
	if ((cs = calloc(1, sizeof(*cs))) == NULL)
		return NULL;
	cs->window_size = window;
	cs->terminals = terminals;
	if ((cs->set = idle_containers_new(config)) == NULL) {
		saved = errno;
		free(cs);
		errno = saved;
		return NULL;
	}
	return cs;
}

/* Frees every window still held by list[0..len); a window moved elsewhere is NULL there. */
static void
free_windows(struct container_window *list, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		idle_window_free(list[i].window);
}

void
idle_container_sampler_free(struct idle_container_sampler *cs)
{
	if (cs == NULL)
		return;
	free_windows(cs->windows, cs->len);
	free(cs->windows);
	free(cs->next);
	idle_containers_free(cs->set);
	free(cs);
}

/* Makes next the current list of n windows. */
static void
swap_lists(struct idle_container_sampler *cs, size_t n)
{
	struct container_window *list = cs->windows;
	size_t cap = cs->cap;

	free_windows(cs->windows, cs->len);
	cs->windows = cs->next;
	cs->cap = cs->next_cap;
	cs->len = n;
	cs->next = list;
	cs->next_cap = cap;
}

/*
 * Gives each container of the set its window, in the set's order: the one it had (both lists
 * are sorted by id, so one merge pass finds it) or a new one; frees the windows of containers
 * gone.  Returns 0, or ENOMEM: every average then starts again.
 */
static int
match_windows(struct idle_container_sampler *cs)
{
	size_t n = idle_containers_count(cs->set), i, old = 0;
	const struct idle_container *c;

	if (idle_array_reserve(&cs->next, &cs->next_cap, n, sizeof(*cs->next)) != 0)
		n = 0;
	for (i = 0; i < n; i++) {
		c = idle_containers_get(cs->set, i);
		while (old < cs->len && strcmp(cs->windows[old].id, c->id) < 0)
			old++;
		memcpy(cs->next[i].id, c->id, sizeof(cs->next[i].id));
		if (old < cs->len && strcmp(cs->windows[old].id, c->id) == 0) {
			cs->next[i].window = cs->windows[old].window;
			cs->windows[old++].window = NULL;
		} else if ((cs->next[i].window = idle_window_new(cs->window_size)) == NULL) {
			free_windows(cs->next, i);
			swap_lists(cs, 0);
			return ENOMEM;
		}
	}
	swap_lists(cs, n);
	return n == idle_containers_count(cs->set) ? 0 : ENOMEM;
}

/* Names a container's terminal owners from its own passwd file. */
static void
container_owner(void *arg, uid_t uid, const struct timespec *now, char *name, size_t size)
{
	(void)now;
	idle_container_user(arg, uid, name, size);
}

/* The subject's labels: the container's names and ids. */
static void
subject_id(const struct idle_container *c, struct idle_subject_id *id)
{
	*id = (struct idle_subject_id){c->namespace_name, c->pod, c->container, c->pod_uid, c->id};
}

int
idle_container_sampler_poll(struct idle_container_sampler *cs, const struct timespec *now,
			    struct idle_snapshot *snap)
{
	struct idle_subject_poll p = {snap, NULL, NULL, cs->terminals, container_owner, NULL, now};
	const struct idle_container *c;
	struct idle_subject_id id;
	int err, first = 0;
	size_t i;

	if ((err = idle_containers_refresh(cs->set, now)) != 0)
		return err;
	if ((err = match_windows(cs)) != 0)
		return err;
	for (i = 0; i < cs->len; i++) {
		c = idle_containers_get(cs->set, i);
		subject_id(c, &id);
		if ((p.subject = idle_snapshot_add_container(snap, &id)) == NULL)
			return ENOMEM;
		p.window = cs->windows[i].window;
		p.owner_arg = (void *)c;
		err = idle_subject_poll_fd(&p, c->pts_fd);
		if (err != 0 && first == 0)
			first = err;
	}
	return first;
}
