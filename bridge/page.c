/* SPDX-License-Identifier: MIT */
/* The metrics page: rendered at most once per poll per variant, then reused for every scrape. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "page.h"

#define CONTENT_TYPE_TEXT "text/plain; version=0.0.4; charset=utf-8"
#define CONTENT_TYPE_OPENMETRICS "application/openmetrics-text; version=1.0.0; charset=utf-8"

int
page_init(struct page *page, struct idle_publisher *publisher, const char *version)
{
	memset(page, 0, sizeof(*page));
	page->publisher = publisher;
	page->version = version;
	idle_snapshot_init(&page->snapshot);
	return procstat_init(&page->procstat);
}

/* Frees a rendered body once libmicrohttpd no longer needs it. */
static void
free_body(void *cls)
{
	free(cls);
}

/* Compresses text into a new gzip member; returns 0 and the buffer in *out, or an errno. */
static int
gzip_body(const struct idle_buf *text, struct idle_buf *out)
{
	z_stream z;
	uLong bound;
	int rc;

	memset(&z, 0, sizeof(z));
	/*
	 * + 16: a gzip header and trailer, as Accept-Encoding: gzip wants.  A 4 KiB window and
	 * memory level 5 take about 40 KiB where zlib's defaults take 256 KiB, which malloc then
	 * keeps resident; a page's lines repeat within a few hundred bytes, so it packs as well.
	 */
	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 12 + 16, 5, Z_DEFAULT_STRATEGY) !=
	    Z_OK)
		return ENOMEM;
	/* deflateBound covers the zlib wrapper; the gzip one is 18 bytes against its 6. */
	bound = deflateBound(&z, (uLong)text->len) + 32;
	idle_buf_init(out);
	out->data = malloc(bound);
	out->cap = bound;
	if (out->data == NULL) {
		deflateEnd(&z);
		return ENOMEM;
	}
	z.next_in = (Bytef *)text->data;
	z.avail_in = (uInt)text->len;
	z.next_out = (Bytef *)out->data;
	z.avail_out = (uInt)out->cap;
	rc = deflate(&z, Z_FINISH);
	out->len = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		idle_buf_free(out);
		return EIO;
	}
	return 0;
}

/* Wraps body in a response with the variant's headers; takes the body.  NULL on failure. */
static struct MHD_Response *
wrap(struct page *page, struct idle_buf *body, struct page_variant variant)
{
	struct MHD_Response *r;
	const char *const *h;
	bool ok;

	r = MHD_create_response_from_buffer_with_free_callback_cls(body->len, body->data, free_body,
								   body->data);
	if (r == NULL) {
		idle_buf_free(body);
		return NULL;
	}
	ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				     variant.format == IDLE_EXPO_OPENMETRICS
					     ? CONTENT_TYPE_OPENMETRICS
					     : CONTENT_TYPE_TEXT) == MHD_YES &&
	     MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept, Accept-Encoding") == MHD_YES;
	if (ok && variant.gzip)
		ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip") == MHD_YES;
	for (h = page->extra_headers; ok && h != NULL && h[0] != NULL; h += 2)
		ok = MHD_add_response_header(r, h[0], h[1]) == MHD_YES;
	if (!ok) {
		MHD_destroy_response(r);
		return NULL;
	}
	return r;
}

/* Renders the page's snapshot in the variant of slot; NULL when memory ran out. */
static struct MHD_Response *
render(struct page *page, struct page_variant variant, size_t slot)
{
	struct idle_buf text, packed;

	if (!page->have_stats) {
		procstat_read(&page->procstat, &page->stats);
		page->have_stats = true;
	}
	idle_buf_init(&text);
	/* The last page's size and a little more: one allocation where doubling from 4 KiB would
	 * copy, and hold the old and the new buffer at once, a dozen times. */
	idle_buf_reserve(&text, page->text_len[slot] + page->text_len[slot] / 16);
	idle_expo_render(&text, variant.format, &page->snapshot, &page->stats, page->version);
	page->text_len[slot] = text.len;
	if (text.err != 0) {
		idle_buf_free(&text);
		return NULL;
	}
	if (!variant.gzip)
		return wrap(page, &text, variant);
	if (gzip_body(&text, &packed) != 0) {
		idle_buf_free(&text);
		return NULL;
	}
	idle_buf_free(&text);
	return wrap(page, &packed, variant);
}

/* Drops every rendered variant: the snapshot they came from is gone. */
static void
forget_responses(struct page *page)
{
	size_t i;

	for (i = 0; i < PAGE_VARIANTS; i++) {
		if (page->responses[i] != NULL)
			MHD_destroy_response(page->responses[i]);
		page->responses[i] = NULL;
	}
	page->have_stats = false;
}

const struct idle_snapshot *
page_snapshot(struct page *page)
{
	/* Never serve a page rendered from an older snapshot: its values would be stale. */
	if (idle_publisher_fetch(page->publisher, &page->snapshot, &page->generation))
		forget_responses(page);
	return &page->snapshot;
}

struct MHD_Response *
page_current(struct page *page, struct page_variant variant)
{
	size_t slot = (size_t)variant.format * 2 + (variant.gzip ? 1 : 0);

	if (slot >= PAGE_VARIANTS)
		return NULL;
	page_snapshot(page);
	if (page->responses[slot] == NULL)
		page->responses[slot] = render(page, variant, slot);
	return page->responses[slot];
}

void
page_destroy(struct page *page)
{
	forget_responses(page);
	idle_snapshot_free(&page->snapshot);
	memset(page, 0, sizeof(*page));
}
