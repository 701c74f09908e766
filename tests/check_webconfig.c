/* SPDX-License-Identifier: MIT */
/* Unit tests of the web config parser: exporter-toolkit's format, defaults, and errors by field. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check_run.h"
#include "webconfig.h"

#define HASH_B "$2b$04$P6jNT0wqW0XqdLcs09sEre9U6nL.iy4vhrQrKktdmIGkdWFbOFvL2"
#define HASH_A "$2a$04$0WosPNJUGdPyr2Ivy6KWX.6lql0QnnY0zGpbwYQah.zpk5j7oCYCa"
#define HASH_Y "$2y$04$CA.XP28LNuz8LWblalZSQO3vrvzn.nqMZm2mMu666ymmB3jOHzfPm"
#define NO_CERT WEBCONFIG_NO_CLIENT_CERT
#define BAD(name, yaml, error) {name, yaml, error, false, NULL, NULL, NO_CERT, 0, 0, 0, NULL}

struct parse_case {
	const char *name;
	const char *yaml;
	const char *error; /* NULL: parses; else words the error line must hold */
	bool tls;
	const char *cert_file;
	const char *client_ca_file;
	enum webconfig_client_auth client_auth;
	int min_version;
	int max_version;
	size_t n_users;
	const char *headers; /* "Name: value|Name: value" */
};

