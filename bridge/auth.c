/* SPDX-License-Identifier: MIT */
/* HTTP basic auth against bcrypt hashes: strict header parsing, a safe cache, a bcrypt budget. */
#include <crypt.h>
#include <errno.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth.h"

#define AUTH_MAC_SIZE 32  /* HMAC-SHA256 */
#define AUTH_GRANTED_SLOTS 16
#define AUTH_DENIED_SLOTS 16
/* The longest base64 an acceptable "user:password" can take. */
#define AUTH_B64_MAX (((AUTH_USER_MAX + 1 + AUTH_PASSWORD_MAX) + 2) / 3 * 4)

/*
 * A credential checked before.  User, hash and password are separate fixed-size fields, so no
 * two different credentials share a key (the lesson of CVE-2022-46146, where "user" + "hash"
 * + "password" were concatenated); the password is kept only as a keyed hash.
 */
struct auth_entry {
	bool used;
	unsigned char user_mac[AUTH_MAC_SIZE];
	unsigned char pass_mac[AUTH_MAC_SIZE];
	const char *hash; /* the hash it was checked against: a user's, or the dummy */
	uint64_t stamp;   /* for least-recently-used replacement */
};

struct auth {
	struct webconfig_user *users;
	size_t n_users;
	char dummy_hash[64]; /* what unknown users are checked against, at the highest cost */
	unsigned char key[AUTH_MAC_SIZE]; /* random per process: the cache's salt */
	pthread_mutex_t lock;             /* guards what follows */
	struct auth_entry granted[AUTH_GRANTED_SLOTS];
	struct auth_entry denied[AUTH_DENIED_SLOTS];
	uint64_t clock;
	double share, burst, budget, budget_time; /* the bcrypt budget, in seconds */
	struct crypt_data *crypt; /* used outside the lock: one HTTP thread, see auth_check */
	pthread_mutex_t crypt_lock;
};

/* Compares n bytes in time independent of where they differ. */
static bool
equal_secret(const void *a, const void *b, size_t n)
{
	const volatile unsigned char *x = a, *y = b;
	unsigned char diff = 0;
	size_t i;

	for (i = 0; i < n; i++)
		diff |= x[i] ^ y[i];
	return diff == 0;
}

