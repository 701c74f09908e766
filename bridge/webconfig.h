/* SPDX-License-Identifier: MIT */
/* The exporter-toolkit web config file (--web.config.file): TLS, basic auth and headers. */
#ifndef IDLE_WEBCONFIG_H
#define IDLE_WEBCONFIG_H

#include <stdbool.h>
#include <stddef.h>

/* tls_server_config.client_auth_type, named as Go's crypto/tls names them. */
enum webconfig_client_auth {
	WEBCONFIG_NO_CLIENT_CERT,
	WEBCONFIG_REQUEST_CLIENT_CERT,
	WEBCONFIG_REQUIRE_ANY_CLIENT_CERT,
	WEBCONFIG_VERIFY_CLIENT_CERT_IF_GIVEN,
	WEBCONFIG_REQUIRE_AND_VERIFY_CLIENT_CERT,
};

/* TLS versions as numbers: 12 for TLS12, 13 for TLS13 (nothing lower is accepted). */
#define WEBCONFIG_TLS12 12
#define WEBCONFIG_TLS13 13

struct webconfig_user {
	char *name;
	char *hash; /* a bcrypt hash: $2a$, $2b$ or $2y$, cost 04 to 31 (auth_new bounds it more) */
};

struct webconfig {
	bool tls;             /* some tls_server_config field is set: serve HTTPS */
	char *cert_file;      /* relative paths are resolved against the file's directory */
	char *key_file;
	char *client_ca_file; /* NULL when not given */
	enum webconfig_client_auth client_auth;
	int min_version;      /* WEBCONFIG_TLS12 unless set */
	int max_version;      /* WEBCONFIG_TLS13 unless set */
	struct webconfig_user *users;
	size_t n_users;
	/* http_server_config.headers as name, value pairs ending in NULL (never NULL itself). */
	char **headers;
};

/*
 * Parses the YAML text (len bytes) into cfg, resolving relative file names against dir (""
 * or NULL: as given).  Refuses nesting deeper than 64 levels before building the document, and
 * headers taking more than 4 KiB.  Returns 0, or EINVAL after writing one line naming the field
 * (and its line) into err, or ENOMEM.  cfg is left empty on error; free it with webconfig_free either
 * way.  Pure: reads no file.  Thread-safe.
 */
int webconfig_parse(struct webconfig *cfg, const char *text, size_t len, const char *dir,
		    char *err, size_t errsize);

/*
 * Reads and parses the file at path (relative names in it resolved against its directory): a
 * regular file of at most 1 MiB, opened without blocking (a FIFO is refused at once).  Returns
 * 0, or an errno after writing one line naming the problem into err (not the file name: the
 * caller adds it).  Free cfg with webconfig_free either way.
 */
int webconfig_load(struct webconfig *cfg, const char *path, char *err, size_t errsize);

/* Frees what cfg holds and empties it; an empty or zeroed cfg is fine. */
void webconfig_free(struct webconfig *cfg);

/*
 * True when text is a bcrypt hash this exporter verifies: "$2a$", "$2b$" or "$2y$", a cost
 * from 04 to 31, "$", then 53 characters of bcrypt's base64.  Pure.
 */
bool webconfig_is_bcrypt(const char *text);

#endif