static const struct parse_case parse_cases[] = {
	{"empty file", "", NULL, false, NULL, NULL, NO_CERT, 12, 13, 0, ""},
	{"document marker only", "---\n", NULL, false, NULL, NULL, NO_CERT, 12, 13, 0, ""},
	{"comments only", "# nothing\n", NULL, false, NULL, NULL, NO_CERT, 12, 13, 0, ""},
	{"null sections", "tls_server_config:\nhttp_server_config: ~\nbasic_auth_users: null\n",
	 NULL, false, NULL, NULL, NO_CERT, 12, 13, 0, ""},
	{"empty tls section is plain HTTP", "tls_server_config: {}\n", NULL, false, NULL, NULL,
	 NO_CERT, 12, 13, 0, ""},
	{"relative files resolved against the config's directory",
	 "tls_server_config:\n  cert_file: server.crt\n  key_file: \"keys/server.key\"\n", NULL,
	 true, "/etc/idle/server.crt", NULL, NO_CERT, 12, 13, 0, ""},
	{"absolute files kept",
	 "tls_server_config:\n  cert_file: /a/c.pem\n  key_file: /a/k.pem\n", NULL, true,
	 "/a/c.pem", NULL, NO_CERT, 12, 13, 0, ""},
	{"require and verify with a CA",
	 "tls_server_config:\n  cert_file: c\n  key_file: k\n"
	 "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n",
	 NULL, true, "/etc/idle/c", "/etc/idle/ca.pem", WEBCONFIG_REQUIRE_AND_VERIFY_CLIENT_CERT,
	 12, 13, 0, ""},
	{"verify if given with a CA",
	 "tls_server_config: {cert_file: c, key_file: k, client_auth_type: VerifyClientCertIfGiven,"
	 " client_ca_file: ca}\n",
	 NULL, true, "/etc/idle/c", "/etc/idle/ca", WEBCONFIG_VERIFY_CLIENT_CERT_IF_GIVEN, 12, 13,
	 0, ""},
	{"request without a CA",
	 "tls_server_config: {cert_file: c, key_file: k, client_auth_type: RequestClientCert}\n",
	 NULL, true, "/etc/idle/c", NULL, WEBCONFIG_REQUEST_CLIENT_CERT, 12, 13, 0, ""},
	{"old name RequireClientCert",
	 "tls_server_config: {cert_file: c, key_file: k, client_auth_type: RequireClientCert}\n",
	 NULL, true, "/etc/idle/c", NULL, WEBCONFIG_REQUIRE_ANY_CLIENT_CERT, 12, 13, 0, ""},
	{"TLS13 only",
	 "tls_server_config: {cert_file: c, key_file: k, min_version: TLS13}\n", NULL, true,
	 "/etc/idle/c", NULL, NO_CERT, 13, 13, 0, ""},
	{"TLS12 only",
	 "tls_server_config: {cert_file: c, key_file: k, max_version: TLS12}\n", NULL, true,
	 "/etc/idle/c", NULL, NO_CERT, 12, 12, 0, ""},
	{"three bcrypt variants",
	 "basic_auth_users:\n  alice: " HASH_B "\n  bob: '" HASH_A "'\n  \"carol x\": \"" HASH_Y
	 "\"\n",
	 NULL, false, NULL, NULL, NO_CERT, 12, 13, 3, ""},
	{"exporter-toolkit's header example",
	 "http_server_config:\n  headers:\n    X-Frame-Options: deny\n"
	 "    Strict-Transport-Security: max-age=31536000; includeSubDomains\n"
	 "    X-Content-Type-Options: nosniff\n    X-XSS-Protection: 1\n"
	 "    Content-Security-Policy: \"default-src 'self' *.test.example.net\"\n",
	 NULL, false, NULL, NULL, NO_CERT, 12, 13, 0,
	 "X-Frame-Options: deny|Strict-Transport-Security: max-age=31536000; includeSubDomains|"
	 "X-Content-Type-Options: nosniff|X-XSS-Protection: 1|"
	 "Content-Security-Policy: default-src 'self' *.test.example.net"},
	{"blank header unset",
	 "http_server_config:\n  headers:\n    X-XSS-Protection: ''\n    X-Frame-Options: sameorigin\n",
	 NULL, false, NULL, NULL, NO_CERT, 12, 13, 0, "X-Frame-Options: sameorigin"},
	{"http2 read and ignored", "http_server_config:\n  http2: false\n", NULL, false, NULL, NULL,
	 NO_CERT, 12, 13, 0, ""},

	BAD("not YAML", "tls_server_config: [\n", "invalid YAML"),
	BAD("tab indentation", "tls_server_config:\n\tcert_file: c\n", "invalid YAML"),
	BAD("a list at the top", "- a\n", "expected a mapping"),
	BAD("a string at the top", "junk\n", "expected a mapping"),
	BAD("unknown top-level key", "tls_config:\n  cert_file: c\n", "tls_config: unknown key (line 1)"),
	BAD("unknown tls key", "tls_server_config:\n  cert_filez: c\n",
	 "tls_server_config.cert_filez: unknown key (line 2)"),
	BAD("unknown http key", "http_server_config: {header: {}}\n",
	 "http_server_config.header: unknown key"),
	BAD("inline cert not supported", "tls_server_config:\n  cert: abc\n",
	 "tls_server_config.cert: not supported"),
	BAD("cipher suites not supported", "tls_server_config:\n  cipher_suites: [a]\n",
	 "tls_server_config.cipher_suites: not supported"),
	BAD("rate limit not supported", "rate_limit: {burst: 1}\n", "rate_limit: not supported"),
	BAD("key given twice", "basic_auth_users: {}\nbasic_auth_users: {}\n",
	 "basic_auth_users: given twice (line 2)"),
	BAD("cert_file missing", "tls_server_config: {key_file: k}\n", "cert_file is missing"),
	BAD("key_file missing", "tls_server_config: {cert_file: c}\n", "key_file is missing"),
	BAD("client auth alone needs files",
	 "tls_server_config: {client_auth_type: RequireAnyClientCert}\n", "cert_file is missing"),
	BAD("CA without a policy", "tls_server_config: {cert_file: c, key_file: k, client_ca_file: ca}\n",
	 "client_ca_file is set but client_auth_type is NoClientCert"),
	BAD("verify without a CA",
	 "tls_server_config: {cert_file: c, key_file: k, client_auth_type: RequireAndVerifyClientCert}\n",
	 "RequireAndVerifyClientCert needs client_ca_file"),
	BAD("unknown client auth",
	 "tls_server_config: {cert_file: c, key_file: k, client_auth_type: Always}\n",
	 "tls_server_config.client_auth_type: unknown 'Always'"),
	BAD("TLS11 below the floor",
	 "tls_server_config:\n  cert_file: c\n  key_file: k\n  min_version: TLS11\n",
	 "tls_server_config.min_version: TLS11 is not allowed: TLS12 is the lowest version served (line 4)"),
	BAD("TLS10 below the floor", "tls_server_config: {cert_file: c, key_file: k, min_version: TLS10}\n",
	 "min_version: TLS10 is not allowed"),
	BAD("unknown TLS version", "tls_server_config: {cert_file: c, key_file: k, max_version: TLS14}\n",
	 "max_version: unknown TLS version 'TLS14'"),
	BAD("empty TLS version", "tls_server_config: {cert_file: c, key_file: k, min_version: ''}\n",
	 "min_version: unknown TLS version ''"),
	BAD("min above max",
	 "tls_server_config: {cert_file: c, key_file: k, min_version: TLS13, max_version: TLS12}\n",
	 "min_version is above max_version"),
	BAD("cert_file a list", "tls_server_config: {cert_file: [a], key_file: k}\n",
	 "tls_server_config.cert_file: expected a string"),
	BAD("NUL in a file name", "tls_server_config: {cert_file: \"c\\0.pem\", key_file: k}\n",
	 "tls_server_config.cert_file: contains a NUL byte"),
	BAD("plain password instead of a hash", "basic_auth_users:\n  alice: alice123\n",
	 "basic_auth_users: the hash of user 'alice' is not a bcrypt hash ($2a$, $2b$ or $2y$, cost 04 to 31, 60 characters) (line 2)"),
	BAD("MD5 crypt hash", "basic_auth_users: {alice: '$1$abc$0123456789abcdef012345'}\n",
	 "user 'alice' is not a bcrypt hash"),
	BAD("bcrypt cost 03",
	 "basic_auth_users: {alice: '$2b$03$P6jNT0wqW0XqdLcs09sEre9U6nL.iy4vhrQrKktdmIGkdWFbOFvL2'}\n",
	 "not a bcrypt hash"),
	BAD("bcrypt $2x$",
	 "basic_auth_users: {alice: '$2x$04$P6jNT0wqW0XqdLcs09sEre9U6nL.iy4vhrQrKktdmIGkdWFbOFvL2'}\n",
	 "not a bcrypt hash"),
	BAD("hash cut short", "basic_auth_users: {alice: '$2b$04$P6jNT0wqW0XqdLcs09sEre9U6nL'}\n",
	 "not a bcrypt hash"),
	BAD("null hash", "basic_auth_users:\n  alice:\n", "not a bcrypt hash"),
	BAD("user with a colon", "basic_auth_users: {'a:b': '" HASH_B "'}\n",
	 "user name 'a:b' holds a ':'"),
	BAD("users as a list", "basic_auth_users: [alice]\n",
	 "basic_auth_users: expected a mapping"),
	BAD("header not allowed", "http_server_config:\n  headers:\n    Server: x\n",
	 "http_server_config.headers: header 'Server' can not be configured (line 3)"),
	BAD("header name case matters", "http_server_config: {headers: {x-frame-options: deny}}\n",
	 "header 'x-frame-options' can not be configured"),
	BAD("X-Frame-Options value", "http_server_config: {headers: {X-Frame-Options: allow}}\n",
	 "invalid value 'allow' for X-Frame-Options"),
	BAD("X-Content-Type-Options blank", "http_server_config: {headers: {X-Content-Type-Options: ''}}\n",
	 "invalid value '' for X-Content-Type-Options"),
	BAD("header injection",
	 "http_server_config: {headers: {X-XSS-Protection: \"1\\r\\nSet-Cookie: a=b\"}}\n",
	 "control character in the value of X-XSS-Protection"),
	BAD("header given twice",
	 "http_server_config: {headers: {X-XSS-Protection: '1', X-XSS-Protection: '0'}}\n",
	 "header 'X-XSS-Protection' given twice"),
	BAD("headers a list", "http_server_config: {headers: [X-XSS-Protection]}\n",
	 "http_server_config.headers: expected a mapping"),
	BAD("http2 not a boolean", "http_server_config: {http2: maybe}\n",
	 "http_server_config.http2: expected true or false"),
};

