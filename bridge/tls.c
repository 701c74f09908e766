/* SPDX-License-Identifier: MIT */
/* HTTPS through libmicrohttpd's GnuTLS support: certificates, TLS 1.2 floor, client certificates. */
#include <errno.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "smallfile.h"
#include "tls.h"

/* A certificate chain, a key or a CA bundle: a few KiB; the system bundle is 200 KiB. */
#define TLS_PEM_MAX (1024 * 1024)

int
tls_priorities(int min_version, int max_version, char *out, size_t size)
{
	int n;

	if (min_version < WEBCONFIG_TLS12 || max_version > WEBCONFIG_TLS13 ||
	    min_version > max_version)
		return EINVAL;
	/* libmicrohttpd's default, NORMAL, still allows TLS 1.0 and 1.1: name the versions. */
	n = snprintf(out, size, "NORMAL:-VERS-ALL%s%s",
		     max_version >= WEBCONFIG_TLS13 ? ":+VERS-TLS1.3" : "",
		     min_version <= WEBCONFIG_TLS12 ? ":+VERS-TLS1.2" : "");
	return n < 0 || (size_t)n >= size ? ENOSPC : 0;
}

/* Reads one file of the config; the error names the field and the file. */
static int
read_pem(const char *field, const char *path, char **out, char *err, size_t errsize)
{
	size_t len;
	int rc = smallfile_read(path, TLS_PEM_MAX, out, &len);

	if (rc != 0) {
		snprintf(err, errsize, "%s: cannot read '%s': %s", field, path,
			 smallfile_strerror(rc));
		return rc;
	}
	if (strlen(*out) != len) {
		snprintf(err, errsize, "%s: '%s' holds a NUL byte: not PEM", field, path);
		return EINVAL;
	}
	return 0;
}

/*
 * Warns on stderr when the server certificate is outside its validity period: it is served
 * anyway (as exporter-toolkit does), but scrapers will refuse it, and the log should say why.
 */
static void
warn_validity(const char *path, gnutls_x509_crt_t cert, time_t now)
{
	time_t from = gnutls_x509_crt_get_activation_time(cert);
	time_t until = gnutls_x509_crt_get_expiration_time(cert);
	const char *what = NULL;
	char date[64] = "?";
	struct tm tm;
	time_t when;

	if (until != (time_t)-1 && now > until) {
		what = "expired on";
		when = until;
	} else if (from != (time_t)-1 && now < from) {
		what = "is not valid before";
		when = from;
	}
	if (what == NULL)
		return;
	if (gmtime_r(&when, &tm) != NULL)
		strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S UTC", &tm);
	fprintf(stderr, "idle-exporter: warning: tls_server_config.cert_file: the certificate in "
		"'%s' %s %s: clients will refuse it\n", path, what, date);
}

/* Checks that text holds at least one PEM certificate; warns about the first one's dates. */
static int
check_certs(const char *field, const char *path, const char *text, bool server, char *err,
	    size_t errsize)
{
	gnutls_datum_t data = {(unsigned char *)text, (unsigned int)strlen(text)};
	gnutls_x509_crt_t *certs = NULL;
	unsigned int n = 0, i;
	int rc;

	rc = gnutls_x509_crt_list_import2(&certs, &n, &data, GNUTLS_X509_FMT_PEM, 0);
	if (rc < 0 || n == 0) {
		snprintf(err, errsize, "%s: '%s' holds no usable PEM certificate: %s", field, path,
			 rc < 0 ? gnutls_strerror(rc) : "none found");
		return EINVAL;
	}
	if (server)
		warn_validity(path, certs[0], time(NULL));
	for (i = 0; i < n; i++)
		gnutls_x509_crt_deinit(certs[i]);
	gnutls_free(certs);
	return 0;
}

/* Checks the key alone, then that it belongs to the certificate, as the handshake will. */
static int
check_key(const struct webconfig *cfg, const struct tls *tls, char *err, size_t errsize)
{
	gnutls_datum_t cert = {(unsigned char *)tls->cert_pem, (unsigned int)strlen(tls->cert_pem)};
	gnutls_datum_t key = {(unsigned char *)tls->key_pem, (unsigned int)strlen(tls->key_pem)};
	gnutls_certificate_credentials_t cred;
	gnutls_x509_privkey_t pk;
	int rc;

	if (gnutls_x509_privkey_init(&pk) < 0 ||
	    gnutls_certificate_allocate_credentials(&cred) < 0) {
		snprintf(err, errsize, "out of memory");
		return ENOMEM;
	}
	rc = gnutls_x509_privkey_import2(pk, &key, GNUTLS_X509_FMT_PEM, NULL, 0);
	gnutls_x509_privkey_deinit(pk);
	if (rc < 0) {
		snprintf(err, errsize, "tls_server_config.key_file: '%s' holds no usable PEM "
			 "private key (encrypted keys are not supported): %s",
			 cfg->key_file, gnutls_strerror(rc));
		gnutls_certificate_free_credentials(cred);
		return EINVAL;
	}
	rc = gnutls_certificate_set_x509_key_mem2(cred, &cert, &key, GNUTLS_X509_FMT_PEM, NULL, 0);
	gnutls_certificate_free_credentials(cred);
	if (rc < 0) {
		snprintf(err, errsize, "tls_server_config.key_file: '%s' does not go with "
			 "cert_file '%s': %s", cfg->key_file, cfg->cert_file, gnutls_strerror(rc));
		return EINVAL;
	}
	return 0;
}

