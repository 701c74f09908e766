/* SPDX-License-Identifier: MIT */
/* Unit tests of basic auth: strict header parsing, bcrypt variants, the cache and the budget. */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_run.h"
#include "auth.h"

/* bcrypt hashes made with libxcrypt at cost 4; $2a$ and $2y$ are the same digest renamed. */
#define HASH_ALICE "$2b$04$P6jNT0wqW0XqdLcs09sEre9U6nL.iy4vhrQrKktdmIGkdWFbOFvL2" /* alice123 */
#define HASH_BOB "$2a$04$0WosPNJUGdPyr2Ivy6KWX.6lql0QnnY0zGpbwYQah.zpk5j7oCYCa"   /* bob-pw */
#define HASH_CAROL "$2y$04$CA.XP28LNuz8LWblalZSQO3vrvzn.nqMZm2mMu666ymmB3jOHzfPm" /* carol pw */
#define HASH_X "$2b$04$AM2xdpKoySDbBfmzpFvYH.CH/VlSyT5l6sAwNL5eKU04mQvlu2RNW"     /* x */
#define HASH_C "$2b$04$nAOYEielfJe0W9WAAMDGAOcE/6JnkiP0ddBfHrWNf7GFcrJ.pa4iu"     /* c */
#define HASH_EMPTY "$2b$04$GwU4iJfYbZQiwmeK24/lY.QHxKAhIdk5A4NLwHK5UsJiKtK6Scqu."  /* "" */
/* OpenBSD's test vector, and exporter-toolkit's alice (made by another bcrypt, at cost 12). */
#define HASH_VECTOR "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW" /* U*U */
#define HASH_TOOLKIT "$2y$12$1DpfPeqF9HzHJt.EWswy1exHluGfbhnn3yXhR7Xes6m3WJqFg0Wby" /* alice123 */
#define HASH_SLOW "$2b$08$ID6F1OGva0EEImnJNuD89.2p3y6jkeDgzotwGLO.Ldr7.PGgoUSO2"  /* slow-pw */
/* HASH_ALICE's digest relabelled at costs nobody can wait for: only the cost is read. */
#define HASH_COST31 "$2b$31$P6jNT0wqW0XqdLcs09sEre9U6nL.iy4vhrQrKktdmIGkdWFbOFvL2"
#define HASH_COST20 "$2b$20$P6jNT0wqW0XqdLcs09sEre9U6nL.iy4vhrQrKktdmIGkdWFbOFvL2"

/* Standard padded base64 of len bytes, for building headers that hold any byte. */
static void
b64(const char *in, size_t len, char *out)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = (const unsigned char *)in;
	size_t i, o = 0;

	for (i = 0; i < len; i += 3) {
		unsigned v = (unsigned)s[i] << 16 | (i + 1 < len ? (unsigned)s[i + 1] << 8 : 0) |
			     (i + 2 < len ? s[i + 2] : 0);

		out[o++] = digits[v >> 18 & 63];
		out[o++] = digits[v >> 12 & 63];
		out[o++] = i + 1 < len ? digits[v >> 6 & 63] : '=';
		out[o++] = i + 2 < len ? digits[v & 63] : '=';
	}
	out[o] = '\0';
}

/* "Basic " and the base64 of len bytes of credentials. */
static void
basic(const char *credentials, size_t len, char *out)
{
	memcpy(out, "Basic ", 6);
	b64(credentials, len, out + 6);
}

struct parse_case {
	const char *name;
	const char *header;      /* used as is when credentials is NULL */
	const char *credentials; /* encoded by the test, len bytes (NULs allowed) */
	size_t len;
	int rc;
	const char *user;
	const char *pass;
};

#define CRED(s) NULL, s, sizeof(s) - 1
#define PW72 "123456789012345678901234567890123456789012345678901234567890123456789012"

