/* SPDX-License-Identifier: MIT */
/* The collectd read plugin "idle" (LoadPlugin idle): registration and lifecycle. */
#include "collectd.h"

#include <stdatomic.h>

#include "plugin.h"
#include "utils/common/common.h"

#include "dispatch.h"
#include "idle_publisher.h"
#include "options.h"

#ifndef IDLE_PLUGIN_VERSION
#error "IDLE_PLUGIN_VERSION must be defined (collectd's config.h owns PACKAGE_VERSION)"
#endif

/*
 * collectd 5.12 gives config callbacks no user_data, so the parsed <Plugin idle> block waits
 * here until init; everything that runs lives in the read callback's user_data from then on,
 * which collectd frees (stopping the threads) before it calls shutdown callbacks.
 */
static struct options options;
static int config_blocks;
static bool config_failed;
/* Cleared before the threads are stopped: one left behind in a stuck read may return after
 * collectd has torn its logging down, and must then log nothing. */
static atomic_bool reporting;

/* What runs between init and shutdown. */
struct plugin_state {
	struct idle_publisher *publisher;
	struct dispatcher *dispatcher;
};

void module_register(void);

/* Logs a source failing and recovering, once each (the sampler calls it on a state change). */
static void
report_source(void *arg, enum idle_source source, int err, const char *detail)
{
	char buf[256];

	(void)arg;
	if (!atomic_load(&reporting))
		return;
	if (err != 0)
		WARNING("idle plugin: cannot read the %s source %s: %s; its values are left out "
			"until it recovers",
			idle_source_name(source), detail, sstrerror(err, buf, sizeof(buf)));
	else
		INFO("idle plugin: the %s source %s is readable again", idle_source_name(source),
		     detail);
}

/*
 * Applies the <Plugin idle> block.  A bad key is reported here but fails in init: a non-zero
 * return would make collectd 5.12 refuse its whole configuration and exit, while a failing init
 * unloads this plugin alone and collectd keeps running the others.  The plugin samples one
 * host, so a second block is an error rather than silently merged.
 */
static int
idle_config(oconfig_item_t *ci)
{
	char err[256] = "";
	int rc;

	if (++config_blocks > 1 && !config_failed) {
		ERROR("idle plugin: <Plugin idle>: a second block: put every key in one block");
		config_failed = true;
	}
	if (config_failed)
		return 0;
	rc = options_apply(&options, ci, err, sizeof(err));
	if (rc == ENOMEM)
		ERROR("idle plugin: out of memory reading the <Plugin idle> block");
	else if (rc != 0)
		ERROR("idle plugin: <Plugin idle>: %s", err);
	if (rc != 0)
		config_failed = true;
	return 0;
}

/* The read callback: dispatches the latest values, never waiting on IO. */
static int
idle_read(user_data_t *ud)
{
	struct plugin_state *state = ud->data;

	return dispatcher_read(state->dispatcher, state->publisher);
}

/* Stops the threads and frees the state; collectd calls it when it drops the read callback. */
static void
state_free(void *arg)
{
	struct plugin_state *state = arg;

	if (state == NULL)
		return;
	atomic_store(&reporting, false);
	idle_publisher_free(state->publisher);
	dispatcher_free(state->dispatcher);
	free(state);
}

/* collectd names and starts the plugin's threads (they then show in its thread list). */
static int
thread_create(pthread_t *thread, void *(*fn)(void *), void *arg, const char *name)
{
	return plugin_thread_create(thread, fn, arg, name);
}

/* Makes the sampler, the publisher over it and the reader; NULL after logging why. */
static struct plugin_state *
state_new(void)
{
	struct idle_sampler_config sc;
	struct idle_publisher_ops ops;
	struct idle_sampler *sampler;
	struct plugin_state *state;
	char buf[256];

	options_sampler(&options, &sc);
	atomic_store(&reporting, true);
	sc.report = report_source;
	if ((state = calloc(1, sizeof(*state))) == NULL ||
	    (sampler = idle_sampler_new(&sc)) == NULL) {
		ERROR("idle plugin: cannot start: %s", sstrerror(errno, buf, sizeof(buf)));
		free(state);
		return NULL;
	}
	idle_sampler_publisher_ops(sampler, &ops);
	ops.thread_create = thread_create;
	state->publisher = idle_publisher_new(&ops, options.poll_seconds);
	state->dispatcher = dispatcher_new(options.report_terminals ? options.max_terminals : 0);
	if (state->publisher == NULL || state->dispatcher == NULL ||
	    (errno = idle_publisher_start(state->publisher)) != 0) {
		ERROR("idle plugin: cannot start the polling threads: %s",
		      sstrerror(errno ? errno : ENOMEM, buf, sizeof(buf)));
		state_free(state);
		return NULL;
	}
	return state;
}

/* Starts polling unless the configuration was bad; a failure unloads this plugin only. */
static int
idle_init(void)
{
	static bool started;
	struct plugin_state *state;

	if (started)
		return 0;
	if (config_failed) {
		ERROR("idle plugin: not started because of the configuration error above");
		return -1;
	}
	if ((state = state_new()) == NULL)
		return -1;
	/* From here collectd owns the state, even if the call fails. */
	if (plugin_register_complex_read(NULL, "idle", idle_read, 0,
					 &(user_data_t){.data = state, .free_func = state_free}) !=
	    0) {
		ERROR("idle plugin: cannot register the read callback");
		return -1;
	}
	started = true;
	INFO("idle plugin %s: polling %s, %s, %s and %s every %g s, averaging %zu polls%s",
	     IDLE_PLUGIN_VERSION, options.pts_dir, options.utmp_file, options.dev_dir,
	     options.proc_dir, options.poll_seconds, options.window,
	     options.report_terminals ? ", reporting each terminal" : "");
	return 0;
}

/* collectd has freed the read callback's state by now: only the parsed block is left. */
static int
idle_shutdown(void)
{
	options_free(&options);
	return 0;
}

void
module_register(void)
{
	if (options_init(&options) != 0) {
		ERROR("idle plugin: out of memory");
		config_failed = true;
	}
	plugin_register_complex_config("idle", idle_config);
	plugin_register_init("idle", idle_init);
	plugin_register_shutdown("idle", idle_shutdown);
}
