/* SPDX-License-Identifier: MIT */
/* The exporter-toolkit web config file (--web.config.file): TLS, basic auth and headers. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "smallfile.h"
#include "webconfig.h"

/* A web config file is small; anything bigger is a mistake. */
#define WEBCONFIG_FILE_MAX (1024 * 1024)
/*
 * The format needs 4 levels; libyaml takes time quadratic in the depth (40,000 levels: 9 s),
 * so deeper is refused by a pass over the events before any document is built.
 */
#define WEBCONFIG_DEPTH_MAX 64
/*
 * The configured headers, as "Name: value\r\n" lines: they go on every response, which
 * libmicrohttpd builds in the connection's 16 KiB of memory beside the request, so a quarter.
 */
#define WEBCONFIG_HEADERS_MAX 4096

struct parse {
	yaml_document_t *doc;
	struct webconfig *cfg;
	const char *dir;
	char *err;
	size_t errsize;
	const char *client_auth_text; /* as written, for the cross-field checks */
};

/* One key of a mapping: its handler, or NULL for exporter-toolkit keys we do not support. */
struct key_handler {
	const char *name;
	int (*parse)(struct parse *p, yaml_node_t *value, const char *field);
};

/* Writes "field: message (line N)" into p->err; returns EINVAL. */
static int __attribute__((format(printf, 4, 5)))
fail(struct parse *p, const yaml_node_t *node, const char *field, const char *fmt, ...)
{
	char message[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errsize, "%s: %s (line %lu)", field, message,
		 (unsigned long)node->start_mark.line + 1);
	return EINVAL;
}