static const struct parse_case parse_cases[] = {
	{"user and password", CRED("alice:alice123"), 0, "alice", "alice123"},
	{"lowercase scheme", "basic YWxpY2U6YWxpY2UxMjM=", NULL, 0, 0, "alice", "alice123"},
	{"uppercase scheme", "BASIC YWxpY2U6YWxpY2UxMjM=", NULL, 0, 0, "alice", "alice123"},
	{"colons in the password", CRED("a:b:c"), 0, "a", "b:c"},
	{"empty password", CRED("alice:"), 0, "alice", ""},
	{"empty user", CRED(":pw"), 0, "", "pw"},
	{"UTF-8 password", CRED("alice:p\xc3\xa4ss"), 0, "alice", "p\xc3\xa4ss"},
	{"72-byte password", CRED("a:" PW72), 0, "a", PW72},
	{"missing header", NULL, NULL, 0, EINVAL, NULL, NULL},
	{"empty header", "", NULL, 0, EINVAL, NULL, NULL},
	{"other scheme", "Bearer YWxpY2U6YWxpY2UxMjM=", NULL, 0, EINVAL, NULL, NULL},
	{"scheme alone", "Basic", NULL, 0, EINVAL, NULL, NULL},
	{"scheme and space alone", "Basic ", NULL, 0, EINVAL, NULL, NULL},
	{"no space", "BasicYWxpY2U6YWxpY2UxMjM=", NULL, 0, EINVAL, NULL, NULL},
	{"two spaces", "Basic  YWxpY2U6YWxpY2UxMjM=", NULL, 0, EINVAL, NULL, NULL},
	{"tab for space", "Basic\tYWxpY2U6YWxpY2UxMjM=", NULL, 0, EINVAL, NULL, NULL},
	{"trailing space", "Basic YWxpY2U6YWxpY2UxMjM= ", NULL, 0, EINVAL, NULL, NULL},
	{"invalid base64 character", "Basic YWxpY2U6YWxpY2UxMjM*", NULL, 0, EINVAL, NULL, NULL},
	{"base64url alphabet", "Basic YWxpY2U6P-_-", NULL, 0, EINVAL, NULL, NULL},
	{"missing padding", "Basic YWxpY2U6YQ", NULL, 0, EINVAL, NULL, NULL},
	{"padding inside", "Basic YQ==YWxpY2U6YQ==", NULL, 0, EINVAL, NULL, NULL},
	{"three padding characters", "Basic YWxpY2U6Y===", NULL, 0, EINVAL, NULL, NULL},
	{"stray bits before padding", "Basic YWxpY2U6YR==", NULL, 0, EINVAL, NULL, NULL},
	{"stray bits before one pad", "Basic YWxpY2U6YWJ=", NULL, 0, EINVAL, NULL, NULL},
	{"NUL and junk after the password", CRED("alice:alice123\0junk"), EINVAL, NULL, NULL},
	{"NUL in the user", CRED("ali\0ce:alice123"), EINVAL, NULL, NULL},
	{"no colon", CRED("alicealice123"), EINVAL, NULL, NULL},
	{"tab in the password", CRED("alice:alice\t123"), EINVAL, NULL, NULL},
	{"newline in the user", CRED("ali\nce:alice123"), EINVAL, NULL, NULL},
	{"DEL in the password", CRED("alice:alice\x7f"), EINVAL, NULL, NULL},
	{"73-byte password", CRED("a:" PW72 "3"), EINVAL, NULL, NULL},
};

START_TEST(test_parse_cases)
{
	const struct parse_case *c = &parse_cases[_i];
	char header[512], user[AUTH_USER_MAX + 1] = "", pass[AUTH_PASSWORD_MAX + 1] = "";
	int rc;

	if (c->credentials != NULL)
		basic(c->credentials, c->len, header);
	rc = auth_parse_basic(c->credentials != NULL ? header : c->header, user, sizeof(user),
			      pass, sizeof(pass));
	ck_assert_msg(rc == c->rc, "%s: rc %d, want %d", c->name, rc, c->rc);
	if (c->rc == 0) {
		ck_assert_msg(strcmp(user, c->user) == 0, "%s: user '%s'", c->name, user);
		ck_assert_msg(strcmp(pass, c->pass) == 0, "%s: password '%s'", c->name, pass);
	}
}
END_TEST

