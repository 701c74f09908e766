/* SPDX-License-Identifier: MIT */
/* The listening socket: opened here, so a bad address is one clear error, or taken from systemd. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <netdb.h>
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

int
listen_open(const char *host, unsigned short port, char *err, size_t errsize)
{
	struct addrinfo hints, *found;
	char service[8];
	int fd, rc;

	if (host[0] == '\0') {
		fd = listen_any(port);
		if (fd < 0)
			snprintf(err, errsize, "cannot listen on :%u: %s", port, strerror(errno));
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
	char host[NI_MAXHOST], port[NI_MAXSERV];
	int n;

	if (getsockname(fd, (struct sockaddr *)&addr, &len) != 0)
		return errno;
	if (getnameinfo((struct sockaddr *)&addr, len, host, sizeof(host), port, sizeof(port),
			NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		return EINVAL;
	n = snprintf(out, outsize, addr.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", host, port);
	return n < 0 || (size_t)n >= outsize ? ENOSPC : 0;
}