/* True for YAML's null: an empty plain scalar, "~" or "null". */
static bool
is_null(const yaml_node_t *node)
{
	const char *v = (const char *)node->data.scalar.value;

	if (node->type != YAML_SCALAR_NODE || node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return v[0] == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
	       strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

/* The text of a scalar, "" for null; EINVAL for a list, a mapping or a NUL inside. */
static int
scalar_text(struct parse *p, yaml_node_t *node, const char *field, const char **out)
{
	if (node->type != YAML_SCALAR_NODE)
		return fail(p, node, field, "expected a string");
	if (strlen((const char *)node->data.scalar.value) != node->data.scalar.length)
		return fail(p, node, field, "contains a NUL byte");
	*out = is_null(node) ? "" : (const char *)node->data.scalar.value;
	return 0;
}

/* Joins dir and a relative name, as exporter-toolkit resolves files against the config's dir. */
static int
resolve_path(struct parse *p, const char *name, char **out)
{
	size_t dirlen = p->dir != NULL ? strlen(p->dir) : 0;
	size_t len = strlen(name);

	bool slash = dirlen > 0 && p->dir[dirlen - 1] != '/';

	if (name[0] == '/' || dirlen == 0) {
		*out = strdup(name);
		return *out != NULL ? 0 : ENOMEM;
	}
	*out = malloc(dirlen + slash + len + 1);
	if (*out == NULL)
		return ENOMEM;
	memcpy(*out, p->dir, dirlen);
	if (slash)
		(*out)[dirlen] = '/';
	memcpy(*out + dirlen + slash, name, len + 1);
	return 0;
}

/* A file name field: NULL when null or empty, else resolved. */
static int
parse_file(struct parse *p, yaml_node_t *value, const char *field, char **slot)
{
	const char *text;
	int rc;

	if ((rc = scalar_text(p, value, field, &text)) != 0)
		return rc;
	free(*slot);
	*slot = NULL;
	return text[0] == '\0' ? 0 : resolve_path(p, text, slot);
}

static int
parse_cert_file(struct parse *p, yaml_node_t *value, const char *field)
{
	return parse_file(p, value, field, &p->cfg->cert_file);
}

static int
parse_key_file(struct parse *p, yaml_node_t *value, const char *field)
{
	return parse_file(p, value, field, &p->cfg->key_file);
}

static int
parse_client_ca_file(struct parse *p, yaml_node_t *value, const char *field)
{
	return parse_file(p, value, field, &p->cfg->client_ca_file);
}

static const struct {
	const char *name;
	enum webconfig_client_auth value;
} client_auth_names[] = {
	{"", WEBCONFIG_NO_CLIENT_CERT},
	{"NoClientCert", WEBCONFIG_NO_CLIENT_CERT},
	{"RequestClientCert", WEBCONFIG_REQUEST_CLIENT_CERT},
	{"RequireAnyClientCert", WEBCONFIG_REQUIRE_ANY_CLIENT_CERT},
	{"RequireClientCert", WEBCONFIG_REQUIRE_ANY_CLIENT_CERT}, /* exporter-toolkit's old name */
	{"VerifyClientCertIfGiven", WEBCONFIG_VERIFY_CLIENT_CERT_IF_GIVEN},
	{"RequireAndVerifyClientCert", WEBCONFIG_REQUIRE_AND_VERIFY_CLIENT_CERT},
};

static int
parse_client_auth(struct parse *p, yaml_node_t *value, const char *field)
{
	const char *text;
	size_t i;
	int rc;

	if ((rc = scalar_text(p, value, field, &text)) != 0)
		return rc;
	for (i = 0; i < sizeof(client_auth_names) / sizeof(client_auth_names[0]); i++) {
		if (strcmp(text, client_auth_names[i].name) == 0) {
			p->cfg->client_auth = client_auth_names[i].value;
			p->client_auth_text = text;
			return 0;
		}
	}
	return fail(p, value, field,
		    "unknown '%s' (expected NoClientCert, RequestClientCert, RequireAnyClientCert, "
		    "VerifyClientCertIfGiven or RequireAndVerifyClientCert)",
		    text);
}

/* TLS10 to TLS13 as exporter-toolkit spells them; below TLS12 is refused. */
static int
parse_version(struct parse *p, yaml_node_t *value, const char *field, int *slot)
{
	const char *text;
	int rc;

	if ((rc = scalar_text(p, value, field, &text)) != 0)
		return rc;
	if (is_null(value))
		return 0;
	if (strcmp(text, "TLS12") == 0 || strcmp(text, "TLS13") == 0) {
		*slot = text[4] == '2' ? WEBCONFIG_TLS12 : WEBCONFIG_TLS13;
		return 0;
	}
	if (strcmp(text, "TLS10") == 0 || strcmp(text, "TLS11") == 0)
		return fail(p, value, field, "%s is not allowed: TLS12 is the lowest version served",
			    text);
	return fail(p, value, field, "unknown TLS version '%s' (expected TLS12 or TLS13)", text);
}

static int
parse_min_version(struct parse *p, yaml_node_t *value, const char *field)
{
	return parse_version(p, value, field, &p->cfg->min_version);
}

static int
parse_max_version(struct parse *p, yaml_node_t *value, const char *field)
{
	return parse_version(p, value, field, &p->cfg->max_version);
}

/* A YAML 1.1 boolean, as Go's yaml.v2 reads them. */
static int
parse_bool(struct parse *p, yaml_node_t *value, const char *field)
{
	static const char *const words[] = {"true", "false", "yes", "no", "on", "off"};
	const char *text;
	size_t i;
	int rc;

	if ((rc = scalar_text(p, value, field, &text)) != 0)
		return rc;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(text, words[i]) == 0)
			return 0;
	return fail(p, value, field, "expected true or false, not '%s'", text);
}

/* Walks a mapping, rejecting duplicate, unknown and unsupported keys. */
static int
parse_mapping(struct parse *p, yaml_node_t *map, const char *section,
	      const struct key_handler *handlers)
{
	yaml_node_pair_t *pair, *other;
	const struct key_handler *h;
	yaml_node_t *key, *value;
	const char *name;
	char field[128];
	int rc;

	if (is_null(map))
		return 0;
	if (map->type != YAML_MAPPING_NODE)
		return fail(p, map, section[0] ? section : "web config", "expected a mapping");
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		key = yaml_document_get_node(p->doc, pair->key);
		value = yaml_document_get_node(p->doc, pair->value);
		if ((rc = scalar_text(p, key, section[0] ? section : "web config", &name)) != 0)
			return rc;
		snprintf(field, sizeof(field), "%s%s%s", section, section[0] ? "." : "", name);
		for (other = map->data.mapping.pairs.start; other < pair; other++)
			if (strcmp((const char *)yaml_document_get_node(p->doc, other->key)
					   ->data.scalar.value,
				   name) == 0)
				return fail(p, key, field, "given twice");
		for (h = handlers; h->name != NULL && strcmp(h->name, name) != 0; h++)
			;
		if (h->name == NULL)
			return fail(p, key, field, "unknown key");
		if (h->parse == NULL)
			return fail(p, key, field, "not supported by idle-exporter");
		if ((rc = h->parse(p, value, field)) != 0)
			return rc;
	}
	return 0;
}