START_TEST(test_parse_long_user)
{
	char cred[AUTH_USER_MAX + 8], header[512], user[AUTH_USER_MAX + 1], pass[8];

	memset(cred, 'u', AUTH_USER_MAX + 1);
	memcpy(cred + AUTH_USER_MAX + 1, ":pw", 3);
	basic(cred, AUTH_USER_MAX + 4, header);
	ck_assert_msg(auth_parse_basic(header, user, sizeof(user), pass, sizeof(pass)) == EINVAL,
		      "user of %d bytes accepted", AUTH_USER_MAX + 1);
	basic(cred + 1, AUTH_USER_MAX + 3, header);
	ck_assert_msg(auth_parse_basic(header, user, sizeof(user), pass, sizeof(pass)) == 0,
		      "user of %d bytes refused", AUTH_USER_MAX);
}
END_TEST

static const struct webconfig_user users[] = {
	{"alice", HASH_ALICE}, {"bob", HASH_BOB},     {"carol", HASH_CAROL}, {"a", HASH_X},
	{"ab", HASH_C},        {"nopw", HASH_EMPTY}, {"vector", HASH_VECTOR},
};
#define N_USERS (sizeof(users) / sizeof(users[0]))

struct check_case {
	const char *name;
	const char *credentials;
	size_t len;
	enum auth_result result;
};

#define CHECK(name, s, result) {name, s, sizeof(s) - 1, result}

static const struct check_case check_cases[] = {
	CHECK("right password, $2b$", "alice:alice123", AUTH_GRANTED),
	CHECK("right password, $2a$", "bob:bob-pw", AUTH_GRANTED),
	CHECK("right password, $2y$", "carol:carol pw", AUTH_GRANTED),
	CHECK("OpenBSD test vector", "vector:U*U", AUTH_GRANTED),
	CHECK("empty password hashed", "nopw:", AUTH_GRANTED),
	CHECK("wrong password", "alice:alice1234", AUTH_DENIED),
	CHECK("password prefix", "alice:alice12", AUTH_DENIED),
	CHECK("another user's password", "alice:bob-pw", AUTH_DENIED),
	CHECK("empty password", "alice:", AUTH_DENIED),
	CHECK("user names are case-sensitive", "Alice:alice123", AUTH_DENIED),
	CHECK("unknown user", "mallory:alice123", AUTH_DENIED),
	CHECK("the hash as the password", "alice:" HASH_ALICE, AUTH_DENIED),
	CHECK("NUL then junk", "alice:alice123\0junk", AUTH_DENIED),
	CHECK("no colon", "alicealice123", AUTH_DENIED),
	CHECK("user and password run together", "aab:c", AUTH_DENIED),
	CHECK("colon moved", "a:bc", AUTH_DENIED),
};

START_TEST(test_check_cases)
{
	const struct check_case *c = &check_cases[_i];
	char err[256] = "", header[512];
	struct auth *auth = auth_new(users, N_USERS, err, sizeof(err));
	enum auth_result result;

	ck_assert_msg(auth != NULL, "%s: auth_new: %s", c->name, err);
	basic(c->credentials, c->len, header);
	result = auth_check(auth, header, 0, NULL);
	ck_assert_msg(result == c->result, "%s: result %d, want %d", c->name, result, c->result);
	/* The cached answer is the same answer, and costs no budget. */
	auth_set_budget(auth, 0, 0);
	result = auth_check(auth, header, 1, NULL);
	ck_assert_msg(result == c->result, "%s: cached result %d, want %d", c->name, result,
		      c->result);
	auth_free(auth);
}
END_TEST

