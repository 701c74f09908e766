/* SPDX-License-Identifier: MIT */
/* The <Plugin idle> block: keys, defaults and validation, on collectd's parsed config tree. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "idle_defaults.h"
#include "options.h"

int
options_init(struct options *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->pts_dir = strdup(IDLE_DEFAULT_PTS_DIR);
	cfg->dev_dir = strdup(IDLE_DEFAULT_DEV_DIR);
	cfg->utmp_file = strdup(IDLE_DEFAULT_UTMP_FILE);
	cfg->proc_dir = strdup(IDLE_DEFAULT_PROC_DIR);
	cfg->window = IDLE_DEFAULT_WINDOW;
	cfg->poll_seconds = IDLE_DEFAULT_POLL_SECONDS;
	cfg->report_terminals = false;
	cfg->max_terminals = OPTIONS_MAX_TERMINALS_DEFAULT;
	if (cfg->pts_dir == NULL || cfg->dev_dir == NULL || cfg->utmp_file == NULL ||
	    cfg->proc_dir == NULL)
		return ENOMEM;
	return 0;
}

void
options_free(struct options *cfg)
{
	free(cfg->pts_dir);
	free(cfg->dev_dir);
	free(cfg->utmp_file);
	free(cfg->proc_dir);
	cfg->pts_dir = cfg->dev_dir = cfg->utmp_file = cfg->proc_dir = NULL;
}

/* Writes a message into err and returns EINVAL. */
__attribute__((format(printf, 3, 4))) static int
fail(char *err, size_t err_size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, err_size, fmt, ap); /* a cut message is still a message */
	va_end(ap);
	return EINVAL;
}

/* True when item has exactly one value and no block; else writes why into err. */
static bool
one_value(const oconfig_item_t *item, char *err, size_t err_size)
{
	if (item->values_num == 1 && item->children_num == 0)
		return true;
	fail(err, err_size, "\"%s\" takes exactly one value", item->key);
	return false;
}

/* A non-empty string without NUL tricks: collectd's parser already ends it at the first NUL. */
static int
set_path(char **field, const oconfig_item_t *item, char *err, size_t err_size)
{
	char *copy;

	if (!one_value(item, err, err_size))
		return EINVAL;
	if (item->values[0].type != OCONFIG_TYPE_STRING || item->values[0].value.string[0] == '\0')
		return fail(err, err_size, "\"%s\" needs a non-empty quoted path", item->key);
	copy = strdup(item->values[0].value.string);
	if (copy == NULL)
		return ENOMEM;
	free(*field);
	*field = copy;
	return 0;
}

/* A whole number of what from 1 to max. */
static int
set_count(size_t *field, const oconfig_item_t *item, const char *what, double max, char *err,
	  size_t err_size)
{
	double n;

	if (!one_value(item, err, err_size))
		return EINVAL;
	n = item->values[0].value.number;
	/* Within the bounds, a cast truncates exactly: no libm for a whole-number test. */
	if (item->values[0].type != OCONFIG_TYPE_NUMBER || !(n >= 1 && n <= max) ||
	    n != (double)(size_t)n)
		return fail(err, err_size, "\"%s\" needs a whole number of %s from 1 to %g",
			    item->key, what, max);
	*field = (size_t)n;
	return 0;
}

/* Seconds between polls, from IDLE_POLL_SECONDS_MIN to IDLE_POLL_SECONDS_MAX. */
static int
set_poll(double *field, const oconfig_item_t *item, char *err, size_t err_size)
{
	double n;

	if (!one_value(item, err, err_size))
		return EINVAL;
	n = item->values[0].value.number;
	if (item->values[0].type != OCONFIG_TYPE_NUMBER ||
	    !(n >= IDLE_POLL_SECONDS_MIN && n <= IDLE_POLL_SECONDS_MAX))
		return fail(err, err_size, "\"%s\" needs a number of seconds from %g to %g",
			    item->key, IDLE_POLL_SECONDS_MIN, IDLE_POLL_SECONDS_MAX);
	*field = n;
	return 0;
}

/* true or false; the quoted forms collectd's own cf_util_get_boolean takes are accepted too. */
static int
set_bool(bool *field, const oconfig_item_t *item, char *err, size_t err_size)
{
	static const char *const yes[] = {"true", "yes", "on"};
	static const char *const no[] = {"false", "no", "off"};
	const oconfig_value_t *v;
	size_t i;

	if (!one_value(item, err, err_size))
		return EINVAL;
	v = &item->values[0];
	if (v->type == OCONFIG_TYPE_BOOLEAN) {
		*field = v->value.boolean != 0;
		return 0;
	}
	for (i = 0; v->type == OCONFIG_TYPE_STRING && i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(v->value.string, yes[i]) == 0 ||
		    strcasecmp(v->value.string, no[i]) == 0) {
			*field = strcasecmp(v->value.string, yes[i]) == 0;
			return 0;
		}
	}
	return fail(err, err_size, "\"%s\" needs true or false", item->key);
}

/* Applies one key = value line; keys are case-insensitive, as everywhere in collectd. */
static int
apply_item(struct options *cfg, const oconfig_item_t *item, char *err, size_t err_size)
{
	const char *key = item->key;

	if (strcasecmp(key, "PtsDir") == 0)
		return set_path(&cfg->pts_dir, item, err, err_size);
	if (strcasecmp(key, "DevDir") == 0)
		return set_path(&cfg->dev_dir, item, err, err_size);
	if (strcasecmp(key, "UtmpFile") == 0)
		return set_path(&cfg->utmp_file, item, err, err_size);
	if (strcasecmp(key, "ProcDir") == 0)
		return set_path(&cfg->proc_dir, item, err, err_size);
	if (strcasecmp(key, "AverageWindow") == 0)
		return set_count(&cfg->window, item, "polls", IDLE_WINDOW_MAX, err, err_size);
	if (strcasecmp(key, "PollInterval") == 0)
		return set_poll(&cfg->poll_seconds, item, err, err_size);
	if (strcasecmp(key, "ReportTerminals") == 0)
		return set_bool(&cfg->report_terminals, item, err, err_size);
	if (strcasecmp(key, "MaxTerminals") == 0)
		return set_count(&cfg->max_terminals, item, "terminals", OPTIONS_MAX_TERMINALS_MAX,
				 err, err_size);
	return fail(err, err_size,
		    "unknown key \"%s\" (known: PtsDir, DevDir, UtmpFile, ProcDir, AverageWindow, "
		    "PollInterval, ReportTerminals, MaxTerminals)",
		    key);
}

int
options_apply(struct options *cfg, const oconfig_item_t *block, char *err, size_t err_size)
{
	int i, rc;

	for (i = 0; i < block->children_num; i++) {
		rc = apply_item(cfg, &block->children[i], err, err_size);
		if (rc != 0)
			return rc;
	}
	return 0;
}

void
options_sampler(const struct options *cfg, struct idle_sampler_config *sampler)
{
	idle_sampler_config_defaults(sampler);
	sampler->pts_dir = cfg->pts_dir;
	sampler->dev_dir = cfg->dev_dir;
	sampler->utmp_file = cfg->utmp_file;
	sampler->proc_dir = cfg->proc_dir;
	sampler->window = cfg->window;
	sampler->sessions = true;
	sampler->terminals = cfg->report_terminals;
}
