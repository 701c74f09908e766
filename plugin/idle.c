/* SPDX-License-Identifier: MIT */
/* The collectd read plugin "idle" (LoadPlugin idle): registration and lifecycle. */
#include "collectd.h"

#include "plugin.h"
#include "utils/common/common.h"

#include "idle_plugin_config.h"
#include "idle_plugin_poller.h"
#include "idle_plugin_read.h"

#ifndef IDLE_PLUGIN_VERSION
#error "IDLE_PLUGIN_VERSION must be defined (collectd's config.h owns PACKAGE_VERSION)"
#endif

/* collectd calls config, init and shutdown from its main thread, one after another. */
static struct idle_plugin_config config;
static bool config_failed;
static struct idle_sampler *sampler;
static struct idle_plugin_poller *poller;

void module_register(void);

/* Logs a source failing and recovering, once each (the sampler calls it on a state change). */
static void
report_source(void *arg, enum idle_source source, int err, const char *detail)
{
	char buf[256];

	(void)arg;
	if (err != 0)
		WARNING("idle plugin: cannot read the %s source %s: %s; its values are left out "
			"until it recovers",
			idle_source_name(source), detail, sstrerror(err, buf, sizeof(buf)));
	else
		INFO("idle plugin: the %s source %s is readable again", idle_source_name(source),
		     detail);
}

/*
 * Applies a <Plugin idle> block.  A bad key is reported here but fails in init: a non-zero
 * return would make collectd 5.12 refuse its whole configuration and exit, while a failing init
 * unloads this plugin alone and collectd keeps running the others.
 */
static int
idle_config(oconfig_item_t *ci)
{
	char err[256] = "";
	int rc;

	if (config_failed)
		return 0;
	rc = idle_plugin_config_apply(&config, ci, err, sizeof(err));
	if (rc == ENOMEM)
		ERROR("idle plugin: out of memory reading the <Plugin idle> block");
	else if (rc != 0)
		ERROR("idle plugin: <Plugin idle>: %s", err);
	if (rc != 0)
		config_failed = true;
	return 0;
}

/* The read callback: dispatches the latest snapshot, never waiting on IO. */
static int
idle_read(user_data_t *ud)
{
	return idle_plugin_reader_read(ud->data, poller);
}

/* collectd frees the reader through this when it drops the read callback. */
static void
free_reader(void *reader)
{
	idle_plugin_reader_free(reader);
}

/* Stops the thread and frees what init made; safe to call more than once. */
static void
stop_all(void)
{
	idle_plugin_poller_stop(poller);
	poller = NULL;
	idle_sampler_free(sampler);
	sampler = NULL;
}

/* Starts the reader, then the polling thread, then registers the read callback. */
static int
start_all(void)
{
	struct idle_plugin_reader *reader;
	struct idle_sampler_config sc;
	char buf[256];

	idle_plugin_config_sampler(&config, &sc);
	sc.report = report_source;
	sampler = idle_sampler_new(&sc);
	reader = idle_plugin_reader_new(config.report_terminals);
	if (sampler == NULL || reader == NULL) {
		ERROR("idle plugin: cannot start: %s", sstrerror(errno, buf, sizeof(buf)));
		idle_plugin_reader_free(reader);
		stop_all();
		return -1;
	}
	poller = idle_plugin_poller_start(sampler, config.poll_seconds);
	if (poller == NULL) {
		ERROR("idle plugin: cannot start the polling thread: %s",
		      sstrerror(errno, buf, sizeof(buf)));
		idle_plugin_reader_free(reader);
		stop_all();
		return -1;
	}
	/* From here collectd owns the reader, even if the call fails. */
	if (plugin_register_complex_read(NULL, "idle", idle_read, 0,
					 &(user_data_t){.data = reader, .free_func = free_reader}) !=
	    0) {
		ERROR("idle plugin: cannot register the read callback");
		stop_all();
		return -1;
	}
	return 0;
}

/* Starts polling unless the configuration was bad; a failure unloads this plugin only. */
static int
idle_init(void)
{
	if (poller != NULL)
		return 0;
	if (config_failed) {
		ERROR("idle plugin: not started because of the configuration error above");
		return -1;
	}
	if (start_all() != 0)
		return -1;
	INFO("idle plugin %s: polling %s, %s, %s and %s every %g s, averaging %zu polls%s",
	     IDLE_PLUGIN_VERSION, config.pts_dir, config.utmp_file, config.dev_dir, config.proc_dir,
	     config.poll_seconds, config.window,
	     config.report_terminals ? ", reporting each terminal" : "");
	return 0;
}

/* Stops the thread and frees everything; collectd has stopped the reads by now. */
static int
idle_shutdown(void)
{
	stop_all();
	idle_plugin_config_free(&config);
	return 0;
}

void
module_register(void)
{
	if (idle_plugin_config_init(&config) != 0) {
		ERROR("idle plugin: out of memory");
		config_failed = true;
	}
	plugin_register_complex_config("idle", idle_config);
	plugin_register_init("idle", idle_init);
	plugin_register_shutdown("idle", idle_shutdown);
}