/* A credential's cache entry never answers for another credential (CVE-2022-46146). */
START_TEST(test_cache_keys_not_forgeable)
{
	static const char *const forgeries[] = {
		"a:bc",              /* "ab" + "c" moved across the colon */
		"ab:" HASH_C "c",    /* the hash spliced into the password */
		"ab" HASH_C ":c",    /* and into the user */
		"ab:",               /* the password left out */
		"ab:cc",             /* one byte more */
	};
	char err[256], header[512];
	struct auth *auth = auth_new(users, N_USERS, err, sizeof(err));
	size_t i;

	ck_assert_msg(auth != NULL, "auth_new: %s", err);
	basic("ab:c", 4, header);
	ck_assert_int_eq(auth_check(auth, header, 0, NULL), AUTH_GRANTED);
	/* No budget: only the cache can answer, and it must not say yes. */
	auth_set_budget(auth, 0, 0);
	for (i = 0; i < sizeof(forgeries) / sizeof(forgeries[0]); i++) {
		basic(forgeries[i], strlen(forgeries[i]), header);
		ck_assert_msg(auth_check(auth, header, 1, NULL) == AUTH_BUSY,
			      "forgery '%s' answered", forgeries[i]);
	}
	basic("ab:c", 4, header);
	ck_assert_msg(auth_check(auth, header, 1, NULL) == AUTH_GRANTED, "the real one lost");
	auth_free(auth);
}
END_TEST

/*
 * New credentials spend the budget, paid before the check: a budget smaller than one check
 * pays for none (a check is never started on credit).  Cached ones, good or bad, cost nothing.
 */
START_TEST(test_budget)
{
	char err[256], header[512];
	struct auth *auth = auth_new(users, N_USERS, err, sizeof(err));

	ck_assert_msg(auth != NULL, "auth_new: %s", err);
	basic("alice:alice123", 14, header);
	ck_assert_int_eq(auth_check(auth, header, 0, NULL), AUTH_GRANTED);
	basic("alice:wrong-1", 13, header);
	ck_assert_int_eq(auth_check(auth, header, 0, NULL), AUTH_DENIED);
	/* A nanosecond left: less than one bcrypt (about a millisecond) costs. */
	auth_set_budget(auth, 0.5, 1e-9);
	basic("mallory:wrong-2", 15, header);
	ck_assert_msg(auth_check(auth, header, 0, NULL) == AUTH_BUSY, "checked on credit");
	basic("alice:alice123", 14, header);
	ck_assert_msg(auth_check(auth, header, 0, NULL) == AUTH_GRANTED,
		      "cached good one refused");
	basic("alice:wrong-1", 13, header);
	ck_assert_msg(auth_check(auth, header, 0, NULL) == AUTH_DENIED,
		      "cached bad one not denied");
	/* Ten seconds later the budget has refilled to one check (the cap), not to two. */
	basic("mallory:wrong-2", 15, header);
	ck_assert_msg(auth_check(auth, header, 10, NULL) == AUTH_DENIED, "budget not refilled");
	basic("mallory:wrong-3", 15, header);
	ck_assert_msg(auth_check(auth, header, 10, NULL) == AUTH_BUSY, "refilled past its cap");
	auth_free(auth);
}
END_TEST

/* More good credentials than the cache holds: the oldest is checked again, not refused. */
START_TEST(test_cache_eviction)
{
	char err[256], header[512], cred[64];
	struct auth *auth = auth_new(users, N_USERS, err, sizeof(err));
	int i;

	ck_assert_msg(auth != NULL, "auth_new: %s", err);
	basic("alice:alice123", 14, header);
	ck_assert_int_eq(auth_check(auth, header, 0, NULL), AUTH_GRANTED);
	for (i = 0; i < 40; i++) {
		snprintf(cred, sizeof(cred), "bob:wrong-%d", i);
		basic(cred, strlen(cred), header);
		ck_assert_msg(auth_check(auth, header, 100.0 * (i + 1), NULL) == AUTH_DENIED,
			      "%s", cred);
	}
	/* Failures have their own slots: the good credential is still cached. */
	auth_set_budget(auth, 0, 0);
	basic("alice:alice123", 14, header);
	ck_assert_msg(auth_check(auth, header, 1e4, NULL) == AUTH_GRANTED,
		      "failures evicted success");
	auth_free(auth);
}
END_TEST

