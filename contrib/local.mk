# SPDX-License-Identifier: MIT
# contrib/: the files shipped for deployment, and `make image`, the exporter's OCI image built offline.

# `make image IMAGE=name:tag IMAGE_SOURCE=<repository URL>`; BUILDAH may add --root/--runroot.
IMAGE = localhost/idle-exporter:$(PACKAGE_VERSION)
IMAGE_SOURCE = $(PACKAGE_TARNAME)-$(PACKAGE_VERSION).tar.gz
BUILDAH = buildah
image: bridge/idle-exporter$(EXEEXT)
	BUILDAH='$(BUILDAH)' IMAGE_SOURCE='$(IMAGE_SOURCE)' $(SHELL) $(srcdir)/contrib/container/build-image.sh \
		bridge/idle-exporter$(EXEEXT) '$(PACKAGE_VERSION)' '$(IMAGE)'
.PHONY: image

EXTRA_DIST += .dockerignore contrib/container/Containerfile contrib/container/build-image.sh \
	contrib/kubernetes/daemonset.yaml contrib/kubernetes/service.yaml \
	contrib/kubernetes/podmonitor.yaml contrib/kubernetes/sidecar.yaml \
	contrib/kubernetes/prometheus-job.yml \
	contrib/kubernetes/idle-pod-queries.yml contrib/kubernetes/idle-pod-queries.test.yml
