/* SPDX-License-Identifier: MIT */
/* Fuzzes the cgroup path parser: /proc/PID/cgroup texts and single path components. */
#define _GNU_SOURCE
#include <string.h>

#include "fuzz.h"
#include "idle_cgroup.h"

/* What any parse that succeeded must give: 64 hex digits found in the input, a sane uid. */
static void
check_ids(const struct idle_cgroup_ids *ids, const uint8_t *data, size_t size)
{
	size_t i, ulen = strlen(ids->pod_uid);

	FUZZ_CHECK(strlen(ids->container_id) == IDLE_CONTAINER_ID_LEN, "id length");
	for (i = 0; i < IDLE_CONTAINER_ID_LEN; i++)
		FUZZ_CHECK(strchr("0123456789abcdef", ids->container_id[i]) != NULL, "id byte");
	FUZZ_CHECK(memmem(data, size, ids->container_id, IDLE_CONTAINER_ID_LEN) != NULL,
		   "id not in the input");
	FUZZ_CHECK(ulen == 0 || ulen == 32 || ulen == 36, "uid length %zu", ulen);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idle_cgroup_ids ids;
	char id[IDLE_CONTAINER_ID_LEN + 1], uid[IDLE_POD_UID_MAX];

	if (idle_cgroup_parse_file((const char *)data, size, &ids))
		check_ids(&ids, data, size);
	if (idle_cgroup_parse_path((const char *)data, size, &ids))
		check_ids(&ids, data, size);
	if (idle_cgroup_parse_container((const char *)data, size, id))
		FUZZ_CHECK(strlen(id) == IDLE_CONTAINER_ID_LEN, "component id");
	if (idle_cgroup_parse_pod((const char *)data, size, uid))
		FUZZ_CHECK(strlen(uid) == 32 || strlen(uid) == 36, "component uid");
	return 0;
}
