/* SPDX-License-Identifier: MIT */
/* The metrics page: rendered at most once per poll per variant, then reused for every scrape;
 * a large one streamed part by part instead. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "page.h"

#define CONTENT_TYPE_TEXT "text/plain; version=0.0.4; charset=utf-8"
#define CONTENT_TYPE_OPENMETRICS "application/openmetrics-text; version=1.0.0; charset=utf-8"
/* Parts of PAGE_PART bytes up to this many, then each twice the last: a page of megabytes is
 * then a dozen walks of its samples, not hundreds. */
#define PAGE_EVEN_PARTS 8
/* libmicrohttpd's buffer for a streamed response: what one read hands it. */
#define STREAM_BLOCK (16 * 1024)
/* More than a part's last line can take: seven labels of 128 bytes escaped, a name, a value. */
#define PART_SLACK (4 * 1024)

struct page_shot {
	unsigned refs;	/* the page's while current, and each stream's (one thread: no atomics) */
	struct idle_snapshot snapshot;
	bool have_stats; /* stats read for this generation */
	struct idle_process_stats stats;
};

/* A streamed page: the shot it renders, where it is, and the part not yet handed over. */
struct stream {
	struct page_shot *shot;
	const char *version;
	struct page_variant variant;
	size_t next;	     /* the first sample of the next part */
	size_t first_size;   /* what to reserve for the first part: the last whole page's size */
	size_t parts;	     /* rendered so far */
	bool done;	     /* the last part is in text (and packed) */
	struct idle_buf text; /* the current part */
	struct idle_buf packed; /* the current part compressed, with gzip */
	size_t sent;	     /* bytes of the current part handed over */
	bool z_ready;
	z_stream z;
};

static struct page_shot *
shot_new(void)
{
	struct page_shot *shot = calloc(1, sizeof(*shot));

	if (shot != NULL) {
		shot->refs = 1;
		idle_snapshot_init(&shot->snapshot);
	}
	return shot;
}

static void
shot_unref(struct page_shot *shot)
{
	if (shot != NULL && --shot->refs == 0) {
		idle_snapshot_free(&shot->snapshot);
		free(shot);
	}
}

int
page_init(struct page *page, struct idle_publisher *publisher, const char *version)
{
	memset(page, 0, sizeof(*page));
	page->procstat.statm_fd = -1;
	page->procstat.fd_dir = -1;
	page->publisher = publisher;
	page->version = version;
	if ((page->shot = shot_new()) == NULL)
		return ENOMEM;
	return procstat_init(&page->procstat);
}

/* Frees a rendered body once libmicrohttpd no longer needs it. */
static void
free_body(void *cls)
{
	free(cls);
}

/*
 * Compresses z's input into out (emptied first), finishing the gzip member when last.
 * Returns 0, ENOMEM or EIO.
 */
static int
deflate_into(z_stream *z, struct idle_buf *out, bool last)
{
	int rc;

	out->len = 0;
	/* deflateBound covers the zlib wrapper; the gzip one is 18 bytes against its 6. */
	idle_buf_reserve(out, deflateBound(z, z->avail_in) + 32);
	do {
		if (out->cap - 1 - out->len == 0)
			idle_buf_reserve(out, STREAM_BLOCK);
		if (out->err != 0)
			return ENOMEM;
		z->next_out = (Bytef *)out->data + out->len;
		z->avail_out = (uInt)(out->cap - 1 - out->len);
		rc = deflate(z, last ? Z_FINISH : Z_NO_FLUSH);
		if (rc == Z_STREAM_ERROR)
			return EIO;
		out->len = out->cap - 1 - z->avail_out;
	} while (z->avail_in > 0 || z->avail_out == 0 || (last && rc != Z_STREAM_END));
	return 0;
}

/*
 * + 16: a gzip header and trailer, as Accept-Encoding: gzip wants.  A 4 KiB window and memory
 * level 5 take about 40 KiB where zlib's defaults take 256 KiB, which malloc then keeps
 * resident; a page's lines repeat within a few hundred bytes, so it packs as well.
 */
