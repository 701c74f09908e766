/* SPDX-License-Identifier: MIT */
/* Unit tests of the listening address's text: the same as inet_ntop's, which is not linked in. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check_run.h"
#include "listen.h"

/* Compares listen_format's text of the IPv6 address a (port 3003) with inet_ntop's. */
static bool
same_as_ntop6(const unsigned char *a)
{
	struct sockaddr_in6 sa;
	char host[INET6_ADDRSTRLEN], want[80], got[80];

	memset(&sa, 0, sizeof(sa));
	sa.sin6_family = AF_INET6;
	sa.sin6_port = htons(3003);
	memcpy(sa.sin6_addr.s6_addr, a, 16);
	ck_assert_ptr_nonnull(inet_ntop(AF_INET6, a, host, sizeof(host)));
	snprintf(want, sizeof(want), "[%s]:3003", host);
	ck_assert_int_eq(listen_format((struct sockaddr *)&sa, got, sizeof(got)), 0);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "got %s, inet_ntop %s\n", got, want);
	return strcmp(got, want) == 0;
}

/* Every pattern of zero and non-zero groups, with values small and large, and the mapped and
 * compatible IPv4 forms: inet_ntop's text each time. */
START_TEST(test_ipv6_as_inet_ntop)
{
	static const unsigned values[] = {1, 0xa, 0x10, 0xff, 0x100, 0xabc, 0x1000, 0xffff};
	unsigned char a[16];
	unsigned mask, g, v;
	size_t bad = 0;

	for (mask = 0; mask < 256; mask++) {
		for (v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
			for (g = 0; g < 8; g++) {
				unsigned value = mask & (1u << g) ? values[(v + g) % 8] : 0;

				a[2 * g] = (unsigned char)(value >> 8);
				a[2 * g + 1] = (unsigned char)value;
			}
			bad += !same_as_ntop6(a);
		}
	}
	memset(a, 0, sizeof(a));
	a[10] = a[11] = 0xff;
	a[12] = 192, a[13] = 0, a[14] = 2, a[15] = 1;
	bad += !same_as_ntop6(a);
	a[10] = a[11] = 0;
	bad += !same_as_ntop6(a);
	a[12] = a[13] = 0; /* ::2.1 is no IPv4-compatible address: ::201 */
	bad += !same_as_ntop6(a);
	ck_assert_uint_eq(bad, 0);
}
END_TEST

/* IPv4 with its port, an address family it does not know, and a buffer too small. */
START_TEST(test_ipv4_and_errors)
{
	struct sockaddr_in sa;
	struct sockaddr other;
	char out[32];

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(65535);
	ck_assert_int_eq(inet_pton(AF_INET, "10.200.0.255", &sa.sin_addr), 1);
	ck_assert_int_eq(listen_format((struct sockaddr *)&sa, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "10.200.0.255:65535");
	ck_assert_int_eq(listen_format((struct sockaddr *)&sa, out, 10), ENOSPC);
	memset(&other, 0, sizeof(other));
	other.sa_family = AF_UNIX;
	ck_assert_int_eq(listen_format(&other, out, sizeof(out)), EAFNOSUPPORT);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("listen");
	TCase *tc = tcase_create("listen");

	tcase_add_test(tc, test_ipv6_as_inet_ntop);
	tcase_add_test(tc, test_ipv4_and_errors);
	suite_add_tcase(s, tc);
	return check_run(s);
}
