/* SPDX-License-Identifier: MIT */
/* The metrics page: rendered at most once per poll per variant, then reused for every scrape. */
#ifndef IDLE_PAGE_H
#define IDLE_PAGE_H

#include <stdbool.h>
#include <stdint.h>
#include <microhttpd.h>

#include "idle_expo.h"
#include "idle_snapshot.h"
#include "idle_publisher.h"
#include "procstat.h"

/* What a scrape asked for: format and compression. */
struct page_variant {
	enum idle_expo_format format;
	bool gzip;
};

#define PAGE_VARIANTS 4
/* Bytes of text a page is kept whole up to, and the size of a streamed page's parts. */
#define PAGE_PART (64 * 1024)

/* A snapshot with the process stats of its generation, shared by the page and its streams. */
struct page_shot;

/* Owned by the HTTP thread alone: libmicrohttpd calls handlers from one polling thread. */
struct page {
	struct idle_publisher *publisher;
	struct procstat procstat;
	const char *version;
	struct page_shot *shot; /* the latest fetched; a stream keeps the one it renders */
	uint64_t generation;
	struct MHD_Response *responses[PAGE_VARIANTS]; /* NULL: not rendered for this generation */
	size_t text_len[PAGE_VARIANTS]; /* bytes of each variant's last text, to reserve at once */
	const char *const *extra_headers; /* name, value pairs ending in NULL; may be NULL */
};

/* Prepares an empty page over publisher.  Returns 0 or an errno. */
int page_init(struct page *page, struct idle_publisher *publisher, const char *version);

/*
 * Returns the response for the latest snapshot in the variant asked for, rendering it first when
 * the publisher has published since (or its freshness changed); NULL when memory ran out (the
 * next call tries again).  A page of up to PAGE_PART bytes is rendered once per snapshot and
 * kept (*caller_owns false: queue it, never destroy it); a larger one is streamed, written part
 * by part as the client reads, so that its memory is a part's, not the page's (*caller_owns
 * true: destroy it once queued).
 */
struct MHD_Response *page_current(struct page *page, struct page_variant variant,
				  bool *caller_owns);

/*
 * Fetches the publisher's latest snapshot when it has published since (dropping the responses of
 * the older one) and returns it; the page keeps ownership and the next call may change it.
 * NULL when memory ran out.
 */
const struct idle_snapshot *page_snapshot(struct page *page);

/* Drops the responses (connections still sending one keep their reference) and the snapshot. */
void page_destroy(struct page *page);

#endif
