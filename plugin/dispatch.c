/* SPDX-License-Identifier: MIT */
/* collectd's read callback body: copy the latest snapshot, map it, dispatch it. */
#include "collectd.h"

#include "plugin.h"
#include "utils/common/common.h"
#include "utils_complain.h"

#include "dispatch.h"
#include "map.h"

_Static_assert(MAP_NAME_MAX <= DATA_MAX_NAME_LEN, "identifier fields fit collectd's");

struct dispatcher {
	size_t max_terminals;
	struct idle_snapshot snap;
	uint64_t generation; /* of the publisher's values in snap */
	struct map_values vals;
	c_complain_t memory_complaint;
	c_complain_t dispatch_complaint;
	c_complain_t cap_complaint;
};

struct dispatcher *
dispatcher_new(size_t max_terminals)
{
	struct dispatcher *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	d->max_terminals = max_terminals;
	idle_snapshot_init(&d->snap);
	map_values_init(&d->vals);
	C_COMPLAIN_INIT(&d->memory_complaint);
	C_COMPLAIN_INIT(&d->dispatch_complaint);
	C_COMPLAIN_INIT(&d->cap_complaint);
	return d;
}

void
dispatcher_free(struct dispatcher *d)
{
	if (d == NULL)
		return;
	idle_snapshot_free(&d->snap);
	map_values_free(&d->vals);
	free(d);
}

/* Dispatches one value; returns plugin_dispatch_values' status. */
static int
dispatch_one(const struct map_value *v, cdtime_t interval)
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
	sstrncpy(vl.plugin, MAP_PLUGIN_NAME, sizeof(vl.plugin));
	sstrncpy(vl.plugin_instance, v->plugin_instance, sizeof(vl.plugin_instance));
	sstrncpy(vl.type, v->type, sizeof(vl.type));
	sstrncpy(vl.type_instance, v->type_instance, sizeof(vl.type_instance));
	return plugin_dispatch_values(&vl);
}

/* Says once, and again when it clears, that terminals past MaxTerminals are not dispatched. */
static void
note_cap(struct dispatcher *d)
{
	if (d->vals.terminals_left_out > 0)
		c_complain(LOG_NOTICE, &d->cap_complaint,
			   "idle plugin: %zu terminals past MaxTerminals %zu get no per-terminal "
			   "values (collectd's write_prometheus cannot keep up with many more)",
			   d->vals.terminals_left_out, d->max_terminals);
	else
		c_release(LOG_INFO, &d->cap_complaint,
			  "idle plugin: every terminal has its values again");
}

int
dispatcher_read(struct dispatcher *d, struct idle_publisher *pub)
{
	cdtime_t interval = plugin_get_interval();
	size_t i, failed = 0;
	int rc;

	/* Unchanged, snap still holds what the publisher calls current. */
	(void)idle_publisher_fetch(pub, &d->snap, &d->generation);
	rc = map_snapshot(&d->vals, &d->snap, d->max_terminals);
	if (rc != 0)
		c_complain(LOG_WARNING, &d->memory_complaint,
			   "idle plugin: out of memory: some values are left out of this read");
	else
		c_release(LOG_INFO, &d->memory_complaint,
			  "idle plugin: memory available again: all values dispatched");
	note_cap(d);
	for (i = 0; i < d->vals.len; i++)
		if (dispatch_one(&d->vals.v[i], interval) != 0)
			failed++;
	if (failed > 0)
		c_complain(LOG_WARNING, &d->dispatch_complaint,
			   "idle plugin: collectd refused %zu of %zu values", failed, d->vals.len);
	else
		c_release(LOG_INFO, &d->dispatch_complaint,
			  "idle plugin: collectd accepts every value again");
	return 0;
}
