/* SPDX-License-Identifier: MIT */
/* Container mode: every container's devpts into its own subject, each with its own average. */
#ifndef IDLE_CONTAINER_SAMPLER_H
#define IDLE_CONTAINER_SAMPLER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "idle_containers.h"
#include "idle_snapshot.h"

struct idle_container_sampler;

/*
 * Returns a sampler of the containers config finds, averaging window polls each and listing
 * each terminal when terminals is true; NULL with errno set (ENOMEM, EINVAL).
 */
struct idle_container_sampler *idle_container_sampler_new(
	const struct idle_containers_config *config, size_t window, bool terminals);

/* Closes every container's directories and frees the sampler; NULL is fine. */
void idle_container_sampler_free(struct idle_container_sampler *cs);

/*
 * Appends one subject per container to snap, sorted by container ID, after rediscovering the
 * containers when it is time (see idle_containers_refresh).  A container whose devpts cannot be
 * read gets a subject without values.  Returns 0, or the first errno: discovery failed (no
 * subject then), or a container's devpts could not be read.  Not thread-safe.
 */
int idle_container_sampler_poll(struct idle_container_sampler *cs, const struct timespec *now,
				struct idle_snapshot *snap);

#endif