/* Checks the priority string with GnuTLS itself, so a bad one fails here, not per connection. */
static int
check_priorities(const struct tls *tls, char *err, size_t errsize)
{
	gnutls_priority_t cache;
	int rc = gnutls_priority_init(&cache, tls->priorities, NULL);

	if (rc < 0) {
		snprintf(err, errsize, "tls_server_config: GnuTLS refuses the priorities '%s': %s",
			 tls->priorities, gnutls_strerror(rc));
		return EINVAL;
	}
	gnutls_priority_deinit(cache);
	return 0;
}

int
tls_load(struct tls *tls, const struct webconfig *cfg, char *err, size_t errsize)
{
	int rc;

	memset(tls, 0, sizeof(*tls));
	tls->client_auth = cfg->client_auth;
	if (!MHD_is_feature_supported(MHD_FEATURE_TLS)) {
		snprintf(err, errsize, "tls_server_config: this libmicrohttpd has no TLS support");
		return ENOTSUP;
	}
	if ((rc = tls_priorities(cfg->min_version, cfg->max_version, tls->priorities,
				 sizeof(tls->priorities))) != 0) {
		snprintf(err, errsize, "tls_server_config: bad min_version or max_version");
		return rc;
	}
	if ((rc = read_pem("tls_server_config.cert_file", cfg->cert_file, &tls->cert_pem, err,
			   errsize)) != 0 ||
	    (rc = check_certs("tls_server_config.cert_file", cfg->cert_file, tls->cert_pem, true,
			      err, errsize)) != 0 ||
	    (rc = read_pem("tls_server_config.key_file", cfg->key_file, &tls->key_pem, err,
			   errsize)) != 0 ||
	    (rc = check_key(cfg, tls, err, errsize)) != 0 ||
	    (rc = check_priorities(tls, err, errsize)) != 0)
		return rc;
	if (cfg->client_ca_file == NULL)
		return 0;
	if ((rc = read_pem("tls_server_config.client_ca_file", cfg->client_ca_file, &tls->ca_pem,
			   err, errsize)) != 0)
		return rc;
	return check_certs("tls_server_config.client_ca_file", cfg->client_ca_file, tls->ca_pem,
			   false, err, errsize);
}

void
tls_free(struct tls *tls)
{
	if (tls->key_pem != NULL)
		explicit_bzero(tls->key_pem, strlen(tls->key_pem));
	free(tls->key_pem);
	free(tls->cert_pem);
	free(tls->ca_pem);
	memset(tls, 0, sizeof(*tls));
}

void
tls_daemon_options(const struct tls *tls, struct MHD_OptionItem *items)
{
	size_t n = 0;

	items[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, tls->cert_pem};
	items[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, tls->key_pem};
	items[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_PRIORITIES, 0,
					     (void *)tls->priorities};
	/* The trust list is what gnutls_certificate_verify_peers checks client chains against. */
	if (tls->ca_pem != NULL)
		items[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_TRUST, 0, tls->ca_pem};
	items[n] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
}

/*
 * Verifies the client's chain against client_ca_file for a TLS client (purpose clientAuth),
 * as Go's RequireAndVerifyClientCert does.  A client without a certificate passes here: the
 * request level (REQUIRE or REQUEST) decides whether one was needed.
 */
static int
verify_client(gnutls_session_t session)
{
	gnutls_typed_vdata_st purpose = {GNUTLS_DT_KEY_PURPOSE_OID,
					 (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT, 0};
	unsigned int n = 0, status = 0;

	if (gnutls_certificate_get_peers(session, &n) == NULL || n == 0)
		return 0;
	if (gnutls_certificate_verify_peers(session, &purpose, 1, &status) < 0 || status != 0)
		return GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR;
	return 0;
}

int
tls_connection_started(const struct tls *tls, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	gnutls_session_t session = info != NULL ? (gnutls_session_t)info->tls_session : NULL;

	if (session == NULL)
		return EIO;
	switch (tls->client_auth) {
	case WEBCONFIG_NO_CLIENT_CERT:
		gnutls_certificate_server_set_request(session, GNUTLS_CERT_IGNORE);
		break;
	case WEBCONFIG_REQUEST_CLIENT_CERT:
		gnutls_certificate_server_set_request(session, GNUTLS_CERT_REQUEST);
		break;
	case WEBCONFIG_REQUIRE_ANY_CLIENT_CERT:
		gnutls_certificate_server_set_request(session, GNUTLS_CERT_REQUIRE);
		break;
	case WEBCONFIG_VERIFY_CLIENT_CERT_IF_GIVEN:
		gnutls_certificate_server_set_request(session, GNUTLS_CERT_REQUEST);
		gnutls_session_set_verify_function(session, verify_client);
		break;
	case WEBCONFIG_REQUIRE_AND_VERIFY_CLIENT_CERT:
		gnutls_certificate_server_set_request(session, GNUTLS_CERT_REQUIRE);
		gnutls_session_set_verify_function(session, verify_client);
		break;
	}
	return 0;
}
