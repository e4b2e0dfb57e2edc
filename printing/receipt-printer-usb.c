/* SPDX-License-Identifier: MIT */
/*
 * "usb://VID:PID[/SERIAL][?timeout_ms=N]" and "usb://" (the first USB
 * printer-class device): an ESC/POS printer driven through libusb, the
 * USB printer class's bulk OUT endpoint for jobs and its bulk IN endpoint
 * for the answers to DLE EOT n.
 *
 * The kernel's usblp driver binds to printer-class interfaces; libusb's
 * auto-detach takes the interface from it for as long as we hold it and
 * gives it back on close.
 *
 * Printers get unplugged. The device is opened on first use and whenever
 * the previous handle went away; where libusb has hotplug support a
 * "device left" callback drops the stale handle before the next job
 * instead of after a failed transfer. Every transfer has a timeout, so a
 * printer that stops taking data fails the job (-ETIMEDOUT), it does not
 * hang the print worker. libusb error codes are turned into -errno in
 * one place (usb_errno) and the original code goes to the debug log.
 */
#include <errno.h>
#include <libusb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escpos-quirks.h"
#include "escpos.h"
#include "log.h"
#include "printer-backends.h"
#include "usb-reset.h"

#define DEFAULT_TIMEOUT_MS 5000
#define MAX_TIMEOUT_MS	   600000
/* Bytes per bulk OUT transfer: small enough that a timeout means "the
 * printer stopped", not "the job is long". */
#define CHUNK_BYTES 4096

struct usb_ctx {
	pthread_mutex_t lock; /* one job or status query at a time */
	libusb_context *usb;
	bool any_device; /* "usb://": first printer-class device */
	uint16_t vid, pid;
	char *serial; /* NULL: any */
	int timeout_ms;

	libusb_hotplug_callback_handle hotplug;
	bool has_hotplug;
	bool gone; /* set by the hotplug callback: handle is stale */

	libusb_device_handle *handle; /* NULL: not open */
	int iface;
	uint8_t ep_out, ep_in; /* ep_in 0: no status channel */
	uint16_t in_packet;
	const struct escpos_quirks *quirks;
};

/* The one place libusb codes become -errno. */
static int usb_errno(int code, const char *what)
{
	int r;

	switch (code) {
	case LIBUSB_ERROR_IO:
		r = -EIO;
		break;
	case LIBUSB_ERROR_INVALID_PARAM:
		r = -EINVAL;
		break;
	case LIBUSB_ERROR_ACCESS:
		r = -EACCES;
		break;
	case LIBUSB_ERROR_NO_DEVICE:
	case LIBUSB_ERROR_NOT_FOUND:
		r = -ENODEV;
		break;
	case LIBUSB_ERROR_BUSY:
		r = -EBUSY;
		break;
	case LIBUSB_ERROR_TIMEOUT:
		r = -ETIMEDOUT;
		break;
	case LIBUSB_ERROR_OVERFLOW:
		r = -EOVERFLOW;
		break;
	case LIBUSB_ERROR_PIPE:
		r = -EPIPE;
		break;
	case LIBUSB_ERROR_INTERRUPTED:
		r = -EINTR;
		break;
	case LIBUSB_ERROR_NO_MEM:
		r = -ENOMEM;
		break;
	case LIBUSB_ERROR_NOT_SUPPORTED:
		r = -EOPNOTSUPP;
		break;
	default:
		r = -EIO;
		break;
	}
	log_debug("usb printer: %s: %s", what, libusb_error_name(code));
	return r;
}

static void usb_close(struct usb_ctx *c)
{
	if (!c->handle)
		return;
	/* Fails harmlessly when the device is already gone. */
	libusb_release_interface(c->handle, c->iface);
	libusb_close(c->handle);
	c->handle = NULL;
	c->gone = false;
}

static int hotplug_cb(libusb_context *usb, libusb_device *dev, libusb_hotplug_event event,
		      void *user_data)
{
	struct usb_ctx *c = user_data;

	(void)usb;
	/* Runs inside libusb_handle_events*() on the thread that holds
	 * c->lock (only our calls handle events on this context). */
	if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT && c->handle &&
	    libusb_get_device(c->handle) == dev)
		c->gone = true;
	return 0;
}

