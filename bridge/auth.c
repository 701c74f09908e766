/* SPDX-License-Identifier: MIT */
/* HTTP basic auth against bcrypt hashes: strict header parsing, a safe cache, a bcrypt budget. */
#include <crypt.h>
#include <errno.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
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
/* The cost timed at start (~10 ms); others are scaled from it: each step doubles the work. */
#define AUTH_TIMED_COST 7
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

/* A new credential waiting for the bcrypt thread. */
struct auth_job {
	struct auth_entry key;
	char pass[AUTH_PASSWORD_MAX + 1]; /* wiped when the job is taken or dropped */
	bool known;                       /* the user exists: only then can the check succeed */
	double expected;                  /* seconds charged to the budget before the check */
	struct auth_waiter waiter;
};

struct auth {
	struct webconfig_user *users;
	size_t n_users;
	char dummy_hash[64]; /* what unknown users are checked against, at the highest cost */
	unsigned char key[AUTH_MAC_SIZE]; /* random per process: the cache's salt */
	double timed_seconds;             /* one check at AUTH_TIMED_COST, measured at start */
	struct crypt_data *crypt;        /* the bcrypt thread's own, used outside the lock */
	struct crypt_data *crypt_caller; /* for checks without a waiter, under crypt_lock */
	pthread_mutex_t crypt_lock;
	pthread_t thread;                /* set before it runs, then only read */
	bool have_thread;
	pthread_mutex_t lock;             /* guards what follows */
	pthread_cond_t wake;              /* a job queued, or stopping */
	struct auth_entry granted[AUTH_GRANTED_SLOTS];
	struct auth_entry denied[AUTH_DENIED_SLOTS];
	uint64_t clock;
	double share, burst, budget, budget_time; /* the bcrypt budget, in seconds */
	struct auth_job queue[AUTH_QUEUE_MAX];    /* a ring: queued jobs from head */
	size_t head, queued;
	bool running;                 /* the bcrypt thread is checking running_waiter's request */
	bool running_resumed;         /* auth_stop already resumed it */
	struct auth_waiter running_waiter;
	bool stopping, orphaned;      /* orphaned: auth_free left the freeing to the thread */
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

/* Seconds since start on clock. */
static double
seconds_since(clockid_t clock, const struct timespec *start)
{
	struct timespec end;

	clock_gettime(clock, &end);
	return (double)(end.tv_sec - start->tv_sec) +
	       (double)(end.tv_nsec - start->tv_nsec) / 1e9;
}

/*
 * One bcrypt with data: true when pass hashes to hash.  Returns in *spent the processor time it
 * took, which other programs' load does not inflate: the budget is a share of a core.
 */
static bool
bcrypt_matches(struct crypt_data *data, const char *pass, const char *hash, double *spent)
{
	struct timespec start;
	const char *out;
	bool ok;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
	out = crypt_r(pass, hash, data);
	ok = out != NULL && strlen(out) == strlen(hash) && equal_secret(out, hash, strlen(hash));
	*spent = seconds_since(CLOCK_THREAD_CPUTIME_ID, &start);
	return ok;
}

/*
 * Times a check at AUTH_TIMED_COST in processor time, the least of three, so a hash's cost can
 * be judged before it is ever checked, and a machine busy at start does not refuse a config
 * it checks in time when calm.  Returns seconds, or -1.
 */
static double
time_bcrypt(struct crypt_data *data)
{
	char salt[64];
	double best = -1, spent;
	int i;

	if (crypt_gensalt_rn("$2b$", AUTH_TIMED_COST, NULL, 0, salt, (int)sizeof(salt)) == NULL)
		return -1;
	for (i = 0; i < 3; i++) {
		(void)bcrypt_matches(data, "timing", salt, &spent);
		if (best < 0 || spent < best)
			best = spent;
	}
	return best;
}

/* The seconds a check against hash is expected to take here. */
static double
expected_seconds(const struct auth *auth, const char *hash)
{
	return ldexp(auth->timed_seconds, bcrypt_cost(hash) - AUTH_TIMED_COST);
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

/*
 * Times bcrypt here and refuses a user whose hash would take longer than
 * AUTH_CHECK_MAX_SECONDS to check; returns the highest cost, or -1 after writing err.
 */
static int
highest_cost(struct auth *auth, char *err, size_t errsize)
{
	size_t i, top = 0;
	int allowed = AUTH_TIMED_COST;

	if ((auth->timed_seconds = time_bcrypt(auth->crypt)) < 0) {
		snprintf(err, errsize, "basic_auth_users: libcrypt cannot compute bcrypt");
		return -1;
	}
	for (i = 1; i < auth->n_users; i++)
		if (bcrypt_cost(auth->users[i].hash) > bcrypt_cost(auth->users[top].hash))
			top = i;
	if (expected_seconds(auth, auth->users[top].hash) <= AUTH_CHECK_MAX_SECONDS)
		return bcrypt_cost(auth->users[top].hash);
	while (allowed < 31 &&
	       ldexp(auth->timed_seconds, allowed + 1 - AUTH_TIMED_COST) <= AUTH_CHECK_MAX_SECONDS)
		allowed++;
	snprintf(err, errsize, "basic_auth_users: the hash of user '%s' has bcrypt cost %d: one "
		 "check would take about %.0f s on this machine, more than the %.0f s allowed (a "
		 "scrape would time out); use a cost of at most %d here",
		 auth->users[top].name, bcrypt_cost(auth->users[top].hash),
		 expected_seconds(auth, auth->users[top].hash), AUTH_CHECK_MAX_SECONDS, allowed);
	return -1;
}

/* Frees everything auth holds; the bcrypt thread is gone. */
static void
destroy(struct auth *auth)
{
	size_t i;

	for (i = 0; auth->users != NULL && i < auth->n_users; i++) {
		free(auth->users[i].name);
		free(auth->users[i].hash);
	}
	free(auth->users);
	if (auth->crypt != NULL)
		explicit_bzero(auth->crypt, sizeof(*auth->crypt));
	if (auth->crypt_caller != NULL)
		explicit_bzero(auth->crypt_caller, sizeof(*auth->crypt_caller));
	free(auth->crypt);
	free(auth->crypt_caller);
	pthread_cond_destroy(&auth->wake);
	pthread_mutex_destroy(&auth->lock);
	pthread_mutex_destroy(&auth->crypt_lock);
	explicit_bzero(auth, sizeof(*auth));
	free(auth);
}

static void *bcrypt_thread(void *arg);
static double budget_cap(const struct auth *auth);

/* Starts the bcrypt thread with every signal blocked: the main thread takes SIGTERM. */
static int
start_thread(struct auth *auth)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	if ((rc = pthread_sigmask(SIG_SETMASK, &all, &old)) != 0)
		return rc;
	rc = pthread_create(&auth->thread, NULL, bcrypt_thread, auth);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	auth->have_thread = rc == 0;
	return rc;
}

/* Allocates auth with its locks and users; NULL after writing err. */
static struct auth *
alloc_auth(const struct webconfig_user *users, size_t n_users, char *err, size_t errsize)
{
	struct auth *auth = calloc(1, sizeof(*auth));

	if (auth == NULL) {
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&auth->lock, NULL);
	pthread_mutex_init(&auth->crypt_lock, NULL);
	pthread_cond_init(&auth->wake, NULL);
	if ((auth->crypt = calloc(1, sizeof(*auth->crypt))) == NULL ||
	    (auth->crypt_caller = calloc(1, sizeof(*auth->crypt_caller))) == NULL ||
	    copy_users(auth, users, n_users) != 0) {
		snprintf(err, errsize, "out of memory");
		destroy(auth);
		return NULL;
	}
	return auth;
}

struct auth *
auth_new(const struct webconfig_user *users, size_t n_users, char *err, size_t errsize)
{
	struct auth *auth = alloc_auth(users, n_users, err, errsize);
	int cost, rc = 0;

	if (auth == NULL)
		return NULL;
	if ((cost = highest_cost(auth, err, errsize)) < 0) {
		destroy(auth);
		return NULL;
	}
	if ((rc = make_dummy(auth->dummy_hash, sizeof(auth->dummy_hash), cost)) != 0 ||
	    gnutls_rnd(GNUTLS_RND_KEY, auth->key, sizeof(auth->key)) != 0) {
		snprintf(err, errsize, "cannot prepare bcrypt: %s", strerror(rc ? rc : EIO));
		destroy(auth);
		return NULL;
	}
	auth_set_budget(auth, AUTH_DEFAULT_SHARE, AUTH_DEFAULT_BURST_SECONDS);
	auth->budget = budget_cap(auth); /* the first scraper is checked at once, whatever the cost */
	if ((rc = start_thread(auth)) != 0) {
		snprintf(err, errsize, "cannot start the bcrypt thread: %s", strerror(rc));
		destroy(auth);
		return NULL;
	}
	return auth;
}

void
auth_stop(struct auth *auth)
{
	pthread_mutex_lock(&auth->lock);
	auth->stopping = true;
	for (; auth->queued > 0; auth->queued--) {
		struct auth_job *job = &auth->queue[auth->head];

		auth->head = (auth->head + 1) % AUTH_QUEUE_MAX;
		explicit_bzero(job->pass, sizeof(job->pass));
		job->waiter.resume(job->waiter.arg);
	}
	if (auth->running && !auth->running_resumed) {
		auth->running_resumed = true;
		auth->running_waiter.resume(auth->running_waiter.arg);
	}
	pthread_cond_broadcast(&auth->wake);
	pthread_mutex_unlock(&auth->lock);
}

void
auth_free(struct auth *auth)
{
	pthread_t thread;

	if (auth == NULL)
		return;
	auth_stop(auth);
	pthread_mutex_lock(&auth->lock);
	thread = auth->thread;
	if (auth->have_thread && auth->running) {
		/* crypt_r cannot be interrupted: let the check end on its own and free then. */
		auth->orphaned = true;
		pthread_mutex_unlock(&auth->lock);
		pthread_detach(thread);
		return;
	}
	pthread_mutex_unlock(&auth->lock);
	if (auth->have_thread)
		pthread_join(thread, NULL);
	destroy(auth);
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

/*
 * The most the budget holds: the burst, or one check of the costliest hash (the dummy's cost)
 * when that is more, so that every credential can be checked at some point.
 */
static double
budget_cap(const struct auth *auth)
{
	double one = expected_seconds(auth, auth->dummy_hash);

	return one > auth->burst ? one : auth->burst;
}

/*
 * Refills the bcrypt budget for the time since the last refill, then pays expected seconds
 * from it when it holds that much.
 */
static bool
budget_pay(struct auth *auth, double now, double expected)
{
	double cap = budget_cap(auth);

	if (now > auth->budget_time) {
		auth->budget += (now - auth->budget_time) * auth->share;
		if (auth->budget > cap)
			auth->budget = cap;
		auth->budget_time = now;
	}
	if (auth->budget < expected)
		return false;
	auth->budget -= expected;
	return true;
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

/* The cached answer for a credential, or AUTH_BUSY when it is not cached.  Under the lock. */
static enum auth_result
cached(struct auth *auth, const struct auth_entry *key)
{
	struct auth_entry *hit;

	if ((hit = find(auth->granted, AUTH_GRANTED_SLOTS, key)) != NULL) {
		hit->stamp = ++auth->clock;
		return AUTH_GRANTED;
	}
	if ((hit = find(auth->denied, AUTH_DENIED_SLOTS, key)) != NULL) {
		hit->stamp = ++auth->clock;
		return AUTH_DENIED;
	}
	return AUTH_BUSY;
}

/* Records a finished check: the budget corrected to what it cost, the answer cached. */
static void
settle(struct auth *auth, const struct auth_job *job, bool ok, double spent)
{
	auth->budget += job->expected - spent;
	if (ok)
		remember(auth, auth->granted, AUTH_GRANTED_SLOTS, &job->key);
	else
		remember(auth, auth->denied, AUTH_DENIED_SLOTS, &job->key);
}

/* Takes the next job, waiting for one; false when stopping.  Under the lock. */
static bool
take_job(struct auth *auth, struct auth_job *job)
{
	while (!auth->stopping && auth->queued == 0)
		pthread_cond_wait(&auth->wake, &auth->lock);
	if (auth->stopping)
		return false;
	*job = auth->queue[auth->head];
	explicit_bzero(auth->queue[auth->head].pass, sizeof(job->pass));
	auth->head = (auth->head + 1) % AUTH_QUEUE_MAX;
	auth->queued--;
	auth->running = true;
	auth->running_resumed = false;
	auth->running_waiter = job->waiter;
	return true;
}

/* Checks queued credentials one at a time, off the thread that serves requests. */
static void *
bcrypt_thread(void *arg)
{
	struct auth *auth = arg;
	struct auth_job job;
	bool ok, orphaned;
	double spent;

	pthread_mutex_lock(&auth->lock);
	while (take_job(auth, &job)) {
		pthread_mutex_unlock(&auth->lock);
		ok = bcrypt_matches(auth->crypt, job.pass, job.key.hash, &spent) && job.known;
		explicit_bzero(job.pass, sizeof(job.pass));
		pthread_mutex_lock(&auth->lock);
		settle(auth, &job, ok, spent);
		auth->running = false;
		if (!auth->running_resumed)
			job.waiter.resume(job.waiter.arg);
	}
	orphaned = auth->orphaned;
	pthread_mutex_unlock(&auth->lock);
	if (orphaned)
		destroy(auth);
	return NULL;
}

/* Checks a credential in the calling thread; the budget is already paid. */
static enum auth_result
check_here(struct auth *auth, struct auth_job *job)
{
	double spent;
	bool ok;

	pthread_mutex_lock(&auth->crypt_lock);
	ok = bcrypt_matches(auth->crypt_caller, job->pass, job->key.hash, &spent) && job->known;
	pthread_mutex_unlock(&auth->crypt_lock);
	pthread_mutex_lock(&auth->lock);
	settle(auth, job, ok, spent);
	pthread_mutex_unlock(&auth->lock);
	return ok ? AUTH_GRANTED : AUTH_DENIED;
}

/* Queues a paid-for job for the bcrypt thread and parks its request.  Under the lock. */
static void
queue_job(struct auth *auth, const struct auth_job *job)
{
	job->waiter.suspend(job->waiter.arg);
	auth->queue[(auth->head + auth->queued) % AUTH_QUEUE_MAX] = *job;
	auth->queued++;
	pthread_cond_signal(&auth->wake);
}

/* Checks parsed credentials in job (key, pass, known filled); see auth_check. */
static enum auth_result
check_job(struct auth *auth, struct auth_job *job, double now)
{
	enum auth_result result;

	pthread_mutex_lock(&auth->lock);
	result = cached(auth, &job->key);
	if (result == AUTH_BUSY && !auth->stopping &&
	    (job->waiter.resume == NULL || auth->queued < AUTH_QUEUE_MAX) &&
	    budget_pay(auth, now, job->expected)) {
		if (job->waiter.resume == NULL) {
			pthread_mutex_unlock(&auth->lock);
			return check_here(auth, job);
		}
		queue_job(auth, job);
		result = AUTH_PENDING;
	}
	pthread_mutex_unlock(&auth->lock);
	return result;
}

/* Fills a job for user and pass: the hash to check against, the cache key, the cost. */
static int
prepare_job(struct auth *auth, const char *user, const char *pass,
	    const struct auth_waiter *waiter, struct auth_job *job)
{
	const char *hash = auth->dummy_hash;
	size_t i;

	memset(job, 0, sizeof(*job));
	for (i = 0; i < auth->n_users && !job->known; i++)
		if (strcmp(auth->users[i].name, user) == 0) {
			hash = auth->users[i].hash;
			job->known = true;
		}
	if (make_key(auth, user, pass, hash, &job->key) != 0 ||
	    copy_part(job->pass, sizeof(job->pass), (const unsigned char *)pass,
		      strlen(pass)) != 0)
		return EIO;
	/* The dummy has the highest cost, so an unknown user is charged as much as any. */
	job->expected = expected_seconds(auth, hash);
	if (waiter != NULL)
		job->waiter = *waiter;
	return 0;
}

enum auth_result
auth_check(struct auth *auth, const char *header, double now, const struct auth_waiter *waiter)
{
	char user[AUTH_USER_MAX + 1], pass[AUTH_PASSWORD_MAX + 1];
	enum auth_result result = AUTH_DENIED;
	struct auth_job job;

	if (auth_parse_basic(header, user, sizeof(user), pass, sizeof(pass)) == 0) {
		if (prepare_job(auth, user, pass, waiter, &job) == 0)
			result = check_job(auth, &job, now);
		explicit_bzero(&job, sizeof(job));
	}
	explicit_bzero(pass, sizeof(pass));
	return result;
}