static const struct key_handler tls_keys[] = {
	{"cert_file", parse_cert_file},
	{"key_file", parse_key_file},
	{"client_auth_type", parse_client_auth},
	{"client_ca_file", parse_client_ca_file},
	{"min_version", parse_min_version},
	{"max_version", parse_max_version},
	{"cert", NULL},
	{"key", NULL},
	{"client_ca", NULL},
	{"client_allowed_sans", NULL},
	{"cipher_suites", NULL},
	{"curve_preferences", NULL},
	{"prefer_server_cipher_suites", NULL},
	{NULL, NULL},
};

/* The cross-field rules of tls_server_config, once every field is read. */
static int
check_tls(struct parse *p, yaml_node_t *node)
{
	struct webconfig *cfg = p->cfg;
	const char *section = "tls_server_config";

	cfg->tls = cfg->cert_file != NULL || cfg->key_file != NULL ||
		   cfg->client_ca_file != NULL || p->client_auth_text[0] != '\0';
	if (!cfg->tls)
		return 0;
	if (cfg->cert_file == NULL)
		return fail(p, node, section, "cert_file is missing");
	if (cfg->key_file == NULL)
		return fail(p, node, section, "key_file is missing");
	if (cfg->client_ca_file != NULL && cfg->client_auth == WEBCONFIG_NO_CLIENT_CERT)
		return fail(p, node, section,
			    "client_ca_file is set but client_auth_type is NoClientCert");
	if (cfg->client_ca_file == NULL &&
	    (cfg->client_auth == WEBCONFIG_VERIFY_CLIENT_CERT_IF_GIVEN ||
	     cfg->client_auth == WEBCONFIG_REQUIRE_AND_VERIFY_CLIENT_CERT))
		return fail(p, node, section, "client_auth_type %s needs client_ca_file",
			    p->client_auth_text);
	if (cfg->min_version > cfg->max_version)
		return fail(p, node, section, "min_version is above max_version");
	return 0;
}

static int
parse_tls(struct parse *p, yaml_node_t *value, const char *field)
{
	int rc = parse_mapping(p, value, field, tls_keys);

	return rc != 0 ? rc : check_tls(p, value);
}

/* Headers exporter-toolkit lets a config add, and the values it allows (NULL: any). */
static const struct {
	const char *name;
	const char *allowed[3];
} header_rules[] = {
	{"Strict-Transport-Security", {NULL}},
	{"X-Content-Type-Options", {"nosniff", NULL}},
	{"X-Frame-Options", {"deny", "sameorigin", NULL}},
	{"X-XSS-Protection", {NULL}},
	{"Content-Security-Policy", {NULL}},
};

/* Checks one header against exporter-toolkit's list; values never hold control characters. */
static int
check_header(struct parse *p, yaml_node_t *node, const char *field, const char *name,
	     const char *value)
{
	const unsigned char *c;
	size_t i, j;

	for (i = 0; i < sizeof(header_rules) / sizeof(header_rules[0]); i++)
		if (strcmp(header_rules[i].name, name) == 0)
			break;
	if (i == sizeof(header_rules) / sizeof(header_rules[0]))
		return fail(p, node, field, "header '%s' can not be configured", name);
	for (c = (const unsigned char *)value; *c != '\0'; c++)
		if (*c < 0x20 || *c == 0x7f)
			return fail(p, node, field, "control character in the value of %s", name);
	if (header_rules[i].allowed[0] == NULL)
		return 0;
	for (j = 0; header_rules[i].allowed[j] != NULL; j++)
		if (strcmp(header_rules[i].allowed[j], value) == 0)
			return 0;
	return fail(p, node, field, "invalid value '%s' for %s", value, name);
}

/* Appends one name, value pair to cfg->headers (sized for every pair up front). */
static int
add_header(struct webconfig *cfg, size_t *n, const char *name, const char *value)
{
	char *name_copy = strdup(name), *value_copy = strdup(value);

	if (name_copy == NULL || value_copy == NULL) {
		free(name_copy);
		free(value_copy);
		return ENOMEM;
	}
	cfg->headers[*n] = name_copy;
	cfg->headers[*n + 1] = value_copy;
	cfg->headers[*n + 2] = NULL;
	*n += 2;
	return 0;
}

