/* SPDX-License-Identifier: MIT */
/* Fuzzes the /proc parsers: stat lines, status files, cmdlines into w's WHAT, children lists. */
#include <string.h>

#include "fuzz.h"
#include "idle_proc.h"
#include "idle_proc_children.h"
#include "idle_what.h"

/* Counts pids and checks their range. */
static int
count_pid(void *arg, pid_t pid)
{
	FUZZ_CHECK(pid > 0, "pid %d", (int)pid);
	(*(size_t *)arg)++;
	return 0;
}

/* The first input byte picks the size of w's word buffer; the rest goes to every parser. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idle_proc_pid_scan scan = {0};
	struct idle_proc_stat st;
	char word[IDLE_COMM_MAX + 200], comm[IDLE_COMM_MAX];
	size_t wsize, len, pids = 0, half;
	uid_t ruid, euid;
	bool dash;

	if (size < 1)
		return 0;
	wsize = 1 + data[0] % sizeof(word);
	data++, size--;
	if (idle_proc_parse_stat((const char *)data, size, &st) == 0)
		FUZZ_CHECK(memchr(st.comm, 0, sizeof(st.comm)) != NULL, "comm not terminated");
	(void)idle_proc_parse_uids((const char *)data, size, &ruid, &euid);

	len = size < sizeof(comm) - 1 ? size : sizeof(comm) - 1;
	memcpy(comm, data, len);
	comm[len] = '\0';
	memset(word, 'X', sizeof(word));
	len = idle_what_word((const char *)data, size, comm, word, wsize, &dash);
	FUZZ_CHECK(len < wsize && word[len] == '\0' && strlen(word) == len, "word %zu of %zu", len,
		   wsize);
	FUZZ_CHECK(memchr(word, ' ', len) == NULL, "a space in the first word");

	half = size / 2;
	(void)idle_proc_scan_pids(&scan, (const char *)data, half, count_pid, &pids);
	(void)idle_proc_scan_pids(&scan, (const char *)data + half, size - half, count_pid, &pids);
	(void)idle_proc_scan_end(&scan, count_pid, &pids);
	FUZZ_CHECK(pids <= size / 2 + 1, "%zu pids from %zu bytes", pids, size);
	return 0;
}