/* Lets pending hotplug events reach hotplug_cb, without waiting. */
static void poll_hotplug(struct usb_ctx *c)
{
	struct timeval zero = {0, 0};

	if (c->has_hotplug)
		libusb_handle_events_timeout_completed(c->usb, &zero, NULL);
	if (c->gone)
		usb_close(c);
}

/* The printer interface of dev: class 7 with a bulk OUT endpoint, or for
 * a device named by VID:PID any interface with one (some printers are
 * vendor class). 0 with the endpoints, -ENODEV if none. */
static int find_interface(struct usb_ctx *c, libusb_device *dev, bool class_only, int *ret_iface,
			  int *ret_alt, uint8_t *ret_out, uint8_t *ret_in, uint16_t *ret_in_packet)
{
	struct libusb_config_descriptor *cfg = NULL;
	int r;

	r = libusb_get_active_config_descriptor(dev, &cfg);
	if (r < 0)
		r = libusb_get_config_descriptor(dev, 0, &cfg);
	if (r < 0)
		return usb_errno(r, "config descriptor");
	r = -ENODEV;
	for (int pass = 0; pass < 2 && r < 0; pass++) {
		if (pass == 1 && class_only)
			break;
		for (int i = 0; i < cfg->bNumInterfaces && r < 0; i++) {
			const struct libusb_interface *itf = &cfg->interface[i];

			for (int a = 0; a < itf->num_altsetting && r < 0; a++) {
				const struct libusb_interface_descriptor *d = &itf->altsetting[a];
				uint8_t out = 0, in = 0;
				uint16_t in_packet = 0;

				if (pass == 0 && d->bInterfaceClass != LIBUSB_CLASS_PRINTER)
					continue;
				for (int e = 0; e < d->bNumEndpoints; e++) {
					const struct libusb_endpoint_descriptor *ep =
						&d->endpoint[e];

					if ((ep->bmAttributes & 3) != LIBUSB_TRANSFER_TYPE_BULK)
						continue;
					if (ep->bEndpointAddress & LIBUSB_ENDPOINT_IN) {
						if (!in) {
							in = ep->bEndpointAddress;
							in_packet = ep->wMaxPacketSize;
						}
					} else if (!out) {
						out = ep->bEndpointAddress;
					}
				}
				if (!out)
					continue;
				*ret_iface = d->bInterfaceNumber;
				*ret_alt = d->bAlternateSetting;
				*ret_out = out;
				*ret_in = in;
				*ret_in_packet = in_packet ? in_packet : 64;
				r = 0;
			}
		}
	}
	libusb_free_config_descriptor(cfg);
	(void)c;
	return r;
}

static bool serial_matches(libusb_device_handle *h, const struct libusb_device_descriptor *dd,
			   const char *want)
{
	unsigned char got[256];
	int n;

	if (!dd->iSerialNumber)
		return false;
	n = libusb_get_string_descriptor_ascii(h, dd->iSerialNumber, got, sizeof(got));
	if (n < 0) {
		usb_errno(n, "serial number");
		return false;
	}
	return (size_t)n == strlen(want) && memcmp(got, want, (size_t)n) == 0;
}

/* Opens and claims the printer if no handle is open. 0, -ENODEV when no
 * matching device is attached, or another -errno. */