/* The value of one base64 character, -1 for anything else. */
static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decodes canonical padded base64 (RFC 4648 section 4); returns the length or -1. */
static long
b64_decode(const char *in, size_t len, unsigned char *out)
{
	size_t i, o = 0, pad;
	int v[4], k;

	if (len == 0 || len % 4 != 0)
		return -1;
	pad = in[len - 1] == '=' ? (in[len - 2] == '=' ? 2 : 1) : 0;
	for (i = 0; i < len; i += 4) {
		for (k = 0; k < 4; k++) {
			bool padding = i + 4 == len && k >= 4 - (int)pad;

			v[k] = padding ? 0 : b64_value((unsigned char)in[i + k]);
			if (v[k] < 0)
				return -1;
		}
		out[o++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		if (i + 4 < len || pad < 2)
			out[o++] = (unsigned char)((v[1] & 15) << 4 | v[2] >> 2);
		if (i + 4 < len || pad < 1)
			out[o++] = (unsigned char)((v[2] & 3) << 6 | v[3]);
	}
	/* Bits past the last byte must be zero: one encoding per credential. */
	if ((pad == 2 && (v[1] & 15) != 0) || (pad == 1 && (v[2] & 3) != 0))
		return -1;
	return (long)o;
}

/* Copies n bytes and a NUL; EINVAL when that does not fit in size. */
static int
copy_part(char *dst, size_t size, const unsigned char *src, size_t n)
{
	if (n >= size)
		return EINVAL;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

int
auth_parse_basic(const char *header, char *user, size_t usersize, char *pass, size_t passsize)
{
	unsigned char decoded[AUTH_B64_MAX];
	const unsigned char *colon;
	size_t len, i;
	long n;
	int rc;

	if (header == NULL || strncasecmp(header, "Basic ", 6) != 0)
		return EINVAL;
	header += 6;
	len = strlen(header);
	if (len > AUTH_B64_MAX || (n = b64_decode(header, len, decoded)) < 0)
		return EINVAL;
	/* RFC 7617: no control characters; a NUL would cut the password short in crypt_r. */
	for (i = 0; i < (size_t)n; i++)
		if (decoded[i] < 0x20 || decoded[i] == 0x7f)
			break;
	colon = memchr(decoded, ':', (size_t)n);
	if (i < (size_t)n || colon == NULL || colon - decoded > AUTH_USER_MAX ||
	    (size_t)n - (size_t)(colon - decoded) - 1 > AUTH_PASSWORD_MAX)
		rc = EINVAL;
	else if ((rc = copy_part(user, usersize, decoded, (size_t)(colon - decoded))) == 0)
		rc = copy_part(pass, passsize, colon + 1, (size_t)n - (size_t)(colon - decoded) - 1);
	explicit_bzero(decoded, sizeof(decoded));
	return rc;
}

/* The cost of a bcrypt hash (already validated by webconfig_is_bcrypt). */
static int
bcrypt_cost(const char *hash)
{
	return (hash[4] - '0') * 10 + (hash[5] - '0');
}

/*
 * A hash nobody's password matches, at the given cost: a fresh salt and a random digest, so
 * an unknown user costs one full bcrypt, like a known one, and never gets in.
 */
static int
make_dummy(char *out, size_t size, int cost)
{
	static const char alphabet[] =
		"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char random[31];
	size_t i, len;

	if (crypt_gensalt_rn("$2b$", (unsigned long)cost, NULL, 0, out, (int)size) == NULL)
		return errno != 0 ? errno : EINVAL;
	len = strlen(out);
	if (len != 29 || len + sizeof(random) >= size ||
	    gnutls_rnd(GNUTLS_RND_NONCE, random, sizeof(random)) != 0)
		return EIO;
	for (i = 0; i < sizeof(random); i++)
		out[len + i] = alphabet[random[i] % 64];
	out[len + sizeof(random)] = '\0';
	return 0;
}

/* Copies the users; returns 0 or ENOMEM. */
static int
copy_users(struct auth *auth, const struct webconfig_user *users, size_t n_users)
{
	size_t i;

	auth->users = calloc(n_users, sizeof(*auth->users));
	if (auth->users == NULL)
		return ENOMEM;
	auth->n_users = n_users;
	for (i = 0; i < n_users; i++) {
		auth->users[i].name = strdup(users[i].name);
		auth->users[i].hash = strdup(users[i].hash);
		if (auth->users[i].name == NULL || auth->users[i].hash == NULL)
			return ENOMEM;
	}
	return 0;
}

struct auth *
auth_new(const struct webconfig_user *users, size_t n_users, char *err, size_t errsize)
{
	struct auth *auth = calloc(1, sizeof(*auth));
	int cost = 4, rc;
	size_t i;

	if (auth == NULL) {
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&auth->lock, NULL);
	pthread_mutex_init(&auth->crypt_lock, NULL);
	if ((auth->crypt = calloc(1, sizeof(*auth->crypt))) == NULL ||
	    copy_users(auth, users, n_users) != 0) {
		snprintf(err, errsize, "out of memory");
		auth_free(auth);
		return NULL;
	}
	for (i = 0; i < n_users; i++)
		if (bcrypt_cost(users[i].hash) > cost)
			cost = bcrypt_cost(users[i].hash);
	if ((rc = make_dummy(auth->dummy_hash, sizeof(auth->dummy_hash), cost)) != 0 ||
	    gnutls_rnd(GNUTLS_RND_KEY, auth->key, sizeof(auth->key)) != 0) {
		snprintf(err, errsize, "cannot prepare bcrypt: %s", strerror(rc ? rc : EIO));
		auth_free(auth);
		return NULL;
	}
	auth_set_budget(auth, AUTH_DEFAULT_SHARE, AUTH_DEFAULT_BURST_SECONDS);
	return auth;
}

void
auth_free(struct auth *auth)
{
	size_t i;

	if (auth == NULL)
		return;
	for (i = 0; auth->users != NULL && i < auth->n_users; i++) {
		free(auth->users[i].name);
		free(auth->users[i].hash);
	}
	free(auth->users);
	if (auth->crypt != NULL)
		explicit_bzero(auth->crypt, sizeof(*auth->crypt));
	free(auth->crypt);
	pthread_mutex_destroy(&auth->lock);
	pthread_mutex_destroy(&auth->crypt_lock);
	explicit_bzero(auth, sizeof(*auth));
	free(auth);
}

void
auth_set_budget(struct auth *auth, double share, double burst_seconds)
{
	pthread_mutex_lock(&auth->lock);
	auth->share = share;
	auth->burst = burst_seconds;
	auth->budget = burst_seconds;
	auth->budget_time = 0;
	pthread_mutex_unlock(&auth->lock);
}

/* The entry matching a credential in a table, or NULL. */
static struct auth_entry *
find(struct auth_entry *table, size_t n, const struct auth_entry *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (table[i].used && table[i].hash == key->hash &&
		    equal_secret(table[i].user_mac, key->user_mac, AUTH_MAC_SIZE) &
			    equal_secret(table[i].pass_mac, key->pass_mac, AUTH_MAC_SIZE))
			return &table[i];
	return NULL;
}

/* Puts a credential in a table, replacing the least recently used entry when full. */
static void
remember(struct auth *auth, struct auth_entry *table, size_t n, const struct auth_entry *key)
{
	size_t i, oldest = 0;

	for (i = 0; i < n; i++) {
		if (!table[i].used) {
			oldest = i;
			break;
		}
		if (table[i].stamp < table[oldest].stamp)
			oldest = i;
	}
	table[oldest] = *key;
	table[oldest].used = true;
	table[oldest].stamp = ++auth->clock;
}

/* Refills the bcrypt budget for the time since the last refill; true when some is left. */
static bool
budget_left(struct auth *auth, double now)
{
	if (now > auth->budget_time) {
		auth->budget += (now - auth->budget_time) * auth->share;
		if (auth->budget > auth->burst)
			auth->budget = auth->burst;
		auth->budget_time = now;
	}
	return auth->budget > 0;
}

/* The cache key of a credential: keyed hashes of user and password, and the hash checked. */
static int
make_key(const struct auth *auth, const char *user, const char *pass, const char *hash,
	 struct auth_entry *key)
{
	memset(key, 0, sizeof(*key));
	key->hash = hash;
	if (gnutls_hmac_fast(GNUTLS_MAC_SHA256, auth->key, sizeof(auth->key), user, strlen(user),
			     key->user_mac) != 0 ||
	    gnutls_hmac_fast(GNUTLS_MAC_SHA256, auth->key, sizeof(auth->key), pass, strlen(pass),
			     key->pass_mac) != 0)
		return EIO;
	return 0;
}

/* One bcrypt: true when pass hashes to hash.  Returns the seconds it took in *spent. */
static bool
bcrypt_matches(struct auth *auth, const char *pass, const char *hash, double *spent)
{
	struct timespec start, end;
	const char *out;
	bool ok;

	clock_gettime(CLOCK_MONOTONIC, &start);
	pthread_mutex_lock(&auth->crypt_lock);
	out = crypt_r(pass, hash, auth->crypt);
	ok = out != NULL && strlen(out) == strlen(hash) && equal_secret(out, hash, strlen(hash));
	pthread_mutex_unlock(&auth->crypt_lock);
	clock_gettime(CLOCK_MONOTONIC, &end);
	*spent = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
	return ok;
}

/* Looks the credential up in the caches; AUTH_BUSY here means "not cached, may verify". */
static enum auth_result
cached(struct auth *auth, const struct auth_entry *key, double now, bool *may_verify)
{
	struct auth_entry *hit;

	*may_verify = false;
	if ((hit = find(auth->granted, AUTH_GRANTED_SLOTS, key)) != NULL) {
		hit->stamp = ++auth->clock;
		return AUTH_GRANTED;
	}
	if ((hit = find(auth->denied, AUTH_DENIED_SLOTS, key)) != NULL) {
		hit->stamp = ++auth->clock;
		return AUTH_DENIED;
	}
	*may_verify = budget_left(auth, now);
	return AUTH_BUSY;
}

/* Checks parsed credentials; see auth_check. */
static enum auth_result
check_credentials(struct auth *auth, const char *user, const char *pass, double now)
{
	const char *hash = auth->dummy_hash;
	enum auth_result result;
	struct auth_entry key;
	bool known = false, may_verify, ok;
	double spent;
	size_t i;

	for (i = 0; i < auth->n_users && !known; i++)
		if (strcmp(auth->users[i].name, user) == 0) {
			hash = auth->users[i].hash;
			known = true;
		}
	if (make_key(auth, user, pass, hash, &key) != 0)
		return AUTH_DENIED;
	pthread_mutex_lock(&auth->lock);
	result = cached(auth, &key, now, &may_verify);
	pthread_mutex_unlock(&auth->lock);
	if (result != AUTH_BUSY || !may_verify)
		return result;
	ok = bcrypt_matches(auth, pass, hash, &spent) && known;
	pthread_mutex_lock(&auth->lock);
	auth->budget -= spent;
	if (ok)
		remember(auth, auth->granted, AUTH_GRANTED_SLOTS, &key);
	else
		remember(auth, auth->denied, AUTH_DENIED_SLOTS, &key);
	pthread_mutex_unlock(&auth->lock);
	return ok ? AUTH_GRANTED : AUTH_DENIED;
}

enum auth_result
auth_check(struct auth *auth, const char *header, double now)
{
	char user[AUTH_USER_MAX + 1], pass[AUTH_PASSWORD_MAX + 1];
	enum auth_result result = AUTH_DENIED;

	if (auth_parse_basic(header, user, sizeof(user), pass, sizeof(pass)) == 0)
		result = check_credentials(auth, user, pass, now);
	explicit_bzero(pass, sizeof(pass));
	return result;
}
