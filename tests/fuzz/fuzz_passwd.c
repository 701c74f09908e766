/* SPDX-License-Identifier: MIT */
/* Fuzzes the passwd parser and table: every name found is a line's first field, fits, and holds
 * no control byte. */
#define _GNU_SOURCE
#include <string.h>

#include "fuzz.h"
#include "idle_passwd.h"

/* Checks the name the table gives for uid. */
static void
check_name(const struct idle_passwd *pw, uid_t uid, const uint8_t *data, size_t size)
{
	char name[33];
	size_t i, len;

	memset(name, 'X', sizeof(name));
	idle_passwd_name(pw, uid, name, sizeof(name));
	len = strnlen(name, sizeof(name));
	FUZZ_CHECK(len < sizeof(name), "name not terminated");
	for (i = 0; i < len; i++)
		FUZZ_CHECK((unsigned char)name[i] >= 0x20 && name[i] != 0x7f && name[i] != ':',
			   "byte %zu of the name", i);
	FUZZ_CHECK(len > 0, "empty name");
	FUZZ_CHECK(memmem(data, size, name, len) != NULL || (name[0] >= '0' && name[0] <= '9'),
		   "name '%s' not in the input", name);
}

/* The first four bytes pick a uid to look up; the rest is the file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idle_passwd *pw;
	char name[33];
	uid_t uid = 0, line_uid;
	size_t i;

	for (i = 0; i < 4 && i < size; i++)
		uid = uid << 8 | data[i];
	data += i, size -= i;
	if (idle_passwd_parse_line((const char *)data, size, &line_uid, name, sizeof(name)))
		FUZZ_CHECK(memcmp(data, name, strlen(name)) == 0 && data[strlen(name)] == ':',
			   "name is not the first field");
	pw = idle_passwd_new();
	if (pw == NULL)
		abort();
	if (idle_passwd_load(pw, (const char *)data, size) == 0) {
		check_name(pw, uid, data, size);
		check_name(pw, 0, data, size);
	}
	idle_passwd_free(pw);
	return 0;
}