static int
gzip_init(z_stream *z)
{
	memset(z, 0, sizeof(*z));
	return deflateInit2(z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 12 + 16, 5,
			    Z_DEFAULT_STRATEGY) == Z_OK
		   ? 0
		   : ENOMEM;
}

/* Compresses text into a new gzip member; returns 0 and the buffer in *out, or an errno. */
static int
gzip_body(const struct idle_buf *text, struct idle_buf *out)
{
	z_stream z;
	int rc;

	if ((rc = gzip_init(&z)) != 0)
		return rc;
	idle_buf_init(out);
	z.next_in = (Bytef *)text->data;
	z.avail_in = (uInt)text->len;
	rc = deflate_into(&z, out, true);
	deflateEnd(&z);
	if (rc != 0)
		idle_buf_free(out);
	return rc;
}

/* Adds the variant's headers to r; false when that failed. */
static bool
add_headers(const struct page *page, struct MHD_Response *r, struct page_variant variant)
{
	const char *const *h;
	bool ok;

	ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				     variant.format == IDLE_EXPO_OPENMETRICS
					     ? CONTENT_TYPE_OPENMETRICS
					     : CONTENT_TYPE_TEXT) == MHD_YES &&
	     MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept, Accept-Encoding") == MHD_YES;
	if (ok && variant.gzip)
		ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip") == MHD_YES;
	for (h = page->extra_headers; ok && h != NULL && h[0] != NULL; h += 2)
		ok = MHD_add_response_header(r, h[0], h[1]) == MHD_YES;
	return ok;
}

/* Wraps body in a response with the variant's headers; takes the body.  NULL on failure. */
static struct MHD_Response *
wrap(struct page *page, struct idle_buf *body, struct page_variant variant)
{
	struct MHD_Response *r;

	r = MHD_create_response_from_buffer_with_free_callback_cls(body->len, body->data, free_body,
								   body->data);
	if (r == NULL) {
		idle_buf_free(body);
		return NULL;
	}
	if (!add_headers(page, r, variant)) {
		MHD_destroy_response(r);
		return NULL;
	}
	return r;
}

static void
stream_free(struct stream *st)
{
	if (st->z_ready)
		deflateEnd(&st->z);
	idle_buf_free(&st->text);
	idle_buf_free(&st->packed);
	shot_unref(st->shot);
	free(st);
}

/* libmicrohttpd's end of a streamed response. */
static void
stream_done(void *cls)
{
	stream_free(cls);
}

/* Renders the next part into text (and packed).  Returns 0, ENOMEM or EIO. */
static int
next_part(struct stream *st)
{
	size_t min = (size_t)PAGE_PART
		     << (st->parts > PAGE_EVEN_PARTS ? st->parts - PAGE_EVEN_PARTS : 0);
	bool last;

	idle_buf_reset(&st->text);
	/* Room for the part and its last line at once: doubling would copy, and hold the old and
	 * the new buffer at once. */
	idle_buf_reserve(&st->text, st->parts == 0 && st->first_size > 0 ? st->first_size
									  : min + PART_SLACK);
	st->sent = 0;
	last = idle_expo_render_part(&st->text, st->variant.format, &st->shot->snapshot,
				     &st->shot->stats, st->version, &st->next, min);
	st->parts++;
	if (st->text.err != 0)
		return ENOMEM;
	if (st->variant.gzip) {
		st->z.next_in = (Bytef *)st->text.data;
		st->z.avail_in = (uInt)st->text.len;
		if (deflate_into(&st->z, &st->packed, last) != 0)
			return EIO;
	}
	st->done = last;
	return 0;
}

/* libmicrohttpd asks for the next bytes of a streamed page. */
static ssize_t
read_stream(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *st = cls;
	const struct idle_buf *out;
	size_t n;

	(void)pos; /* read in order, once */
	for (;;) {
		out = st->variant.gzip ? &st->packed : &st->text;
		if (st->sent < out->len) {
			n = out->len - st->sent < max ? out->len - st->sent : max;
			memcpy(buf, out->data + st->sent, n);
			st->sent += n;
			return (ssize_t)n;
		}
		if (st->done)
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (next_part(st) != 0)
			return MHD_CONTENT_READER_END_WITH_ERROR;
	}
}

