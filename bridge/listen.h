/* SPDX-License-Identifier: MIT */
/* The listening socket: opened here, so a bad address is one clear error, or taken from systemd. */
#ifndef IDLE_LISTEN_H
#define IDLE_LISTEN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* The first socket systemd passes (SD_LISTEN_FDS_START). */
#define LISTEN_SYSTEMD_FD 3

/*
 * Returns a listening TCP socket on host:port ("" = every address, IPv6 and IPv4 when the host
 * has IPv6), or -1 after writing the reason into err.
 */
int listen_open(const char *host, unsigned short port, char *err, size_t errsize);

/*
 * Takes the one listening socket systemd's socket activation passed (LISTEN_PID is this process,
 * LISTEN_FDS is 1: fd 3, which must be a listening TCP socket) and unsets those variables.
 * Returns the socket, or -1 after writing the reason into err.
 */
int listen_systemd(char *err, size_t errsize);

/*
 * Writes the address fd listens on ("127.0.0.1:3003", "[::]:41234": the port the kernel chose
 * for :0) into out.  Returns 0 or an errno.
 */
int listen_describe(int fd, char *out, size_t outsize);

/* Writes addr (IPv4 or IPv6) with its port as listen_describe does, the address as inet_ntop
 * writes it.  Returns 0, ENOSPC or EAFNOSUPPORT. */
int listen_format(const struct sockaddr *addr, char *out, size_t outsize);

#endif
