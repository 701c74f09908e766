/* SPDX-License-Identifier: MIT */
/* collectd's read callback body: copy the latest snapshot, map it, dispatch it. */
#include "collectd.h"

#include "plugin.h"
#include "utils/common/common.h"
#include "utils_complain.h"

#include "idle_plugin_map.h"
#include "idle_plugin_read.h"

_Static_assert(IDLE_PLUGIN_NAME_MAX <= DATA_MAX_NAME_LEN, "identifier fields fit collectd's");

struct idle_plugin_reader {
	size_t max_terminals;
	struct idle_snapshot snap;
	uint64_t generation; /* of the publisher's values in snap */
	struct idle_plugin_values vals;
	c_complain_t memory_complaint;
	c_complain_t dispatch_complaint;
	c_complain_t cap_complaint;
};

struct idle_plugin_reader *
idle_plugin_reader_new(size_t max_terminals)
{
	struct idle_plugin_reader *reader = calloc(1, sizeof(*reader));

	if (reader == NULL)
		return NULL;
	reader->max_terminals = max_terminals;
	idle_snapshot_init(&reader->snap);
	idle_plugin_values_init(&reader->vals);
	C_COMPLAIN_INIT(&reader->memory_complaint);
	C_COMPLAIN_INIT(&reader->dispatch_complaint);
	C_COMPLAIN_INIT(&reader->cap_complaint);
	return reader;
}

void
idle_plugin_reader_free(struct idle_plugin_reader *reader)
{
	if (reader == NULL)
		return;
	idle_snapshot_free(&reader->snap);
	idle_plugin_values_free(&reader->vals);
	free(reader);
}

/* Dispatches one value; returns plugin_dispatch_values' status. */
static int
dispatch_one(const struct idle_plugin_value *v, cdtime_t interval)
{
	value_list_t vl = VALUE_LIST_INIT;
	value_t value;

	if (v->is_derive)
		value.derive = v->derive > INT64_MAX ? INT64_MAX : (derive_t)v->derive;
	else
		value.gauge = v->gauge;
	vl.values = &value;
	vl.values_len = 1;
	/* The real period of the value: with a shorter one write_prometheus would drop the series
	 * between reads, with a longer one it would keep a vanished series too long. */
	vl.interval = interval;
	sstrncpy(vl.plugin, IDLE_PLUGIN_NAME, sizeof(vl.plugin));
	sstrncpy(vl.plugin_instance, v->plugin_instance, sizeof(vl.plugin_instance));
	sstrncpy(vl.type, v->type, sizeof(vl.type));
	sstrncpy(vl.type_instance, v->type_instance, sizeof(vl.type_instance));
	return plugin_dispatch_values(&vl);
}

/* Says once, and again when it clears, that terminals past MaxTerminals are not dispatched. */
static void
note_cap(struct idle_plugin_reader *reader)
{
	if (reader->vals.terminals_left_out > 0)
		c_complain(LOG_NOTICE, &reader->cap_complaint,
			   "idle plugin: %zu terminals past MaxTerminals %zu get no per-terminal "
			   "values (collectd's write_prometheus cannot keep up with many more)",
			   reader->vals.terminals_left_out, reader->max_terminals);
	else
		c_release(LOG_INFO, &reader->cap_complaint,
			  "idle plugin: every terminal has its values again");
}

int
idle_plugin_reader_read(struct idle_plugin_reader *reader, struct idle_publisher *pub)
{
	cdtime_t interval = plugin_get_interval();
	size_t i, failed = 0;
	int rc;

	/* Unchanged, snap still holds what the publisher calls current. */
	(void)idle_publisher_fetch(pub, &reader->snap, &reader->generation);
	rc = idle_plugin_map(&reader->vals, &reader->snap, reader->max_terminals);
	if (rc != 0)
		c_complain(LOG_WARNING, &reader->memory_complaint,
			   "idle plugin: out of memory: some values are left out of this read");
	else
		c_release(LOG_INFO, &reader->memory_complaint,
			  "idle plugin: memory available again: all values dispatched");
	note_cap(reader);
	for (i = 0; i < reader->vals.len; i++)
		if (dispatch_one(&reader->vals.v[i], interval) != 0)
			failed++;
	if (failed > 0)
		c_complain(LOG_WARNING, &reader->dispatch_complaint,
			   "idle plugin: collectd refused %zu of %zu values", failed,
			   reader->vals.len);
	else
		c_release(LOG_INFO, &reader->dispatch_complaint,
			  "idle plugin: collectd accepts every value again");
	return 0;
}