/* Joins cfg's headers as "Name: value|Name: value" for comparison. */
static void
join_headers(const struct webconfig *cfg, char *out, size_t size)
{
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; cfg->headers[i] != NULL; i += 2)
		len += (size_t)snprintf(out + len, size - len, "%s%s: %s", i ? "|" : "",
					cfg->headers[i], cfg->headers[i + 1]);
}

START_TEST(test_parse_cases)
{
	const struct parse_case *c = &parse_cases[_i];
	struct webconfig cfg;
	char err[512] = "", headers[1024];
	int rc = webconfig_parse(&cfg, c->yaml, strlen(c->yaml), "/etc/idle/", err, sizeof(err));

	if (c->error != NULL) {
		ck_assert_msg(rc == EINVAL, "%s: rc %d, want EINVAL", c->name, rc);
		ck_assert_msg(strstr(err, c->error) != NULL, "%s: error '%s', want '%s'", c->name,
			      err, c->error);
		ck_assert_msg(strchr(err, '\n') == NULL, "%s: error on two lines", c->name);
		ck_assert_msg(cfg.headers == NULL && cfg.users == NULL, "%s: not emptied", c->name);
		webconfig_free(&cfg);
		return;
	}
	ck_assert_msg(rc == 0, "%s: rc %d (%s)", c->name, rc, err);
	ck_assert_msg(cfg.tls == c->tls, "%s: tls %d", c->name, cfg.tls);
	ck_assert_msg((cfg.cert_file == NULL) == (c->cert_file == NULL) &&
			      (c->cert_file == NULL || strcmp(cfg.cert_file, c->cert_file) == 0),
		      "%s: cert_file '%s'", c->name, cfg.cert_file ? cfg.cert_file : "(null)");
	ck_assert_msg((cfg.client_ca_file == NULL) == (c->client_ca_file == NULL) &&
			      (c->client_ca_file == NULL ||
			       strcmp(cfg.client_ca_file, c->client_ca_file) == 0),
		      "%s: client_ca_file", c->name);
	ck_assert_msg(cfg.client_auth == c->client_auth, "%s: client_auth %d", c->name,
		      cfg.client_auth);
	ck_assert_msg(cfg.min_version == c->min_version && cfg.max_version == c->max_version,
		      "%s: versions %d..%d", c->name, cfg.min_version, cfg.max_version);
	ck_assert_msg(cfg.n_users == c->n_users, "%s: %zu users", c->name, cfg.n_users);
	join_headers(&cfg, headers, sizeof(headers));
	ck_assert_msg(strcmp(headers, c->headers) == 0, "%s: headers '%s'", c->name, headers);
	webconfig_free(&cfg);
}
END_TEST

