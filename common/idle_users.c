/* SPDX-License-Identifier: MIT */
/* User names of terminal owners, cached so a poll does not reread the passwd database. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idle_snapshot.h"
#include "idle_users.h"

#define USERS_SLOTS 32
#define USERS_TTL_SECONDS 60

struct users_slot {
	uid_t uid;
	time_t fetched; /* 0: slot unused */
	char name[IDLE_USER_MAX];
};

struct idle_users {
	struct users_slot slots[USERS_SLOTS];
	size_t next_evict;
};

struct idle_users *
idle_users_new(void)
{
	return calloc(1, sizeof(struct idle_users));
}

void
idle_users_free(struct idle_users *users)
{
	free(users);
}

/* Fills slot with uid's name from the passwd database, or the uid in decimal. */
static void
fetch(struct users_slot *slot, uid_t uid, time_t now)
{
	struct passwd pw, *found = NULL;
	char buf[1024];

	slot->uid = uid;
	slot->fetched = now > 0 ? now : 1;
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &found) == 0 && found != NULL &&
	    strlen(found->pw_name) < sizeof(slot->name)) {
		memcpy(slot->name, found->pw_name, strlen(found->pw_name) + 1);
		return;
	}
	snprintf(slot->name, sizeof(slot->name), "%lu", (unsigned long)uid);
}

/* Returns the slot holding uid, fetching it into a free or evicted slot when absent or old. */
static struct users_slot *
lookup(struct idle_users *users, uid_t uid, time_t now)
{
	struct users_slot *slot;
	size_t i;

	for (i = 0; i < USERS_SLOTS; i++) {
		slot = &users->slots[i];
		if (slot->fetched == 0 || slot->uid != uid)
			continue;
		if (now - slot->fetched >= USERS_TTL_SECONDS || now < slot->fetched)
			fetch(slot, uid, now);
		return slot;
	}
	for (i = 0; i < USERS_SLOTS; i++)
		if (users->slots[i].fetched == 0)
			break;
	if (i == USERS_SLOTS) {
		i = users->next_evict;
		users->next_evict = (users->next_evict + 1) % USERS_SLOTS;
	}
	slot = &users->slots[i];
	fetch(slot, uid, now);
	return slot;
}

void
idle_users_name(struct idle_users *users, uid_t uid, const struct timespec *now, char *name,
		size_t size)
{
	const struct users_slot *slot = lookup(users, uid, now->tv_sec);
	size_t len = strlen(slot->name);

	if (size == 0)
		return;
	if (len >= size)
		len = size - 1;
	memcpy(name, slot->name, len);
	name[len] = '\0';
}
