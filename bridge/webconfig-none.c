/* SPDX-License-Identifier: MIT */
/* The exporter built without --web.config.file (configure --disable-web-config): it refuses one. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "tls.h"
#include "webconfig.h"

int
webconfig_load(struct webconfig *cfg, const char *path, char *err, size_t errsize)
{
	(void)path;
	memset(cfg, 0, sizeof(*cfg));
	snprintf(err, errsize, "this idle-exporter was built without --web.config.file support "
		 "(configure found no libyaml, GnuTLS or libxcrypt, or was given "
		 "--disable-web-config)");
	return ENOTSUP;
}

void
webconfig_free(struct webconfig *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
}

/* What follows is never reached: webconfig_load never succeeds. */

int
tls_load(struct tls *tls, const struct webconfig *cfg, char *err, size_t errsize)
{
	(void)cfg;
	memset(tls, 0, sizeof(*tls));
	snprintf(err, errsize, "built without TLS");
	return ENOTSUP;
}

void
tls_free(struct tls *tls)
{
	memset(tls, 0, sizeof(*tls));
}

void
tls_daemon_options(const struct tls *tls, struct MHD_OptionItem *items)
{
	(void)tls;
	items[0] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
}

int
tls_connection_started(const struct tls *tls, struct MHD_Connection *conn)
{
	(void)tls;
	(void)conn;
	return EIO;
}

struct auth *
auth_new(const struct webconfig_user *users, size_t n_users, char *err, size_t errsize)
{
	(void)users;
	(void)n_users;
	snprintf(err, errsize, "built without basic auth");
	return NULL;
}

void
auth_stop(struct auth *auth)
{
	(void)auth;
}

void
auth_free(struct auth *auth)
{
	(void)auth;
}

enum auth_result
auth_check(struct auth *auth, const char *header, double now, const struct auth_waiter *waiter)
{
	(void)auth;
	(void)header;
	(void)now;
	(void)waiter;
	return AUTH_DENIED;
}