static int usb_open(struct usb_ctx *c)
{
	libusb_device **list = NULL;
	ssize_t n;
	int r = -ENODEV;

	if (c->handle)
		return 0;
	n = libusb_get_device_list(c->usb, &list);
	if (n < 0)
		return usb_errno((int)n, "device list");
	for (ssize_t i = 0; i < n && r == -ENODEV; i++) {
		struct libusb_device_descriptor dd;
		libusb_device_handle *h = NULL;
		int iface, alt, e;
		uint8_t out, in;
		uint16_t in_packet;

		if (libusb_get_device_descriptor(list[i], &dd) < 0)
			continue;
		if (!c->any_device && (dd.idVendor != c->vid || dd.idProduct != c->pid))
			continue;
		if (find_interface(c, list[i], c->any_device, &iface, &alt, &out, &in, &in_packet) <
		    0)
			continue;
		e = libusb_open(list[i], &h);
		if (e < 0) {
			r = usb_errno(e, "open");
			/* Another matching device may still open. */
			if (r == -ENODEV)
				continue;
			break;
		}
		if (c->serial && !serial_matches(h, &dd, c->serial)) {
			libusb_close(h);
			continue;
		}
		/* Linux: usblp is detached on claim and reattached on
		 * release. Elsewhere the call is refused; claiming then
		 * works or says why. */
		if (libusb_set_auto_detach_kernel_driver(h, 1) != LIBUSB_SUCCESS &&
		    libusb_kernel_driver_active(h, iface) == 1) {
			e = libusb_detach_kernel_driver(h, iface);
			if (e < 0)
				usb_errno(e, "detach kernel driver");
		}
		e = libusb_claim_interface(h, iface);
		if (e == 0 && alt != 0) {
			e = libusb_set_interface_alt_setting(h, iface, alt);
			if (e < 0)
				libusb_release_interface(h, iface);
		}
		if (e < 0) {
			r = usb_errno(e, "claim interface");
			libusb_close(h);
			break;
		}
		c->handle = h;
		c->iface = iface;
		c->ep_out = out;
		c->ep_in = in;
		c->in_packet = in_packet;
		c->quirks = escpos_quirks_lookup(dd.idVendor, dd.idProduct);
		c->gone = false;
		log_debug("usb printer: opened %04x:%04x (%s), interface %d, out 0x%02x, in 0x%02x",
			  dd.idVendor, dd.idProduct, c->quirks->model, iface, out, in);
		r = 0;
	}
	libusb_free_device_list(list, 1);
	return r;
}

/* Bulk OUT of the whole buffer in chunks. 0 or -errno; -ENODEV closes the
 * handle so the next call looks for the printer again. */
static int bulk_out(struct usb_ctx *c, const uint8_t *buf, size_t len)
{
	/* libusb takes a non-const buffer for both directions. */
	unsigned char chunk_buf[CHUNK_BYTES];

	while (len > 0) {
		int chunk = len > CHUNK_BYTES ? CHUNK_BYTES : (int)len;
		int done = 0, e;

		memcpy(chunk_buf, buf, (size_t)chunk);
		e = libusb_bulk_transfer(c->handle, c->ep_out, chunk_buf, chunk, &done,
					 (unsigned)c->timeout_ms);
		if (e < 0)
			return usb_errno(e, "bulk out");
		if (done <= 0)
			return -EIO;
		buf += done;
		len -= (size_t)done;
	}
	return 0;
}

static int usb_write_job(struct receipt_printer *p, const uint8_t *buf, size_t len)
{
	struct usb_ctx *c = p->ctx;
	uint8_t *fixed = NULL;
	size_t fixed_len = 0;
	int r;

	if (!buf && len > 0)
		return -EINVAL;
	pthread_mutex_lock(&c->lock);
	poll_hotplug(c);
	r = usb_open(c);
	if (r < 0)
		goto out;
	r = escpos_quirks_apply(c->quirks, buf, len, &fixed, &fixed_len);
	if (r < 0)
		goto out;
	r = bulk_out(c, fixed, fixed_len);
out:
	if (r == -ENODEV || r == -EPIPE || r == -ETIMEDOUT)
		usb_close(c);
	pthread_mutex_unlock(&c->lock);
	free(fixed);
	return r;
}

/* Reads one status byte after a DLE EOT n, skipping zero-length packets,
 * until the timeout. */
static int read_status_byte(struct usb_ctx *c, uint8_t *ret_byte)
{
	unsigned char in[512];
	int size = c->in_packet < sizeof(in) ? c->in_packet : (int)sizeof(in);

	for (int tries = 0; tries < 3; tries++) {
		int got = 0, e;

		e = libusb_bulk_transfer(c->handle, c->ep_in, in, size, &got,
					 (unsigned)c->timeout_ms);
		if (e < 0)
			return usb_errno(e, "bulk in");
		if (got > 0) {
			/* One byte per request; more is a printer
			 * sending something else. */
			if (got != 1)
				return -EBADMSG;
			*ret_byte = in[0];
			return 0;
		}
	}
	return -ETIMEDOUT;
}