START_TEST(test_users_kept_in_order)
{
	const char *yaml = "basic_auth_users:\n  alice: " HASH_B "\n  bob: " HASH_A "\n";
	struct webconfig cfg;
	char err[256];

	ck_assert_int_eq(webconfig_parse(&cfg, yaml, strlen(yaml), NULL, err, sizeof(err)), 0);
	ck_assert_str_eq(cfg.users[0].name, "alice");
	ck_assert_str_eq(cfg.users[0].hash, HASH_B);
	ck_assert_str_eq(cfg.users[1].name, "bob");
	ck_assert_str_eq(cfg.users[1].hash, HASH_A);
	webconfig_free(&cfg);
	webconfig_free(&cfg); /* freeing twice is fine: it was emptied */
}
END_TEST

struct bcrypt_case {
	const char *name;
	const char *text;
	bool valid;
};

static const struct bcrypt_case bcrypt_cases[] = {
	{"2b cost 04", HASH_B, true},
	{"2a", HASH_A, true},
	{"2y", HASH_Y, true},
	{"cost 31", "$2b$31$P6jNT0wqW0XqdLcs09sEre9U6nL.iy4vhrQrKktdmIGkdWFbOFvL2", true},
	{"cost 32", "$2b$32$P6jNT0wqW0XqdLcs09sEre9U6nL.iy4vhrQrKktdmIGkdWFbOFvL2", false},
	{"cost 3", "$2b$03$P6jNT0wqW0XqdLcs09sEre9U6nL.iy4vhrQrKktdmIGkdWFbOFvL2", false},
	{"one digit cost", "$2b$4$P6jNT0wqW0XqdLcs09sEre9U6nL.iy4vhrQrKktdmIGkdWFbOFvL2X", false},
	{"2x", "$2x$04$P6jNT0wqW0XqdLcs09sEre9U6nL.iy4vhrQrKktdmIGkdWFbOFvL2", false},
	{"plain 2", "$2$04$P6jNT0wqW0XqdLcs09sEre9U6nL.iy4vhrQrKktdmIGkdWFbOFvL2X", false},
	{"too long", HASH_B "x", false},
	{"too short", "$2b$04$P6jNT0wqW0XqdLcs09sEre9U6nL.iy4vhrQrKktdmIGkdWFbOFvL", false},
	{"plus sign", "$2b$04$P6jNT0wqW0XqdLcs09sEre9U6nL+iy4vhrQrKktdmIGkdWFbOFvL2", false},
	{"empty", "", false},
	{"sha512 crypt", "$6$salt$abc", false},
};

