/* SPDX-License-Identifier: MIT */
/* One poll of every source into a snapshot, with the rolling average and error bookkeeping. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "idle_container_sampler.h"
#include "idle_kept_dir.h"
#include "idle_publisher.h"
#include "idle_subject_poll.h"
#include "idle_sampler.h"
#include "idle_sessions.h"
#include "idle_users.h"
#include "idle_window.h"

struct idle_sampler {
	char *pts_dir;
	struct idle_kept_dir pts; /* pts_dir, held between polls */
	char *dev_dir;
	char *utmp_file;
	char *proc_dir;
	bool sessions_enabled;
	bool terminals_enabled;
	idle_report_fn report;
	void *report_arg;
	struct idle_window *window;
	struct idle_sessions *sessions;
	struct idle_users *users;
	struct idle_container_sampler *containers; /* container mode only */
	int last_err[IDLE_SOURCE_COUNT]; /* to report a failure when it starts and when it clears */
	uint64_t errors[IDLE_SOURCE_COUNT];
};

void
idle_sampler_config_defaults(struct idle_sampler_config *config)
{
	memset(config, 0, sizeof(*config));
	config->pts_dir = IDLE_DEFAULT_PTS_DIR;
	config->dev_dir = IDLE_DEFAULT_DEV_DIR;
	config->utmp_file = IDLE_DEFAULT_UTMP_FILE;
	config->proc_dir = IDLE_DEFAULT_PROC_DIR;
	config->window = IDLE_DEFAULT_WINDOW;
	config->sessions = true;
	config->terminals = true;
}

/* Container mode's sampler; the host's own devpts instance is never taken for a container's. */
static struct idle_container_sampler *
containers_new(const struct idle_sampler_config *config)
{
	struct idle_containers_config cc = {
		.sysfs_dir = config->sysfs_dir ? config->sysfs_dir : IDLE_DEFAULT_SYS_DIR,
		.proc_dir = config->proc_dir,
		.log_dir = config->containers_log_dir,
	};
	struct stat st;

	if (stat(config->pts_dir, &st) == 0) {
		cc.skip_pts_dev = true;
		cc.pts_dev = st.st_dev;
	}
	return idle_container_sampler_new(&cc, config->window, config->terminals);
}

struct idle_sampler *
idle_sampler_new(const struct idle_sampler_config *config)
{
	struct idle_sessions_paths paths = {config->utmp_file, config->dev_dir, config->proc_dir};
	struct idle_sampler *sampler;
	int saved;

	if (config->pts_dir == NULL || config->dev_dir == NULL || config->utmp_file == NULL ||
	    config->proc_dir == NULL || config->window == 0) {
		errno = EINVAL;
		return NULL;
	}
	sampler = calloc(1, sizeof(*sampler));
	if (sampler == NULL)
		return NULL;
	idle_kept_dir_init(&sampler->pts);
	sampler->sessions_enabled = config->sessions;
	sampler->terminals_enabled = config->terminals;
	sampler->report = config->report;
	sampler->report_arg = config->report_arg;
	sampler->pts_dir = strdup(config->pts_dir);
	sampler->dev_dir = strdup(config->dev_dir);
	sampler->utmp_file = strdup(config->utmp_file);
	sampler->proc_dir = strdup(config->proc_dir);
	sampler->window = idle_window_new(config->window);
	sampler->users = idle_users_new();
	if (config->sessions)
		/* Its own cache: sessions are sampled on another thread than the terminals. */
		sampler->sessions = idle_sessions_new(&paths, NULL);
	if (config->containers)
		sampler->containers = containers_new(config);
	if (sampler->pts_dir == NULL || sampler->dev_dir == NULL || sampler->utmp_file == NULL ||
	    sampler->proc_dir == NULL || sampler->window == NULL || sampler->users == NULL ||
	    (config->sessions && sampler->sessions == NULL) ||
	    (config->containers && sampler->containers == NULL)) {
		saved = errno ? errno : ENOMEM;
		idle_sampler_free(sampler);
		errno = saved;
		return NULL;
	}
	return sampler;
}

void
idle_sampler_free(struct idle_sampler *sampler)
{
	if (sampler == NULL)
		return;
	idle_kept_dir_close(&sampler->pts);
	free(sampler->pts_dir);
	free(sampler->dev_dir);
	free(sampler->utmp_file);
	free(sampler->proc_dir);
	idle_window_free(sampler->window);
	idle_sessions_free(sampler->sessions);
	idle_users_free(sampler->users);
	idle_container_sampler_free(sampler->containers);
	free(sampler);
}

