/* SPDX-License-Identifier: MIT */
/* The listening socket: opened here, so a bad address is one clear error, or taken from systemd. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <netdb.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "listen.h"

/* Binds and listens on one address; returns the socket or -1 with errno set. */
static int
bind_one(int family, const struct sockaddr *addr, socklen_t len)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int on = 1, off = 0, saved;

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0)
		goto fail;
	/* Serve IPv4 too on the wildcard IPv6 socket, whatever the sysctl default. */
	if (family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) != 0)
		goto fail;
	if (bind(fd, addr, len) != 0 || listen(fd, 128) != 0)
		goto fail;
	return fd;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/* Every address, dual stack; IPv4 alone when the host has no IPv6. */
static int
listen_any(unsigned short port)
{
	struct sockaddr_in6 any6;
	struct sockaddr_in any4;
	int fd;

	memset(&any6, 0, sizeof(any6));
	any6.sin6_family = AF_INET6;
	any6.sin6_addr = in6addr_any;
	any6.sin6_port = htons(port);
	fd = bind_one(AF_INET6, (struct sockaddr *)&any6, sizeof(any6));
	if (fd >= 0 || (errno != EAFNOSUPPORT && errno != EADDRNOTAVAIL))
		return fd;
	memset(&any4, 0, sizeof(any4));
	any4.sin_family = AF_INET;
	any4.sin_addr.s_addr = htonl(INADDR_ANY);
	any4.sin_port = htons(port);
	return bind_one(AF_INET, (struct sockaddr *)&any4, sizeof(any4));
}

/* A dotted quad as inet_pton takes it (four parts of 0 to 255, no leading zeros) into *out;
 * false for anything else. */
static bool
parse_ipv4(const char *s, struct in_addr *out)
{
	unsigned char bytes[4];
	unsigned value;
	int part, digits;

	for (part = 0; part < 4; part++) {
		if (part > 0 && *s++ != '.')
			return false;
		for (value = 0, digits = 0; *s >= '0' && *s <= '9'; s++, digits++) {
			if ((digits > 0 && value == 0) || (value = value * 10 + (unsigned)(*s - '0')) > 255)
				return false;
		}
		if (digits == 0)
			return false;
		bytes[part] = (unsigned char)value;
	}
	if (*s != '\0')
		return false;
	memcpy(&out->s_addr, bytes, sizeof(bytes));
	return true;
}

/*
 * A numeric address into *addr; false for a name (or a scoped IPv6 address), which
 * getaddrinfo resolves.  IPv4 by hand and IPv6 by inet_pton: getaddrinfo, getnameinfo and the
 * inet_ functions bring in the resolver's code, up to 192 KiB of libc that the exporter then
 * keeps resident for an address it could just parse.
 */
static bool
numeric_address(const char *host, unsigned short port, struct sockaddr_storage *addr,
		socklen_t *len)
{
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)addr;
	struct sockaddr_in *in4 = (struct sockaddr_in *)addr;

	memset(addr, 0, sizeof(*addr));
	if (parse_ipv4(host, &in4->sin_addr)) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(port);
		*len = sizeof(*in4);
		return true;
	}
	if (strchr(host, ':') != NULL && inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		*len = sizeof(*in6);
		return true;
	}
	return false;
}

/* An IPv6 address as RFC 5952 writes it (inet_ntop's text): lower-case groups without leading
 * zeros, the longest run of two or more zero groups (the first of equals) as "::", and an
 * IPv4-mapped or -compatible address's last 32 bits as a dotted quad. */
static void
format_ipv6(const unsigned char *a, char *out)
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	static const char hex[] = "0123456789abcdef";
	int i, run = -1, run_len = 0, start, n, shift;
	unsigned group;
	char *p = out;

	if (memcmp(a, mapped, sizeof(mapped)) == 0) {
		sprintf(out, "::ffff:%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
		return;
	}
	if (memcmp(a, mapped, 10) == 0 && a[10] == 0 && a[11] == 0 && (a[12] | a[13]) != 0) {
		sprintf(out, "::%u.%u.%u.%u", a[12], a[13], a[14], a[15]); /* IPv4-compatible */
		return;
	}
	for (i = 0; i < 8; i = start + n + 1) {
		for (start = i; start < 8 && (a[2 * start] | a[2 * start + 1]) != 0; start++)
			;
		for (n = 0; start + n < 8 && (a[2 * (start + n)] | a[2 * (start + n) + 1]) == 0;
		     n++)
			;
		if (n > run_len && n >= 2) {
			run = start;
			run_len = n;
		}
	}
	for (i = 0; i < 8; i++) {
		if (i == run) {
			*p++ = ':';
			*p++ = ':';
			i += run_len - 1;
			continue;
		}
		if (i > 0 && i != run + run_len)
			*p++ = ':';
		group = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		for (shift = 12; shift > 0 && (group >> shift) == 0; shift -= 4)
			;
		for (; shift >= 0; shift -= 4)
			*p++ = hex[(group >> shift) & 0xf];
	}
	*p = '\0';
}