static int usb_get_status(struct receipt_printer *p, unsigned *ret_flags)
{
	static const uint8_t requests[] = {1, 2, 4};
	struct usb_ctx *c = p->ctx;
	unsigned all = 0;
	int r;

	pthread_mutex_lock(&c->lock);
	poll_hotplug(c);
	r = usb_open(c);
	if (r < 0)
		goto out;
	/* Without a status channel the printer cannot say more than "it is
	 * attached and claimed": report ready; a job then fails on its
	 * own if it cannot print. */
	if (!c->ep_in || !c->quirks->status)
		goto out;
	for (size_t i = 0; i < sizeof(requests); i++) {
		uint8_t cmd[3], byte = 0;
		unsigned flags = 0;

		r = escpos_status_request(requests[i], cmd);
		if (r == 0)
			r = bulk_out(c, cmd, sizeof(cmd));
		if (r == 0)
			r = read_status_byte(c, &byte);
		if (r == 0)
			r = escpos_parse_status(requests[i], byte, &flags);
		if (r < 0)
			break;
		all |= flags;
	}
out:
	if (r == -ENODEV || r == -EPIPE || r == -ETIMEDOUT)
		usb_close(c);
	pthread_mutex_unlock(&c->lock);
	if (r == 0)
		*ret_flags = all;
	return r;
}

static void usb_free_ctx(void *ctx)
{
	struct usb_ctx *c = ctx;

	if (!c)
		return;
	usb_close(c);
	if (c->usb) {
		if (c->has_hotplug)
			libusb_hotplug_deregister_callback(c->usb, c->hotplug);
		libusb_exit(c->usb);
	}
	pthread_mutex_destroy(&c->lock);
	free(c->serial);
	free(c);
}

static const struct receipt_printer_ops usb_ops = {
	.name = "usb",
	.write_job = usb_write_job,
	.get_status = usb_get_status,
	.free_ctx = usb_free_ctx,
};

/* "", "VID:PID", "VID:PID/SERIAL", each optionally "?timeout_ms=N". */
static int parse_target(const char *target, struct usb_ctx *c)
{
	const char *q = strchr(target, '?');
	size_t tlen = q ? (size_t)(q - target) : strlen(target);
	const char *colon, *slash;
	int r;

	c->timeout_ms = DEFAULT_TIMEOUT_MS;
	if (q) {
		char *end;
		long v;

		if (strncmp(q, "?timeout_ms=", 12) != 0)
			return -EINVAL;
		errno = 0;
		v = strtol(q + 12, &end, 10);
		if (errno || *end || end == q + 12 || v < 1 || v > MAX_TIMEOUT_MS)
			return -EINVAL;
		c->timeout_ms = (int)v;
	}
	if (tlen == 0) {
		c->any_device = true;
		return 0;
	}
	colon = memchr(target, ':', tlen);
	if (!colon)
		return -EINVAL;
	slash = memchr(colon, '/', tlen - (size_t)(colon - target));
	r = usb_parse_id(target, (size_t)(colon - target), &c->vid);
	if (r == 0)
		r = usb_parse_id(colon + 1, (size_t)((slash ? slash : target + tlen) - colon - 1),
				 &c->pid);
	if (r < 0)
		return r;
	if (slash) {
		size_t slen = (size_t)(target + tlen - slash - 1);

		if (slen == 0 || slen > 126)
			return -EINVAL;
		c->serial = strndup(slash + 1, slen);
		if (!c->serial)
			return -ENOMEM;
	}
	return 0;
}

int receipt_printer_usb_new(const char *target, struct receipt_printer **ret_printer)
{
	struct receipt_printer *p = NULL;
	struct usb_ctx *c;
	int r, e;

	if (!target || !ret_printer)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	pthread_mutex_init(&c->lock, NULL);
	r = parse_target(target, c);
	if (r < 0)
		goto fail;
	/* A context of our own: libusb's default one is process-wide state
	 * that other code (and tests) may also init and exit. */
	e = libusb_init(&c->usb);
	if (e < 0) {
		c->usb = NULL;
		r = usb_errno(e, "init");
		goto fail;
	}
	if (libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG)) {
		e = libusb_hotplug_register_callback(
			c->usb,
			LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, 0,
			c->any_device ? LIBUSB_HOTPLUG_MATCH_ANY : c->vid,
			c->any_device ? LIBUSB_HOTPLUG_MATCH_ANY : c->pid, LIBUSB_HOTPLUG_MATCH_ANY,
			hotplug_cb, c, &c->hotplug);
		if (e == LIBUSB_SUCCESS)
			c->has_hotplug = true;
		else
			usb_errno(e, "hotplug register");
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		r = -ENOMEM;
		goto fail;
	}
	*p = (struct receipt_printer){.ops = &usb_ops, .ctx = c};
	*ret_printer = p;
	return 0;
fail:
	usb_free_ctx(c);
	return r;
}