/* Reads the process stats of the shot's generation, once. */
static void
shot_stats(struct page *page)
{
	if (!page->shot->have_stats) {
		procstat_read(&page->procstat, &page->shot->stats);
		page->shot->have_stats = true;
	}
}

/*
 * Renders the current shot in the variant of slot: whole when it fits a part (*streamed false),
 * else as a stream whose first part is written.  NULL when memory ran out.
 */
static struct MHD_Response *
render(struct page *page, struct page_variant variant, size_t slot, bool *streamed)
{
	struct idle_buf packed;
	struct MHD_Response *r;
	struct stream *st;

	*streamed = false;
	shot_stats(page);
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return NULL;
	st->shot = page->shot;
	st->shot->refs++;
	st->version = page->version;
	st->variant = variant;
	st->first_size = page->text_len[slot] + page->text_len[slot] / 16;
	st->variant.gzip = false; /* the first part is compressed below, whichever way it goes */
	if (next_part(st) != 0) {
		stream_free(st);
		return NULL;
	}
	st->variant.gzip = variant.gzip;
	if (st->done) { /* small enough to keep */
		page->text_len[slot] = st->text.len;
		if (!variant.gzip) {
			r = wrap(page, &st->text, variant);
			idle_buf_init(&st->text); /* taken */
		} else {
			r = gzip_body(&st->text, &packed) == 0 ? wrap(page, &packed, variant) : NULL;
		}
		stream_free(st);
		return r;
	}
	page->text_len[slot] = 0;
	if (variant.gzip) {
		if (gzip_init(&st->z) != 0) {
			stream_free(st);
			return NULL;
		}
		st->z_ready = true;
		st->z.next_in = (Bytef *)st->text.data;
		st->z.avail_in = (uInt)st->text.len;
		if (deflate_into(&st->z, &st->packed, false) != 0) {
			stream_free(st);
			return NULL;
		}
	}
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_BLOCK, read_stream, st,
					      stream_done);
	if (r == NULL) {
		stream_free(st);
		return NULL;
	}
	if (!add_headers(page, r, variant)) {
		MHD_destroy_response(r); /* frees the stream */
		return NULL;
	}
	*streamed = true;
	return r;
}

/* Drops every kept response: the snapshot they came from is gone. */
static void
forget_responses(struct page *page)
{
	size_t i;

	for (i = 0; i < PAGE_VARIANTS; i++) {
		if (page->responses[i] != NULL)
			MHD_destroy_response(page->responses[i]);
		page->responses[i] = NULL;
	}
}

const struct idle_snapshot *
page_snapshot(struct page *page)
{
	struct page_shot *fresh;

	/* Never serve a page rendered from an older snapshot: its values would be stale. */
	if (page->shot->refs == 1) {
		if (idle_publisher_fetch(page->publisher, &page->shot->snapshot, &page->generation)) {
			forget_responses(page);
			page->shot->have_stats = false;
		}
		return &page->shot->snapshot;
	}
	/* A stream still reads the current shot: what is new goes into another. */
	if ((fresh = shot_new()) == NULL)
		return NULL;
	if (!idle_publisher_fetch(page->publisher, &fresh->snapshot, &page->generation)) {
		shot_unref(fresh);
		return &page->shot->snapshot;
	}
	forget_responses(page);
	shot_unref(page->shot);
	page->shot = fresh;
	return &page->shot->snapshot;
}

struct MHD_Response *
page_current(struct page *page, struct page_variant variant, bool *caller_owns)
{
	size_t slot = (size_t)variant.format * 2 + (variant.gzip ? 1 : 0);
	struct MHD_Response *r;
	bool streamed;

	*caller_owns = false;
	if (slot >= PAGE_VARIANTS || page_snapshot(page) == NULL)
		return NULL;
	if (page->responses[slot] != NULL)
		return page->responses[slot];
	r = render(page, variant, slot, &streamed);
	if (streamed)
		*caller_owns = true;
	else
		page->responses[slot] = r;
	return r;
}

void
page_destroy(struct page *page)
{
	forget_responses(page);
	shot_unref(page->shot);
	procstat_close(&page->procstat);
	memset(page, 0, sizeof(*page));
}
