/* The metrics page: rendered at most once per poll, then the same response serves every scrape. */
#ifndef IDLE_PAGE_H
#define IDLE_PAGE_H

#include <stdint.h>
#include <microhttpd.h>

#include "idle_buf.h"
#include "idle_snapshot.h"
#include "poller.h"
#include "procstat.h"

/* Owned by the HTTP thread alone: libmicrohttpd calls handlers from one polling thread. */
struct page {
	struct poller *poller;
	struct procstat_fixed procstat;
	const char *version;
	struct idle_snapshot snapshot; /* the copy the page was rendered from */
	uint64_t generation;
	struct MHD_Response *response;  /* NULL until the first scrape */
};

/* Prepares an empty page over poller.  Returns 0 or an errno. */
int page_init(struct page *page, struct poller *poller, const char *version);

/*
 * Returns the response for the latest snapshot, rendering it first when the poller has published
 * since; NULL when memory ran out (the next call tries again).  The page keeps ownership: queue it, never destroy it.
 */
struct MHD_Response *page_current(struct page *page);

/* Drops the response (connections still sending it keep their reference) and the snapshot. */
void page_destroy(struct page *page);

#endif
