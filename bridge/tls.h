/* SPDX-License-Identifier: MIT */
/* HTTPS through libmicrohttpd's GnuTLS support: certificates, TLS 1.2 floor, client certificates. */
#ifndef IDLE_TLS_H
#define IDLE_TLS_H

#include <stddef.h>
#include <microhttpd.h>

#include "webconfig.h"

/* The MHD_OptionItem entries tls_daemon_options fills, END included. */
#define TLS_DAEMON_OPTIONS 5

struct tls {
	char *cert_pem; /* the files' contents, kept while libmicrohttpd serves */
	char *key_pem;
	char *ca_pem;   /* NULL without client_ca_file */
	char priorities[128];
	enum webconfig_client_auth client_auth;
};

/*
 * GnuTLS priorities allowing exactly TLS versions min to max (WEBCONFIG_TLS12, WEBCONFIG_TLS13).
 * Returns 0, or EINVAL when min > max or either is unknown, or ENOSPC.  Pure.
 */
int tls_priorities(int min_version, int max_version, char *out, size_t size);

/*
 * Reads and checks cfg's certificate, key (and that they match) and client CAs; a server
 * certificate expired or not yet valid is served, with one warning line on stderr naming the
 * file and the date.  Files are opened without blocking: a FIFO or device is refused.  Returns
 * 0, or an errno after writing one line naming the field and the file into err.  Free with
 * tls_free either way.
 */
int tls_load(struct tls *tls, const struct webconfig *cfg, char *err, size_t errsize);

/* Frees the file contents (the key wiped first); a zeroed tls is fine. */
void tls_free(struct tls *tls);

/*
 * Fills items (TLS_DAEMON_OPTIONS of them) with libmicrohttpd's HTTPS options, ending in
 * MHD_OPTION_END, for MHD_OPTION_ARRAY.  tls must outlive the daemon.
 */
void tls_daemon_options(const struct tls *tls, struct MHD_OptionItem *items);

/*
 * Sets a new connection's client certificate policy (request, require, verify), which
 * libmicrohttpd does not do itself: call it from MHD_CONNECTION_NOTIFY_STARTED, before the
 * handshake.  Returns 0, or EIO when the connection has no TLS session (close it then).
 */
int tls_connection_started(const struct tls *tls, struct MHD_Connection *conn);

#endif
