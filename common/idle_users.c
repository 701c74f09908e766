/* SPDX-License-Identifier: MIT */
/* The passwd cache: login names of uids and uids of login names, looked up once a minute. */
#include <errno.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idle_array.h"
#include "idle_snapshot.h"
#include "idle_users.h"

/* Largest getpw*_r buffer tried before giving up with ERANGE (LDAP groups can be large). */
#define PW_BUF_MAX (1024 * 1024)

/* What an entry is keyed on: the two lookups answer differently for aliases of one uid. */
enum key_kind { BY_UID, BY_NAME };

struct entry {
	enum key_kind kind;
	int rc;                  /* the lookup's answer: 0 or ESRCH (or, by uid, an errno) */
	uid_t uid;               /* the key by uid, the answer by name */
	char name[IDLE_USER_MAX]; /* the key by name, the answer (or the decimal uid) by uid */
	bool known;              /* the answer was looked up, at fetched */
	time_t fetched;
	time_t seen;             /* when it was last asked for */
};

struct idle_users {
	struct idle_users_lookup lookup;
	struct entry *entries;
	size_t len;
	size_t cap;
	uint32_t *index; /* open addressing: entry number + 1, 0 for an empty slot */
	size_t index_cap; /* a power of two, at least twice len */
	time_t pruned; /* when entries were last dropped */
	bool pruned_valid;
	char *pw_buf;
	size_t pw_size;
};

/* getpw*_r's buffer, grown on ERANGE.  Returns 0, ENOMEM or ERANGE past PW_BUF_MAX. */
static int
grow_pw_buf(struct idle_users *users)
{
	size_t size = users->pw_size == 0 ? 1024 : users->pw_size * 2;
	char *buf;

	if (size > PW_BUF_MAX)
		return ERANGE;
	buf = realloc(users->pw_buf, size);
	if (buf == NULL)
		return ENOMEM;
	users->pw_buf = buf;
	users->pw_size = size;
	return 0;
}

/* getpwuid_r (key != NULL: getpwnam_r) with a growing buffer.  0 with *found, or an errno. */
static int
getpw(struct idle_users *users, const char *key, uid_t uid, struct passwd *pw,
      struct passwd **found)
{
	int rc = users->pw_buf == NULL ? grow_pw_buf(users) : 0;

	while (rc == 0) {
		*found = NULL;
		rc = key != NULL ? getpwnam_r(key, pw, users->pw_buf, users->pw_size, found)
				 : getpwuid_r(uid, pw, users->pw_buf, users->pw_size, found);
		if (rc != ERANGE)
			break;
		rc = grow_pw_buf(users);
	}
	if (rc == 0 && *found == NULL)
		return ESRCH;
	/* getpwnam_r(3): these also mean "not found" with some NSS modules. */
	if (rc == ENOENT || rc == ESRCH || rc == EBADF || rc == EPERM)
		return ESRCH;
	return rc;
}

static int
system_by_uid(void *arg, uid_t uid, char *name, size_t size)
{
	struct passwd pw, *found;
	int rc = getpw(arg, NULL, uid, &pw, &found);
	size_t len;

	if (rc != 0)
		return rc;
	len = strlen(found->pw_name);
	if (len >= size)
		return ENAMETOOLONG;
	memcpy(name, found->pw_name, len + 1);
	return 0;
}

static int
system_by_name(void *arg, const char *name, uid_t *uid)
{
	struct passwd pw, *found;
	int rc = getpw(arg, name, 0, &pw, &found);

	if (rc == 0)
		*uid = found->pw_uid;
	return rc;
}

struct idle_users *
idle_users_new(void)
{
	struct idle_users *users = idle_users_new_lookup(
	    &(struct idle_users_lookup){system_by_uid, system_by_name, NULL});

	if (users != NULL)
		users->lookup.arg = users;
	return users;
}

struct idle_users *
idle_users_new_lookup(const struct idle_users_lookup *lookup)
{
	struct idle_users *users;

	if (lookup == NULL || lookup->by_uid == NULL || lookup->by_name == NULL) {
		errno = EINVAL;
		return NULL;
	}
	users = calloc(1, sizeof(*users));
	if (users == NULL)
		return NULL;
	users->lookup = *lookup;
	return users;
}

void
idle_users_free(struct idle_users *users)
{
	if (users == NULL)
		return;
	free(users->entries);
	free(users->index);
	free(users->pw_buf);
	free(users);
}