START_TEST(test_bcrypt_cases)
{
	const struct bcrypt_case *c = &bcrypt_cases[_i];

	ck_assert_msg(webconfig_is_bcrypt(c->text) == c->valid, "%s: '%s'", c->name, c->text);
}
END_TEST

/* A temporary directory under $TMPDIR for the file cases, removed by each test. */
static char tmpdir[256];

static void
make_tmpdir(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/check_webconfig.XXXXXX",
		 base != NULL && base[0] ? base : "/tmp");
	ck_assert_msg(mkdtemp(tmpdir) != NULL, "mkdtemp: %s", strerror(errno));
}

static void
write_file(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	ck_assert_msg(f != NULL, "fopen %s", path);
	ck_assert(fputs(text, f) >= 0 && fclose(f) == 0);
}

START_TEST(test_load_resolves_against_the_file)
{
	struct webconfig cfg;
	char path[512], want[512], err[256] = "";

	make_tmpdir();
	write_file("web.yml", "tls_server_config: {cert_file: c.pem, key_file: /k.pem}\n");
	snprintf(path, sizeof(path), "%s/web.yml", tmpdir);
	ck_assert_msg(webconfig_load(&cfg, path, err, sizeof(err)) == 0, "load: %s", err);
	snprintf(want, sizeof(want), "%s/c.pem", tmpdir);
	ck_assert_str_eq(cfg.cert_file, want);
	ck_assert_str_eq(cfg.key_file, "/k.pem");
	webconfig_free(&cfg);
	unlink(path);
	ck_assert_int_eq(webconfig_load(&cfg, path, err, sizeof(err)), ENOENT);
	ck_assert_msg(strstr(err, "cannot read") != NULL, "missing file: '%s'", err);
	webconfig_free(&cfg);
	ck_assert_int_eq(webconfig_load(&cfg, tmpdir, err, sizeof(err)), EINVAL);
	ck_assert_msg(strstr(err, "not a regular file") != NULL, "directory: '%s'", err);
	webconfig_free(&cfg);
	rmdir(tmpdir);
}
END_TEST

/* Nesting kinds a hostile file can repeat: flow, block sequences on one line, block maps. */
static const struct {
	const char *name;
	const char *unit; /* repeated to fill the file */
	size_t indent;    /* spaces added per level after each unit (block maps), else 0 */
} nestings[] = {
	{"flow sequences", "[", 0},
	{"flow mappings", "{a: ", 0},
	{"block sequences on one line", "- ", 0},
	{"block mappings", "a:\n", 1},
};

/* Fills buf (size bytes, NUL included) with nesting i; returns its length. */
static size_t
make_nesting(int i, char *buf, size_t size)
{
	size_t len = 0, unit = strlen(nestings[i].unit), level = 0, k;

	while (len + unit + level * nestings[i].indent + 1 < size) {
		for (k = 0; k < level * nestings[i].indent; k++)
			buf[len++] = ' ';
		memcpy(buf + len, nestings[i].unit, unit);
		len += unit;
		level++;
	}
	buf[len] = '\0';
	return len;
}

