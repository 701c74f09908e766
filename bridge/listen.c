/* SPDX-License-Identifier: MIT */
/* Opening the listening socket ourselves, so a bad address or a busy port is one clear error. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
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