int
listen_format(const struct sockaddr *addr, char *out, size_t outsize)
{
	const unsigned char *b;
	char host[48];
	unsigned port;
	int n;

	if (addr->sa_family == AF_INET6) {
		format_ipv6(((const struct sockaddr_in6 *)addr)->sin6_addr.s6_addr, host);
		port = ntohs(((const struct sockaddr_in6 *)addr)->sin6_port);
		n = snprintf(out, outsize, "[%s]:%u", host, port);
	} else if (addr->sa_family == AF_INET) {
		b = (const unsigned char *)&((const struct sockaddr_in *)addr)->sin_addr.s_addr;
		port = ntohs(((const struct sockaddr_in *)addr)->sin_port);
		n = snprintf(out, outsize, "%u.%u.%u.%u:%u", b[0], b[1], b[2], b[3], port);
	} else {
		return EAFNOSUPPORT;
	}
	return n < 0 || (size_t)n >= outsize ? ENOSPC : 0;
}

int
listen_open(const char *host, unsigned short port, char *err, size_t errsize)
{
	struct addrinfo hints, *found;
	struct sockaddr_storage addr;
	socklen_t len;
	char service[8];
	int fd, rc;

	if (host[0] == '\0') {
		fd = listen_any(port);
		if (fd < 0)
			snprintf(err, errsize, "cannot listen on :%u: %s", port, strerror(errno));
		return fd;
	}
	if (numeric_address(host, port, &addr, &len)) {
		fd = bind_one(addr.ss_family, (struct sockaddr *)&addr, len);
		if (fd < 0)
			snprintf(err, errsize, "cannot listen on %s:%u: %s", host, port,
				 strerror(errno));
		return fd;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(service, sizeof(service), "%u", port);
	rc = getaddrinfo(host, service, &hints, &found);
	if (rc != 0) {
		snprintf(err, errsize, "cannot resolve listen address '%s': %s", host,
			 gai_strerror(rc));
		return -1;
	}
	fd = bind_one(found->ai_family, found->ai_addr, found->ai_addrlen);
	if (fd < 0)
		snprintf(err, errsize, "cannot listen on %s:%u: %s", host, port, strerror(errno));
	freeaddrinfo(found);
	return fd;
}

/* Reads a decimal environment variable; false when unset or not a whole number. */
static bool
env_number(const char *name, unsigned long *out)
{
	const char *text = getenv(name);
	char *end;

	if (text == NULL || text[0] < '0' || text[0] > '9')
		return false;
	errno = 0;
	*out = strtoul(text, &end, 10);
	return errno == 0 && *end == '\0';
}

/* Reads one int socket option; -1 when it cannot be read. */
static int
socket_option(int fd, int name)
{
	int value = 0;
	socklen_t len = sizeof(value);

	if (getsockopt(fd, SOL_SOCKET, name, &value, &len) != 0)
		return -1;
	return value;
}

/* Checks that fd is what libmicrohttpd can serve: a listening TCP socket over IPv4 or IPv6. */
static int
check_listening(int fd, char *err, size_t errsize)
{
	int domain = socket_option(fd, SO_DOMAIN);

	if (domain < 0) {
		snprintf(err, errsize, "systemd socket: fd %d: %s", fd, strerror(errno));
		return -1;
	}
	if ((domain != AF_INET && domain != AF_INET6) ||
	    socket_option(fd, SO_TYPE) != SOCK_STREAM) {
		snprintf(err, errsize, "systemd socket: fd %d is not a TCP socket "
			 "(want ListenStream=PORT in the .socket unit)", fd);
		return -1;
	}
	if (socket_option(fd, SO_ACCEPTCONN) != 1) {
		snprintf(err, errsize, "systemd socket: fd %d is not listening "
			 "(want Accept=no in the .socket unit)", fd);
		return -1;
	}
	return 0;
}

int
listen_systemd(char *err, size_t errsize)
{
	unsigned long pid, count;

	if (!env_number("LISTEN_PID", &pid) || !env_number("LISTEN_FDS", &count) || count == 0) {
		snprintf(err, errsize, "--web.systemd-socket: no socket from systemd (LISTEN_PID "
			 "and LISTEN_FDS unset or empty: start it from its .socket unit)");
		return -1;
	}
	if (pid != (unsigned long)getpid()) {
		snprintf(err, errsize, "--web.systemd-socket: the sockets are for process %lu, "
			 "not this one (%ld)", pid, (long)getpid());
		return -1;
	}
	if (count != 1) {
		snprintf(err, errsize, "--web.systemd-socket: systemd passed %lu sockets; "
			 "idle-exporter serves one (one ListenStream= line)", count);
		return -1;
	}
	if (check_listening(LISTEN_SYSTEMD_FD, err, errsize) != 0)
		return -1;
	if (fcntl(LISTEN_SYSTEMD_FD, F_SETFD, FD_CLOEXEC) != 0) {
		snprintf(err, errsize, "systemd socket: fd %d: %s", LISTEN_SYSTEMD_FD,
			 strerror(errno));
		return -1;
	}
	/* As sd_listen_fds(1) does: the sockets are taken, nothing we start may take them. */
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	return LISTEN_SYSTEMD_FD;
}

int
listen_describe(int fd, char *out, size_t outsize)
{
	struct sockaddr_storage addr;
	socklen_t len = sizeof(addr);

	if (getsockname(fd, (struct sockaddr *)&addr, &len) != 0)
		return errno;
	return listen_format((struct sockaddr *)&addr, out, outsize);
}
