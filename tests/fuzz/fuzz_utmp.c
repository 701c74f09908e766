/* SPDX-License-Identifier: MIT */
/* Fuzzes the utmp parser: any bytes, any length, as a utmp file's contents. */
#include <string.h>

#include "fuzz.h"
#include "idle_utmp.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idle_utmp_list list = {0};
	struct idle_utmp_record rec;
	size_t i;
	int rc;

	rc = idle_utmp_parse_logins(data, size, &list);
	FUZZ_CHECK(rc == 0 || rc == 12 /* ENOMEM */ || rc == 27 /* EFBIG */ ||
		   rc == 22 /* EINVAL: cut inside a record */,
		   "rc %d", rc);
	FUZZ_CHECK(list.len <= size / IDLE_UTMP_RECORD_SIZE, "%zu logins", list.len);
	for (i = 0; i < list.len; i++) {
		FUZZ_CHECK(list.records[i].type == IDLE_UTMP_USER_PROCESS, "type %d",
			   list.records[i].type);
		FUZZ_CHECK(memchr(list.records[i].line, 0, sizeof(list.records[i].line)) != NULL,
			   "line not terminated");
		FUZZ_CHECK(memchr(list.records[i].user, 0, sizeof(list.records[i].user)) != NULL &&
				   list.records[i].user[0] != '\0',
			   "user empty or not terminated");
	}
	/* Any alignment: parse each whole record at an odd offset too. */
	for (i = 1; i + IDLE_UTMP_RECORD_SIZE <= size; i += IDLE_UTMP_RECORD_SIZE) {
		idle_utmp_parse(data + i, &rec);
		FUZZ_CHECK(memchr(rec.line, 0, sizeof(rec.line)) != NULL, "line not terminated");
	}
	idle_utmp_list_free(&list);
	return 0;
}
