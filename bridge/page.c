/* The metrics page: rendered at most once per poll, then the same response serves every scrape. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "idle_expo.h"
#include "page.h"

#define CONTENT_TYPE_TEXT "text/plain; version=0.0.4; charset=utf-8"

int
page_init(struct page *page, struct poller *poller, const char *version)
{
	memset(page, 0, sizeof(*page));
	page->poller = poller;
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

/* Renders the page's snapshot into a new response; NULL when memory ran out. */
static struct MHD_Response *
render(struct page *page)
{
	struct idle_process_stats stats;
	struct MHD_Response *response;
	struct idle_buf text;

	procstat_read(&page->procstat, &stats);
	idle_buf_init(&text);
	idle_expo_render(&text, &page->snapshot, &stats, page->version);
	if (text.err != 0) {
		idle_buf_free(&text);
		return NULL;
	}
	response = MHD_create_response_from_buffer_with_free_callback_cls(text.len, text.data,
									   free_body, text.data);
	if (response == NULL) {
		idle_buf_free(&text);
		return NULL;
	}
	if (MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, CONTENT_TYPE_TEXT) !=
	    MHD_YES) {
		MHD_destroy_response(response);
		return NULL;
	}
	return response;
}

struct MHD_Response *
page_current(struct page *page)
{
	struct MHD_Response *fresh;

	if (!poller_fetch(page->poller, &page->snapshot, &page->generation) &&
	    page->response != NULL)
		return page->response;
	/* Never serve an older page in place of a newer snapshot: values would be stale. */
	fresh = render(page);
	if (page->response != NULL)
		MHD_destroy_response(page->response);
	page->response = fresh;
	return fresh;
}

void
page_destroy(struct page *page)
{
	if (page->response != NULL)
		MHD_destroy_response(page->response);
	idle_snapshot_free(&page->snapshot);
	memset(page, 0, sizeof(*page));
}