/* The host's terminals are named from the host's passwd database. */
static void
host_owner(void *arg, uid_t uid, const struct timespec *now, char *name, size_t size)
{
	idle_users_name(arg, uid, now, name, size);
}

/* Reads the host's pts directory into snap; returns 0 or the errno that left its values out. */
static int
poll_pts(struct idle_sampler *sampler, const struct timespec *now, struct idle_snapshot *snap)
{
	struct idle_subject_poll p = {snap, &snap->host, sampler->window, sampler->terminals_enabled,
				      host_owner, sampler->users, now};
	int fd = idle_kept_dir_get(&sampler->pts, sampler->pts_dir), err;

	if (fd < 0)
		return errno;
	err = idle_subject_poll_fd(&p, fd);
	if (err != 0 && err != ENOMEM)
		idle_kept_dir_close(&sampler->pts); /* a directory that failed a read is opened anew */
	return err;
}

/* Counts a failed source and reports it when its state changes. */
static void
account(struct idle_sampler *sampler, enum idle_source source, int err, const char *detail)
{
	if (err != 0)
		sampler->errors[source]++;
	if (err != sampler->last_err[source] && sampler->report != NULL)
		sampler->report(sampler->report_arg, source, err, detail);
	sampler->last_err[source] = err;
}

int
idle_sampler_poll(struct idle_sampler *sampler, const struct timespec *now,
		  struct idle_snapshot *snap)
{
	int pts_err;

	idle_snapshot_clear(snap);
	snap->taken = *now;
	pts_err = poll_pts(sampler, now, snap);
	account(sampler, IDLE_SOURCE_PTS, pts_err, sampler->pts_dir);
	snap->errors[IDLE_SOURCE_PTS] = sampler->errors[IDLE_SOURCE_PTS];
	if (sampler->containers != NULL) {
		snap->containers_enabled = true;
		account(sampler, IDLE_SOURCE_CONTAINERS,
			idle_container_sampler_poll(sampler->containers, now, snap), "containers");
		snap->errors[IDLE_SOURCE_CONTAINERS] = sampler->errors[IDLE_SOURCE_CONTAINERS];
	}
	return pts_err == ENOMEM ? ENOMEM : 0;
}

void
idle_sampler_sessions(struct idle_sampler *sampler, const struct timespec *now,
		      struct idle_session_values *out, uint64_t errors[IDLE_SOURCE_COUNT])
{
	int err[IDLE_SOURCE_COUNT] = {0};

	memset(out, 0, sizeof(*out));
	if (!sampler->sessions_enabled)
		return;
	idle_sessions_sample(sampler->sessions, now, out, err);
	account(sampler, IDLE_SOURCE_UTMP, err[IDLE_SOURCE_UTMP], sampler->utmp_file);
	account(sampler, IDLE_SOURCE_DEV, err[IDLE_SOURCE_DEV], sampler->dev_dir);
	account(sampler, IDLE_SOURCE_PROC, err[IDLE_SOURCE_PROC], sampler->proc_dir);
	errors[IDLE_SOURCE_UTMP] = sampler->errors[IDLE_SOURCE_UTMP];
	errors[IDLE_SOURCE_DEV] = sampler->errors[IDLE_SOURCE_DEV];
	errors[IDLE_SOURCE_PROC] = sampler->errors[IDLE_SOURCE_PROC];
}

static void
publish_poll(void *arg, const struct timespec *now, struct idle_snapshot *work)
{
	/* ENOMEM is counted as a pts error inside the snapshot: the rest is worth publishing. */
	(void)idle_sampler_poll(arg, now, work);
}

static void
publish_sessions(void *arg, const struct timespec *now, struct idle_session_values *out,
		 uint64_t errors[IDLE_SOURCE_COUNT])
{
	idle_sampler_sessions(arg, now, out, errors);
}

static void
release_sampler(void *arg)
{
	idle_sampler_free(arg);
}

void
idle_sampler_publisher_ops(struct idle_sampler *sampler, struct idle_publisher_ops *ops)
{
	memset(ops, 0, sizeof(*ops));
	ops->poll = publish_poll;
	ops->sessions = sampler->sessions_enabled ? publish_sessions : NULL;
	ops->release = release_sampler;
	ops->arg = sampler;
}
