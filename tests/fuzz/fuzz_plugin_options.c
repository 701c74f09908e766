/* SPDX-License-Identifier: MIT */
/*
 * Fuzzes the <Plugin idle> block: a config tree built from the input, as collectd's parser
 * would hand it over (keys of any bytes, any number of values of each type, nested blocks).
 */
#include <string.h>

#include "fuzz.h"
#include "options.h"

static const char *const keys[] = {"PtsDir", "DevDir", "UtmpFile", "ProcDir", "AverageWindow",
				   "PollInterval", "ReportTerminals", "ptsdir", "Unknown"};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))
#define MAX_ITEMS 12
#define MAX_VALUES 4

/* Fills item from the input; depth limits nesting.  Frees with free_item. */
static void
make_item(struct fuzz_input *in, oconfig_item_t *item, int depth)
{
	uint8_t k = fuzz_byte(in), n, t;
	int i;

	memset(item, 0, sizeof(*item));
	item->key = k < NKEYS * 24 ? strdup(keys[k % NKEYS]) : fuzz_string(in, 64);
	n = fuzz_byte(in) % (MAX_VALUES + 1);
	item->values = calloc(n ? n : 1, sizeof(*item->values));
	if (item->key == NULL || item->values == NULL)
		abort();
	item->values_num = n;
	for (i = 0; i < n; i++) {
		t = fuzz_byte(in) % 3;
		item->values[i].type = t;
		if (t == OCONFIG_TYPE_STRING) {
			item->values[i].value.string = fuzz_string(in, 300);
		} else if (t == OCONFIG_TYPE_NUMBER) {
			double d = 0;
			size_t m = in->size < sizeof(d) ? in->size : sizeof(d);

			memcpy(&d, in->data, m);
			in->data += m, in->size -= m;
			item->values[i].value.number = d;
		} else {
			item->values[i].value.boolean = fuzz_byte(in) & 1;
		}
	}
	if (depth < 2 && (fuzz_byte(in) & 7) == 0) {
		item->children_num = 1;
		item->children = calloc(1, sizeof(*item->children));
		if (item->children == NULL)
			abort();
		make_item(in, item->children, depth + 1);
		item->children->parent = item;
	}
}

static void
free_item(oconfig_item_t *item)
{
	int i;

	for (i = 0; i < item->values_num; i++)
		if (item->values[i].type == OCONFIG_TYPE_STRING)
			free(item->values[i].value.string);
	free(item->values);
	for (i = 0; i < item->children_num; i++)
		free_item(&item->children[i]);
	free(item->children);
	free(item->key);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = {data, size};
	struct options cfg;
	struct idle_sampler_config sampler;
	oconfig_item_t block, items[MAX_ITEMS];
	char err[256];
	int i, n = fuzz_byte(&in) % (MAX_ITEMS + 1), rc;

	memset(&block, 0, sizeof(block));
	block.key = (char *)"Plugin";
	for (i = 0; i < n; i++) {
		make_item(&in, &items[i], 0);
		items[i].parent = &block;
	}
	block.children = items;
	block.children_num = n;
	if (options_init(&cfg) != 0)
		abort();
	err[0] = '\0';
	rc = options_apply(&cfg, &block, err, sizeof(err));
	FUZZ_CHECK(rc == 0 || rc == 22 /* EINVAL */ || rc == 12 /* ENOMEM */, "rc %d", rc);
	FUZZ_CHECK(rc != 22 || (err[0] != '\0' && memchr(err, '\0', sizeof(err)) != NULL),
		   "no message for a bad key");
	FUZZ_CHECK(cfg.pts_dir && cfg.dev_dir && cfg.utmp_file && cfg.proc_dir, "a NULL path");
	FUZZ_CHECK(cfg.window >= 1 && cfg.window <= IDLE_WINDOW_MAX, "window %zu",
		   cfg.window);
	FUZZ_CHECK(cfg.poll_seconds >= IDLE_POLL_SECONDS_MIN &&
			   cfg.poll_seconds <= IDLE_POLL_SECONDS_MAX,
		   "poll %g", cfg.poll_seconds);
	options_sampler(&cfg, &sampler);
	options_free(&cfg);
	for (i = 0; i < n; i++)
		free_item(&items[i]);
	return 0;
}