static int
parse_headers(struct parse *p, yaml_node_t *map, const char *field)
{
	const char *name, *value;
	yaml_node_pair_t *pair, *other;
	size_t n = 0, bytes = 0;
	int rc;

	if (is_null(map))
		return 0;
	if (map->type != YAML_MAPPING_NODE)
		return fail(p, map, field, "expected a mapping of header names to values");
	free(p->cfg->headers);
	p->cfg->headers = calloc(2 * (size_t)(map->data.mapping.pairs.top -
					      map->data.mapping.pairs.start) + 1,
				 sizeof(char *));
	if (p->cfg->headers == NULL)
		return ENOMEM;
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = yaml_document_get_node(p->doc, pair->key);

		if ((rc = scalar_text(p, key, field, &name)) != 0 ||
		    (rc = scalar_text(p, yaml_document_get_node(p->doc, pair->value), field,
				      &value)) != 0 ||
		    (rc = check_header(p, key, field, name, value)) != 0)
			return rc;
		for (other = map->data.mapping.pairs.start; other < pair; other++)
			if (strcmp((const char *)yaml_document_get_node(p->doc, other->key)
					   ->data.scalar.value, name) == 0)
				return fail(p, key, field, "header '%s' given twice", name);
		/* "Unset if blank", as exporter-toolkit documents it. */
		if (value[0] != '\0' && (rc = add_header(p->cfg, &n, name, value)) != 0)
			return rc;
		if (value[0] != '\0')
			bytes += strlen(name) + strlen(value) + 4;
		if (bytes > WEBCONFIG_HEADERS_MAX)
			return fail(p, key, field, "the headers take more than the %d bytes a "
				    "response has room for", WEBCONFIG_HEADERS_MAX);
	}
	return 0;
}

static const struct key_handler http_keys[] = {
	{"headers", parse_headers},
	{"http2", parse_bool}, /* read and ignored: libmicrohttpd speaks HTTP/1.1 */
	{NULL, NULL},
};

static int
parse_http(struct parse *p, yaml_node_t *value, const char *field)
{
	return parse_mapping(p, value, field, http_keys);
}

bool
webconfig_is_bcrypt(const char *text)
{
	static const char alphabet[] =
		"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	int cost;

	if (strlen(text) != 60 || strncmp(text, "$2", 2) != 0 ||
	    (text[2] != 'a' && text[2] != 'b' && text[2] != 'y') || text[3] != '$' ||
	    text[4] < '0' || text[4] > '3' || text[5] < '0' || text[5] > '9' || text[6] != '$')
		return false;
	cost = (text[4] - '0') * 10 + (text[5] - '0');
	return cost >= 4 && cost <= 31 && strspn(text + 7, alphabet) == 53;
}

static int
parse_users(struct parse *p, yaml_node_t *map, const char *field)
{
	struct webconfig *cfg = p->cfg;
	yaml_node_pair_t *pair;
	const char *name, *hash;
	int rc;

	if (is_null(map))
		return 0;
	if (map->type != YAML_MAPPING_NODE)
		return fail(p, map, field, "expected a mapping of user names to bcrypt hashes");
	cfg->users = calloc((size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start),
			    sizeof(*cfg->users));
	if (cfg->users == NULL && map->data.mapping.pairs.top != map->data.mapping.pairs.start)
		return ENOMEM;
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = yaml_document_get_node(p->doc, pair->key);
		size_t i;

		if ((rc = scalar_text(p, key, field, &name)) != 0 ||
		    (rc = scalar_text(p, yaml_document_get_node(p->doc, pair->value), field,
				      &hash)) != 0)
			return rc;
		if (strchr(name, ':') != NULL)
			return fail(p, key, field, "user name '%s' holds a ':', which basic auth "
				    "cannot send", name);
		for (i = 0; i < cfg->n_users; i++)
			if (strcmp(cfg->users[i].name, name) == 0)
				return fail(p, key, field, "user '%s' given twice", name);
		if (!webconfig_is_bcrypt(hash))
			return fail(p, key, field, "the hash of user '%s' is not a bcrypt hash "
				    "($2a$, $2b$ or $2y$, cost 04 to 31, 60 characters)", name);
		cfg->users[cfg->n_users].name = strdup(name);
		cfg->users[cfg->n_users].hash = strdup(hash);
		cfg->n_users++;
		if (cfg->users[cfg->n_users - 1].name == NULL ||
		    cfg->users[cfg->n_users - 1].hash == NULL)
			return ENOMEM;
	}
	return 0;
}