/* A hash from another bcrypt implementation (exporter-toolkit's, made by htpasswd). */
START_TEST(test_toolkit_hash)
{
	static const struct webconfig_user toolkit[] = {{"alice", HASH_TOOLKIT}};
	char err[256], header[512];
	struct auth *auth = auth_new(toolkit, 1, err, sizeof(err));

	ck_assert_msg(auth != NULL, "auth_new: %s", err);
	basic("alice:alice123", 14, header);
	ck_assert_msg(auth_check(auth, header, 0, NULL) == AUTH_GRANTED, "toolkit's alice refused");
	auth_free(auth);
}
END_TEST

static double
seconds_of(struct auth *auth, const char *credentials, double now)
{
	struct timespec a, b;
	char header[512];

	basic(credentials, strlen(credentials), header);
	clock_gettime(CLOCK_MONOTONIC, &a);
	ck_assert_msg(auth_check(auth, header, now, NULL) == AUTH_DENIED, "%s", credentials);
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

/* An unknown user costs a bcrypt of the same cost as a known one (cost 8, ~10 ms). */
START_TEST(test_unknown_user_same_time)
{
	static const struct webconfig_user slow[] = {{"a", HASH_ALICE}, {"slow", HASH_SLOW}};
	char err[256], cred[64];
	struct auth *auth = auth_new(slow, 2, err, sizeof(err));
	double known = 0, unknown = 0;
	int i;

	ck_assert_msg(auth != NULL, "auth_new: %s", err);
	auth_set_budget(auth, 1, 1e6);
	for (i = 0; i < 5; i++) {
		snprintf(cred, sizeof(cred), "slow:wrong-%d", i);
		known += seconds_of(auth, cred, i);
		snprintf(cred, sizeof(cred), "nobody-%d:wrong", i);
		unknown += seconds_of(auth, cred, i);
	}
	ck_assert_msg(unknown > known / 2 && unknown < known * 2,
		      "unknown users %.4f s, known %.4f s", unknown, known);
	auth_free(auth);
}
END_TEST

/* A hash too costly to check within a scrape here is refused at start, naming user and cost. */
START_TEST(test_cost_too_high)
{
	static const struct webconfig_user costly[] = {
		{"alice", HASH_ALICE}, {"slowpoke", HASH_COST31}, {"other", HASH_COST20}};
	char err[512] = "";
	struct auth *auth = auth_new(costly, 3, err, sizeof(err));

	ck_assert_msg(auth == NULL, "cost 31 accepted");
	ck_assert_msg(strstr(err, "'slowpoke'") != NULL && strstr(err, "cost 31") != NULL &&
			      strstr(err, "at most") != NULL,
		      "%s", err);
}
END_TEST

/* A waiter that counts suspends and resumes, as libmicrohttpd's connection would be parked. */
struct parked {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	int suspended, resumed;
};

static void
park(void *arg)
{
	struct parked *p = arg;

	pthread_mutex_lock(&p->lock);
	p->suspended++;
	pthread_mutex_unlock(&p->lock);
}

static void
unpark(void *arg)
{
	struct parked *p = arg;

	pthread_mutex_lock(&p->lock);
	p->resumed++;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
}

static int
resumed(struct parked *p)
{
	int n;

	pthread_mutex_lock(&p->lock);
	n = p->resumed;
	pthread_mutex_unlock(&p->lock);
	return n;
}

/* Waits up to 30 s for n resumes; false when they did not come. */
static bool
wait_resumed(struct parked *p, int n)
{
	struct timespec deadline;
	bool ok;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 30;
	pthread_mutex_lock(&p->lock);
	while (p->resumed < n &&
	       pthread_cond_timedwait(&p->changed, &p->lock, &deadline) == 0)
		;
	ok = p->resumed >= n;
	pthread_mutex_unlock(&p->lock);
	return ok;
}

static struct parked parked = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};
static const struct auth_waiter waiter = {park, unpark, &parked};
static const struct webconfig_user with_slow[] = {{"alice", HASH_ALICE}, {"tk", HASH_TOOLKIT}};

