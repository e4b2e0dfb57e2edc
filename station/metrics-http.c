/* SPDX-License-Identifier: MIT */
/*
 * The metrics endpoint (metrics-http.h): one libmicrohttpd daemon with an
 * internal polling thread; each scrape renders the counters afresh.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "config.h"
#include "metrics-http.h"

struct metrics_http {
	struct metrics *metrics;
	struct MHD_Daemon *daemon;
};

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned code, const char *type,
			     char *body, size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, mode);
	enum MHD_Result ret;

	if (!resp) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(conn, code, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **req_cls)
{
	static char not_found[] = "not found\n", not_allowed[] = "method not allowed\n";
	struct metrics_http *h = cls;
	char *text = NULL;
	size_t len = 0;

	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", not_allowed,
			     strlen(not_allowed), MHD_RESPMEM_PERSISTENT);
	if (strcmp(url, "/metrics") != 0)
		return reply(conn, MHD_HTTP_NOT_FOUND, "text/plain", not_found, strlen(not_found),
			     MHD_RESPMEM_PERSISTENT);
	if (metrics_render(h->metrics, &text, &len) < 0)
		return MHD_NO;
	return reply(conn, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", text, len,
		     MHD_RESPMEM_MUST_FREE);
}

int metrics_http_start(struct metrics *m, const char *listen, struct metrics_http **ret)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	struct metrics_http *h;
	uint32_t addr;
	uint16_t port;

	if (!m || !ret || config_listen_parse(listen, &addr, &port) < 0)
		return -EINVAL;
	sa.sin_addr.s_addr = htonl(addr);
	sa.sin_port = htons(port);
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->metrics = m;
	errno = 0;
	h->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, port, NULL,
				     NULL, on_request, h, MHD_OPTION_SOCK_ADDR, &sa,
				     MHD_OPTION_CONNECTION_LIMIT, (unsigned)16,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10, MHD_OPTION_END);
	if (!h->daemon) {
		int e = errno == EADDRINUSE ? -EADDRINUSE : -EIO;

		free(h);
		return e;
	}
	*ret = h;
	return 0;
}

struct metrics_http *metrics_http_stop(struct metrics_http *h)
{
	if (!h)
		return NULL;
	MHD_stop_daemon(h->daemon);
	free(h);
	return NULL;
}