/*
 * A file of nesting up to the 1 MiB cap is refused at once, naming the line where it went
 * too deep (libyaml alone spends minutes on it), and a file at the limit is not refused for
 * its depth.
 */
START_TEST(test_deep_nesting_refused_fast)
{
	size_t size = 1024 * 1024, len;
	char *text = malloc(size), err[256] = "";
	struct webconfig cfg;
	struct timespec a, b;
	double seconds;

	ck_assert(text != NULL);
	len = make_nesting(_i, text, size);
	clock_gettime(CLOCK_MONOTONIC, &a);
	ck_assert_int_eq(webconfig_parse(&cfg, text, len, NULL, err, sizeof(err)), EINVAL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	seconds = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	ck_assert_msg(strstr(err, "nested deeper than 64 levels (line ") != NULL, "%s: %s",
		      nestings[_i].name, err);
	if (nestings[_i].indent > 0)
		ck_assert_msg(strstr(err, "(line 65)") != NULL, "%s: %s", nestings[_i].name, err);
	ck_assert_msg(seconds < 1, "%s: %.2f s to refuse", nestings[_i].name, seconds);
	webconfig_free(&cfg);
	/* 64 levels: refused for what it holds, not for its depth. */
	len = make_nesting(_i, text, nestings[_i].indent > 0 ? 64 * 65 / 2 + 64 * 3 + 1 : 64 *
				      strlen(nestings[_i].unit) + 1);
	ck_assert_int_eq(webconfig_parse(&cfg, text, len, NULL, err, sizeof(err)), EINVAL);
	ck_assert_msg(strstr(err, "nested deeper") == NULL, "%s at 64: %s", nestings[_i].name,
		      err);
	webconfig_free(&cfg);
	free(text);
}
END_TEST

/* Headers past what a response has room for are refused at start, not on every request. */
START_TEST(test_headers_bounded)
{
	static const char head[] = "http_server_config:\n  headers:\n    Content-Security-Policy: ";
	char text[8192], err[256] = "";
	struct webconfig cfg;
	size_t n = strlen(head);

	memcpy(text, head, n);
	memset(text + n, 'x', 4000);
	text[n + 4000] = '\0';
	ck_assert_msg(webconfig_parse(&cfg, text, strlen(text), NULL, err, sizeof(err)) == 0,
		      "4000 bytes: %s", err);
	webconfig_free(&cfg);
	memset(text + n, 'x', 5000);
	text[n + 5000] = '\0';
	ck_assert_int_eq(webconfig_parse(&cfg, text, strlen(text), NULL, err, sizeof(err)), EINVAL);
	ck_assert_msg(strstr(err, "http_server_config.headers: the headers take more than the "
				  "4096 bytes") != NULL, "%s", err);
	webconfig_free(&cfg);
}
END_TEST

/* A FIFO nobody writes is refused at once, not waited on. */
START_TEST(test_load_fifo)
{
	struct webconfig cfg;
	char path[512], err[256] = "";

	make_tmpdir();
	snprintf(path, sizeof(path), "%s/web.yml", tmpdir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	alarm(10); /* before the fix, open() waited for a writer forever */
	ck_assert_int_eq(webconfig_load(&cfg, path, err, sizeof(err)), EINVAL);
	alarm(0);
	ck_assert_msg(strstr(err, "not a regular file") != NULL, "FIFO: '%s'", err);
	webconfig_free(&cfg);
	unlink(path);
	rmdir(tmpdir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("webconfig");
	TCase *tc = tcase_create("webconfig");

	tcase_add_loop_test(tc, test_parse_cases, 0, sizeof(parse_cases) / sizeof(parse_cases[0]));
	tcase_add_loop_test(tc, test_bcrypt_cases, 0,
			    sizeof(bcrypt_cases) / sizeof(bcrypt_cases[0]));
	tcase_add_test(tc, test_users_kept_in_order);
	tcase_add_test(tc, test_load_resolves_against_the_file);
	tcase_add_loop_test(tc, test_deep_nesting_refused_fast, 0, CHECK_ROWS(nestings));
	tcase_add_test(tc, test_headers_bounded);
	tcase_add_test(tc, test_load_fifo);
	suite_add_tcase(s, tc);
	return check_run(s);
}
