/* SPDX-License-Identifier: MIT */
/* Opening the listening socket ourselves, so a bad address or a busy port is one clear error. */
#ifndef IDLE_LISTEN_H
#define IDLE_LISTEN_H

#include <stddef.h>

/*
 * Returns a listening TCP socket on host:port ("" = every address, IPv6 and IPv4 when the host
 * has IPv6), or -1 after writing the reason into err.
 */
int listen_open(const char *host, unsigned short port, char *err, size_t errsize);

#endif
