# SPDX-License-Identifier: MIT
# common/: the sampling library, libc only, linked into both front ends and the tests.
noinst_LTLIBRARIES += common/libidle.la
common_libidle_la_SOURCES = \
	common/idle_array.c common/idle_array.h \
	common/idle_dirents.c common/idle_dirents.h \
	common/idle_buf.c common/idle_buf.h \
	common/idle_cgroup.c common/idle_cgroup.h \
	common/idle_container_sampler.c common/idle_container_sampler.h \
	common/idle_containers.c common/idle_containers.h \
	common/idle_containers_file.c common/idle_containers_file.h \
	common/idle_containers_proc.c common/idle_containers_proc.h \
	common/idle_containers_tree.c common/idle_containers_tree.h \
	common/idle_defaults.h \
	common/idle_expo.c common/idle_expo.h \
	common/idle_inroot.c common/idle_inroot.h \
	common/idle_kept_dir.c common/idle_kept_dir.h \
	common/idle_label.c common/idle_label.h \
	common/idle_metrics.c common/idle_metrics.h \
	common/idle_passwd.c common/idle_passwd.h \
	common/idle_podlog.c common/idle_podlog.h \
	common/idle_proc.c common/idle_proc.h \
	common/idle_proc_children.c common/idle_proc_children.h \
	common/idle_publisher.c common/idle_publisher.h \
	common/idle_pts.c common/idle_pts.h \
	common/idle_sampler.c common/idle_sampler.h \
	common/idle_sessions.c common/idle_sessions.h \
	common/idle_snapshot.c common/idle_snapshot.h \
	common/idle_subject_poll.c common/idle_subject_poll.h \
	common/idle_time.c common/idle_time.h \
	common/idle_users.c common/idle_users.h \
	common/idle_utmp.c common/idle_utmp.h \
	common/idle_what.c common/idle_what.h \
	common/idle_window.c common/idle_window.h
# libc and its threads only: the plugin must not load libm into collectd (300 KiB resident).
common_libidle_la_LIBADD = -lpthread