/* FNV-1a over the key, so uids and names share one index. */
static uint32_t
hash_key(enum key_kind kind, uid_t uid, const char *name)
{
	uint32_t h = 2166136261u ^ (uint32_t)kind;
	const unsigned char *p = (const unsigned char *)name;

	if (kind == BY_UID)
		return (h ^ (uint32_t)uid) * 2654435761u;
	for (; *p != '\0'; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

static bool
entry_is(const struct entry *e, enum key_kind kind, uid_t uid, const char *name)
{
	if (e->kind != kind)
		return false;
	return kind == BY_UID ? e->uid == uid : strcmp(e->name, name) == 0;
}

static uint32_t
entry_hash(const struct entry *e)
{
	return hash_key(e->kind, e->uid, e->name);
}

/* The index slot holding the key, or the empty slot where it would go. */
static size_t
slot_of(const struct idle_users *users, enum key_kind kind, uid_t uid, const char *name)
{
	size_t mask = users->index_cap - 1;
	size_t i = hash_key(kind, uid, name) & mask;

	while (users->index[i] != 0 &&
	       !entry_is(&users->entries[users->index[i] - 1], kind, uid, name))
		i = (i + 1) & mask;
	return i;
}

/* Rebuilds the index for cap slots (a power of two above twice len).  0 or ENOMEM. */
static int
reindex(struct idle_users *users, size_t cap)
{
	uint32_t *index = users->index;
	size_t i;

	/* The same capacity reuses the array, so dropping entries never needs memory. */
	if (cap != users->index_cap) {
		index = calloc(cap, sizeof(*index));
		if (index == NULL)
			return ENOMEM;
		free(users->index);
		users->index = index;
		users->index_cap = cap;
	} else {
		memset(index, 0, cap * sizeof(*index));
	}
	for (i = 0; i < users->len; i++) {
		size_t slot = entry_hash(&users->entries[i]) & (cap - 1);

		while (index[slot] != 0)
			slot = (slot + 1) & (cap - 1);
		index[slot] = (uint32_t)(i + 1);
	}
	return 0;
}

/* Drops the entries nobody asked for in IDLE_USERS_DROP_SECONDS, once a minute at most. */
static void
prune(struct idle_users *users, time_t now)
{
	size_t i, n = 0;

	if (users->pruned_valid && now >= users->pruned &&
	    now - users->pruned < IDLE_USERS_TTL_SECONDS)
		return;
	users->pruned = now;
	users->pruned_valid = true;
	for (i = 0; i < users->len; i++) {
		struct entry *e = &users->entries[i];

		if (now >= e->seen && now - e->seen >= IDLE_USERS_DROP_SECONDS)
			continue;
		users->entries[n++] = *e;
	}
	if (n == users->len)
		return;
	users->len = n;
	(void)reindex(users, users->index_cap);
}

/* True when the entry's answer may be used at now. */
static bool
fresh(const struct entry *e, time_t now)
{
	return e->known && now >= e->fetched && now - e->fetched < IDLE_USERS_TTL_SECONDS;
}

/* The entry for the key, made (not yet known) when absent; NULL without memory for it. */
static struct entry *
find(struct idle_users *users, enum key_kind kind, uid_t uid, const char *name, time_t now)
{
	struct entry e = {.kind = kind, .uid = uid};
	size_t slot;

	prune(users, now);
	if (users->index_cap < 2 * (users->len + 1) &&
	    reindex(users, users->index_cap == 0 ? 16 : users->index_cap * 2) != 0)
		return NULL;
	slot = slot_of(users, kind, uid, name);
	if (users->index[slot] != 0)
		return &users->entries[users->index[slot] - 1];
	if (kind == BY_NAME)
		memcpy(e.name, name, strlen(name) + 1);
	if (idle_array_push(&users->entries, &users->len, &users->cap, &e, sizeof(e)) != 0)
		return NULL;
	users->index[slot] = (uint32_t)users->len;
	return &users->entries[users->len - 1];
}

/* uid's name from the lookup, or its decimal form. */
static void
fetch_name(struct idle_users *users, uid_t uid, char name[IDLE_USER_MAX])
{
	if (users->lookup.by_uid(users->lookup.arg, uid, name, IDLE_USER_MAX) != 0)
		(void)snprintf(name, IDLE_USER_MAX, "%lu", (unsigned long)uid);
}

void
idle_users_name(struct idle_users *users, uid_t uid, const struct timespec *now, char *name,
		size_t size)
{
	char uncached[IDLE_USER_MAX];
	struct entry *e = find(users, BY_UID, uid, NULL, now->tv_sec);
	const char *answer = uncached;
	size_t len;

	if (e == NULL) {
		fetch_name(users, uid, uncached);
	} else {
		if (!fresh(e, now->tv_sec)) {
			fetch_name(users, uid, e->name);
			e->fetched = now->tv_sec;
			e->known = true;
		}
		e->seen = now->tv_sec;
		answer = e->name;
	}
	if (size == 0)
		return;
	len = strlen(answer);
	if (len >= size)
		len = size - 1;
	memcpy(name, answer, len);
	name[len] = '\0';
}

int
idle_users_uid(struct idle_users *users, const char *name, const struct timespec *now,
	       uid_t *uid)
{
	struct entry *e = NULL;
	int rc;

	/* utmp's names always fit; a longer one is asked for each time rather than cut. */
	if (strlen(name) < IDLE_USER_MAX)
		e = find(users, BY_NAME, 0, name, now->tv_sec);
	if (e != NULL && fresh(e, now->tv_sec)) {
		e->seen = now->tv_sec;
		*uid = e->uid;
		return e->rc;
	}
	rc = users->lookup.by_name(users->lookup.arg, name, uid);
	if (e == NULL || (rc != 0 && rc != ESRCH))
		return rc;
	e->rc = rc;
	e->uid = rc == 0 ? *uid : 0;
	e->fetched = now->tv_sec;
	e->seen = now->tv_sec;
	e->known = true;
	return rc;
}
