# SPDX-License-Identifier: MIT
# doc/: manual pages, installed by make install and linted by the test suite.
dist_man_MANS = doc/idle-exporter.1 doc/collectd-idle.5
