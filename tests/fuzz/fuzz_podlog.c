/* SPDX-License-Identifier: MIT */
/* Fuzzes kubelet's log-dir name parser: a name that parses must be rebuilt from its parts. */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "idle_podlog.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idle_podlog_names names;
	char id[IDLE_CONTAINER_ID_LEN + 1], rebuilt[512];
	struct fuzz_input in = {data, size};
	char *name = fuzz_string(&in, 400);
	int n;

	if (idle_podlog_parse(name, id, &names)) {
		n = snprintf(rebuilt, sizeof(rebuilt), "%s_%s_%s-%s.log", names.pod,
			     names.namespace_name, names.container, id);
		FUZZ_CHECK(n > 0 && (size_t)n < sizeof(rebuilt), "rebuilt length %d", n);
		FUZZ_CHECK(strcmp(rebuilt, name) == 0, "rebuilt '%s'", rebuilt);
		FUZZ_CHECK(strchr(names.pod, '_') == NULL && strchr(names.container, '.') == NULL,
			   "name syntax");
	}
	free(name);
	return 0;
}