/*
 * A new credential is checked off the caller's thread (cost 12, a few tenths of a second):
 * meanwhile a cached one is answered at once; once resumed, the new one is in the cache.
 */
START_TEST(test_check_off_thread)
{
	char err[256], slow[512], fast[512];
	struct auth *auth = auth_new(with_slow, 2, err, sizeof(err));

	ck_assert_msg(auth != NULL, "auth_new: %s", err);
	auth_set_budget(auth, 1, 1e6);
	basic("alice:alice123", 14, fast);
	ck_assert_int_eq(auth_check(auth, fast, 0, NULL), AUTH_GRANTED);
	basic("tk:alice123", 11, slow);
	ck_assert_int_eq(auth_check(auth, slow, 0, &waiter), AUTH_PENDING);
	ck_assert_int_eq(parked.suspended, 1);
	ck_assert_int_eq(auth_check(auth, fast, 0, &waiter), AUTH_GRANTED);
	ck_assert_msg(resumed(&parked) == 0, "the cached answer waited for the bcrypt");
	ck_assert_msg(wait_resumed(&parked, 1), "never resumed");
	ck_assert_int_eq(auth_check(auth, slow, 1, &waiter), AUTH_GRANTED);
	ck_assert_int_eq(parked.suspended, 1);
	auth_free(auth);
}
END_TEST

/*
 * Past AUTH_QUEUE_MAX waiting checks a new one is refused (429); auth_stop resumes every
 * parked request at once, the one being checked included, and queues nothing more.
 */
START_TEST(test_queue_and_stop)
{
	char err[256], header[512], cred[64];
	struct auth *auth = auth_new(with_slow, 2, err, sizeof(err));
	enum auth_result result = AUTH_PENDING;
	int i;

	ck_assert_msg(auth != NULL, "auth_new: %s", err);
	auth_set_budget(auth, 1, 1e6);
	/* The queue, and the one the bcrypt thread may have taken from it already.  The refusal is
	 * the answer that ended the loop: asked again, a check finished meanwhile may make room. */
	for (i = 0; i <= AUTH_QUEUE_MAX + 1; i++) {
		snprintf(cred, sizeof(cred), "tk:wrong-%d", i);
		basic(cred, strlen(cred), header);
		if ((result = auth_check(auth, header, 0, &waiter)) != AUTH_PENDING)
			break;
	}
	ck_assert_msg(i == AUTH_QUEUE_MAX || i == AUTH_QUEUE_MAX + 1, "%d checks queued", i);
	ck_assert_int_eq(result, AUTH_BUSY);
	auth_stop(auth);
	ck_assert_int_eq(resumed(&parked), i);
	basic("tk:after-stop", 13, header);
	ck_assert_int_eq(auth_check(auth, header, 0, &waiter), AUTH_BUSY);
	auth_free(auth);
	ck_assert_int_eq(resumed(&parked), i);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("auth");
	TCase *tc = tcase_create("auth");

	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_parse_cases, 0, sizeof(parse_cases) / sizeof(parse_cases[0]));
	tcase_add_test(tc, test_parse_long_user);
	tcase_add_loop_test(tc, test_check_cases, 0, sizeof(check_cases) / sizeof(check_cases[0]));
	tcase_add_test(tc, test_cache_keys_not_forgeable);
	tcase_add_test(tc, test_budget);
	tcase_add_test(tc, test_cache_eviction);
	tcase_add_test(tc, test_toolkit_hash);
	tcase_add_test(tc, test_unknown_user_same_time);
	tcase_add_test(tc, test_cost_too_high);
	tcase_add_test(tc, test_check_off_thread);
	tcase_add_test(tc, test_queue_and_stop);
	suite_add_tcase(s, tc);
	return check_run(s);
}