static const struct key_handler root_keys[] = {
	{"tls_server_config", parse_tls},
	{"http_server_config", parse_http},
	{"basic_auth_users", parse_users},
	{"rate_limit", NULL},
	{NULL, NULL},
};

/* Sets exporter-toolkit's defaults: no TLS, TLS12 to TLS13, no users, no headers. */
static int
webconfig_defaults(struct webconfig *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->min_version = WEBCONFIG_TLS12;
	cfg->max_version = WEBCONFIG_TLS13;
	cfg->headers = calloc(1, sizeof(char *));
	return cfg->headers != NULL ? 0 : ENOMEM;
}

/* One event's change of nesting depth: +1 for a sequence or mapping, -1 at its end. */
static int
depth_change(const yaml_event_t *event)
{
	switch (event->type) {
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		return 1;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return -1;
	default:
		return 0;
	}
}

/*
 * Refuses text nested deeper than WEBCONFIG_DEPTH_MAX, after reading no more events than
 * that depth takes.  Syntax errors are left to the loader, which reports them.
 */
static int
check_depth(const char *text, size_t len, char *err, size_t errsize)
{
	yaml_parser_t parser;
	yaml_event_t event;
	int depth = 0, rc = 0;
	bool end = false;

	if (!yaml_parser_initialize(&parser))
		return ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (rc == 0 && !end && yaml_parser_parse(&parser, &event)) {
		depth += depth_change(&event);
		end = event.type == YAML_STREAM_END_EVENT;
		if (depth > WEBCONFIG_DEPTH_MAX) {
			snprintf(err, errsize, "invalid YAML: nested deeper than %d levels (line %lu)",
				 WEBCONFIG_DEPTH_MAX, (unsigned long)event.start_mark.line + 1);
			rc = EINVAL;
		}
		yaml_event_delete(&event);
	}
	yaml_parser_delete(&parser);
	return rc;
}

int
webconfig_parse(struct webconfig *cfg, const char *text, size_t len, const char *dir,
		char *err, size_t errsize)
{
	struct parse p = {NULL, cfg, dir, err, errsize, ""};
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	int rc;

	if ((rc = webconfig_defaults(cfg)) != 0)
		return rc;
	if ((rc = check_depth(text, len, err, errsize)) != 0 || !yaml_parser_initialize(&parser)) {
		webconfig_free(cfg);
		return rc != 0 ? rc : ENOMEM;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(err, errsize, "invalid YAML: %s (line %lu)",
			 parser.problem != NULL ? parser.problem : "unreadable",
			 (unsigned long)parser.problem_mark.line + 1);
		yaml_parser_delete(&parser);
		webconfig_free(cfg);
		return parser.error == YAML_MEMORY_ERROR ? ENOMEM : EINVAL;
	}
	p.doc = &doc;
	root = yaml_document_get_root_node(&doc);
	rc = root == NULL ? 0 : parse_mapping(&p, root, "", root_keys);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (rc != 0) {
		if (rc == ENOMEM)
			snprintf(err, errsize, "out of memory");
		webconfig_free(cfg);
	}
	return rc;
}

int
webconfig_load(struct webconfig *cfg, const char *path, char *err, size_t errsize)
{
	const char *slash = strrchr(path, '/');
	char *text, *dir;
	size_t len;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	if ((rc = smallfile_read(path, WEBCONFIG_FILE_MAX, &text, &len)) != 0) {
		snprintf(err, errsize, "cannot read: %s", smallfile_strerror(rc));
		return rc;
	}
	dir = slash == NULL ? strdup("") : strndup(path, (size_t)(slash - path) + 1);
	if (dir == NULL) {
		free(text);
		snprintf(err, errsize, "out of memory");
		return ENOMEM;
	}
	rc = webconfig_parse(cfg, text, len, dir, err, errsize);
	free(dir);
	free(text);
	return rc;
}

void
webconfig_free(struct webconfig *cfg)
{
	size_t i;

	for (i = 0; i < cfg->n_users; i++) {
		free(cfg->users[i].name);
		free(cfg->users[i].hash);
	}
	for (i = 0; cfg->headers != NULL && cfg->headers[i] != NULL; i++)
		free(cfg->headers[i]);
	free(cfg->headers);
	free(cfg->users);
	free(cfg->cert_file);
	free(cfg->key_file);
	free(cfg->client_ca_file);
	memset(cfg, 0, sizeof(*cfg));
}
