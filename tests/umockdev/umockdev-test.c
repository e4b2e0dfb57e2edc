/* SPDX-License-Identifier: MIT */
/*
 * usb:// receipt printer (printing/receipt-printer-usb.c, real libusb)
 * against a USB printer emulated by umockdev: a sysfs device 0416:5011
 * with one printer-class interface (bulk OUT 0x01, bulk IN 0x82) and a
 * usbfs ioctl handler that plays the printer: it records every byte the
 * host sends and answers each DLE EOT n with the status byte the test
 * chose, or a garbage byte, or nothing; unplugs itself after so many
 * bytes; leaves the bus (hotplug "remove"); lets go of the kernel usblp
 * driver it pretends is bound.
 *
 * Must run under umockdev-wrapper (LD_PRELOAD): run.sh does that.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The usbfs header needs the ioctl macros first. */
#include <linux/ioctl.h>
#include <linux/usbdevice_fs.h>

#include <cmocka.h>
#include <umockdev.h>

#include "config.h"
#include "diag.h"
#include "escpos-quirks.h"
#include "escpos.h"
#include "receipt-printer.h"

#define DEVNODE "/dev/bus/usb/001/002"
#define SYSPATH "/sys/devices/pci0000:00/usb1/1-1"

/* Device 0416:5011; configuration: interface 0, class 7 (printer),
 * subclass 1, protocol 2 (bidirectional), bulk OUT 0x01 and bulk IN 0x82
 * of 64 bytes. No string descriptors. */
static const char device_record[] = "P: /devices/pci0000:00/usb1/1-1\n"
				    "N: bus/usb/001/002\n"
				    "E: SUBSYSTEM=usb\n"
				    "E: DEVTYPE=usb_device\n"
				    "E: DRIVER=usb\n"
				    "E: BUSNUM=001\n"
				    "E: DEVNUM=002\n"
				    "E: DEVNAME=" DEVNODE "\n"
				    "A: busnum=1\\n\n"
				    "A: devnum=2\\n\n"
				    "A: speed=12\\n\n"
				    "A: bConfigurationValue=1\\n\n"
				    "H: descriptors="
				    "120100020000004016041150000100000001"
				    "09022000010100c032"
				    "090400000207010200"
				    "07050102400000"
				    "07058202400000\n";

struct mock {
	pthread_mutex_t lock; /* the handler runs on umockdev's thread */
	UMockdevTestbed *bed;
	UMockdevIoctlBase *handler;

	GList *ready;	    /* UMockdevIoctlData of urbs to reap */
	GList *pending_in;  /* IN urbs waiting for an answer */
	GList *discarded;   /* urbs cancelled by the host */
	uint8_t answer[5];  /* status byte per n */
	uint8_t queued[64]; /* answers not yet read */
	size_t n_queued;
	int eot_state;

	uint8_t *rec; /* everything sent to bulk OUT */
	size_t rec_len, rec_cap;

	size_t unplug_after; /* 0: never */
	bool unplugged;
	bool silent;	  /* never answers DLE EOT */
	bool usblp_bound; /* the kernel's printer driver holds the interface */
	unsigned claims, detaches;
};

static void record(struct mock *m, const uint8_t *p, size_t n)
{
	if (m->rec_cap - m->rec_len < n) {
		size_t cap = m->rec_cap ? m->rec_cap : 65536;

		while (cap - m->rec_len < n)
			cap *= 2;
		m->rec = realloc(m->rec, cap);
		if (!m->rec)
			abort();
		m->rec_cap = cap;
	}
	memcpy(m->rec + m->rec_len, p, n);
	m->rec_len += n;
}

/* Gives the next queued answer to an IN urb and makes it reapable. */
static void answer_in(struct mock *m, UMockdevIoctlData *urb_data)
{
	struct usbdevfs_urb *urb = (struct usbdevfs_urb *)urb_data->data;

	/* The process is ours (LD_PRELOAD): urb->buffer is the host's
	 * buffer, in this address space. */
	((uint8_t *)urb->buffer)[0] = m->queued[0];
	memmove(m->queued, m->queued + 1, --m->n_queued);
	urb->actual_length = 1;
	urb->status = 0;
	m->ready = g_list_append(m->ready, urb_data);
}

/* Scans bytes sent to the printer for DLE EOT n and queues the answer. */
static void scan_requests(struct mock *m, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (m->eot_state == 2) {
			m->eot_state = 0;
			if (!m->silent && p[i] >= 1 && p[i] <= 4 && m->n_queued < sizeof(m->queued))
				m->queued[m->n_queued++] = m->answer[p[i]];
			continue;
		}
		if (m->eot_state == 1 && p[i] == 0x04)
			m->eot_state = 2;
		else
			m->eot_state = p[i] == 0x10;
	}
	while (m->n_queued && m->pending_in) {
		UMockdevIoctlData *d = m->pending_in->data;

		m->pending_in = g_list_delete_link(m->pending_in, m->pending_in);
		answer_in(m, d);
	}
}

/* What the kernel does when the device goes: urbs in flight come back
 * with -ESHUTDOWN (libusb: "no device"), then every call fails with
 * ENODEV. */
static void unplug_now(struct mock *m, UMockdevIoctlData *in_flight)
{
	struct usbdevfs_urb *urb = (struct usbdevfs_urb *)in_flight->data;

	urb->actual_length = 0;
	urb->status = -ESHUTDOWN;
	m->ready = g_list_append(m->ready, in_flight);
	while (m->pending_in) {
		UMockdevIoctlData *d = m->pending_in->data;

		((struct usbdevfs_urb *)d->data)->status = -ESHUTDOWN;
		m->pending_in = g_list_delete_link(m->pending_in, m->pending_in);
		m->ready = g_list_append(m->ready, d);
	}
	m->unplugged = true;
}

static gint same_client_addr(gconstpointer data, gconstpointer addr)
{
	return ((const UMockdevIoctlData *)data)->client_addr != (gulong)addr;
}

static gboolean submit_urb(struct mock *m, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
	UMockdevIoctlData *urb_data =
		umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
	struct usbdevfs_urb *urb = (struct usbdevfs_urb *)urb_data->data;

	if (urb->type != USBDEVFS_URB_TYPE_BULK ||
	    (urb->endpoint != 0x01 && urb->endpoint != 0x82)) {
		umockdev_ioctl_data_unref(urb_data);
		umockdev_ioctl_client_complete(client, -1, EINVAL);
		return TRUE;
	}
	if (urb->endpoint == 0x01) {
		UMockdevIoctlData *buf = umockdev_ioctl_data_resolve(
			urb_data, G_STRUCT_OFFSET(struct usbdevfs_urb, buffer),
			(gsize)urb->buffer_length, NULL);

		record(m, buf->data, (size_t)urb->buffer_length);
		scan_requests(m, buf->data, (size_t)urb->buffer_length);
		umockdev_ioctl_data_unref(buf);
		urb->actual_length = urb->buffer_length;
		urb->status = 0;
		if (m->unplug_after && m->rec_len >= m->unplug_after)
			unplug_now(m, urb_data);
		else
			m->ready = g_list_append(m->ready, urb_data);
	} else if (m->n_queued) {
		answer_in(m, urb_data);
	} else {
		m->pending_in = g_list_append(m->pending_in, urb_data);
	}
	umockdev_ioctl_client_complete(client, 0, 0);
	return TRUE;
}

static gboolean reap_urb(struct mock *m, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
	UMockdevIoctlData *urb_data, *ptr;
	GList **from = m->discarded ? &m->discarded : m->ready ? &m->ready : NULL;

	if (!from) {
		umockdev_ioctl_client_complete(client, -1, m->unplugged ? ENODEV : EAGAIN);
		return TRUE;
	}
	urb_data = (*from)->data;
	*from = g_list_delete_link(*from, *from);
	if (from == &m->discarded)
		((struct usbdevfs_urb *)urb_data->data)->status = -ENOENT;
	ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), NULL);
	umockdev_ioctl_data_set_ptr(ptr, 0, urb_data);
	umockdev_ioctl_client_complete(client, 0, 0);
	umockdev_ioctl_data_unref(ptr);
	umockdev_ioctl_data_unref(urb_data);
	return TRUE;
}

static gboolean handle_ioctl(UMockdevIoctlBase *handler, UMockdevIoctlClient *client,
			     gpointer user_data)
{
	struct mock *m = user_data;
	gulong request = umockdev_ioctl_client_get_request(client);
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	gboolean handled = TRUE;

	(void)handler;
	pthread_mutex_lock(&m->lock);
	if (m->unplugged && request != USBDEVFS_REAPURB && request != USBDEVFS_REAPURBNDELAY &&
	    request != USBDEVFS_DISCARDURB && request != USBDEVFS_RELEASEINTERFACE) {
		umockdev_ioctl_client_complete(client, -1, ENODEV);
		goto out;
	}
	switch (request) {
	case USBDEVFS_GET_CAPABILITIES: {
		UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), NULL);

		*(guint32 *)d->data = USBDEVFS_CAP_BULK_CONTINUATION |
				      USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
				      USBDEVFS_CAP_REAP_AFTER_DISCONNECT;
		umockdev_ioctl_client_complete(client, 0, 0);
		umockdev_ioctl_data_unref(d);
		break;
	}
	case USBDEVFS_GETDRIVER: {
		UMockdevIoctlData *d;

		if (!m->usblp_bound) {
			umockdev_ioctl_client_complete(client, -1, ENODATA);
			break;
		}
		d = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_getdriver), NULL);
		snprintf(((struct usbdevfs_getdriver *)d->data)->driver, USBDEVFS_MAXDRIVERNAME + 1,
			 "usblp");
		umockdev_ioctl_client_complete(client, 0, 0);
		umockdev_ioctl_data_unref(d);
		break;
	}
	case USBDEVFS_DISCONNECT_CLAIM:
		/* The kernel's usblp lets go, and we hold the interface. */
		m->usblp_bound = false;
		m->detaches++;
		m->claims++;
		umockdev_ioctl_client_complete(client, 0, 0);
		break;
	case USBDEVFS_CLAIMINTERFACE:
		if (m->usblp_bound) {
			umockdev_ioctl_client_complete(client, -1, EBUSY);
			break;
		}
		m->claims++;
		umockdev_ioctl_client_complete(client, 0, 0);
		break;
	case USBDEVFS_IOCTL: {
		UMockdevIoctlData *d =
			umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_ioctl), NULL);
		int code = ((struct usbdevfs_ioctl *)d->data)->ioctl_code;

		if (code == (int)USBDEVFS_CONNECT)
			m->usblp_bound = true;
		else if (code == (int)USBDEVFS_DISCONNECT)
			m->usblp_bound = false;
		umockdev_ioctl_client_complete(client, 0, 0);
		umockdev_ioctl_data_unref(d);
		break;
	}
	case USBDEVFS_RELEASEINTERFACE:
	case USBDEVFS_SETINTERFACE:
	case USBDEVFS_CLEAR_HALT:
	case USBDEVFS_RESET:
	case USBDEVFS_RESETEP:
		umockdev_ioctl_client_complete(client, 0, 0);
		break;
	case USBDEVFS_SUBMITURB:
		submit_urb(m, client, arg);
		break;
	case USBDEVFS_REAPURB:
	case USBDEVFS_REAPURBNDELAY:
		reap_urb(m, client, arg);
		break;
	case USBDEVFS_DISCARDURB: {
		GList *l = g_list_find_custom(m->pending_in, *(void **)arg->data, same_client_addr);

		if (l) {
			m->discarded = g_list_append(m->discarded, l->data);
			m->pending_in = g_list_delete_link(m->pending_in, l);
			umockdev_ioctl_client_complete(client, 0, 0);
		} else {
			umockdev_ioctl_client_complete(client, -1, EINVAL);
		}
		break;
	}
	default:
		handled = FALSE;
		break;
	}
out:
	pthread_mutex_unlock(&m->lock);
	return handled;
}

/* The ioctl handler stays attached to the device node for the whole
 * test: a node left behind by an unplug answers ENODEV, as the kernel's
 * does for a stale usbfs file. */
static void plug(struct mock *m)
{
	assert_true(umockdev_testbed_add_from_string(m->bed, device_record, NULL));
}

/* The "remove" uevent (which remove_device does not send), then the
 * sysfs entry goes. */
static void leave_bus(struct mock *m)
{
	umockdev_testbed_uevent(m->bed, SYSPATH, "remove");
	umockdev_testbed_remove_device(m->bed, SYSPATH);
}

static void unplug(struct mock *m)
{
	pthread_mutex_lock(&m->lock);
	m->unplugged = true;
	pthread_mutex_unlock(&m->lock);
	leave_bus(m);
}

static int setup(void **state)
{
	struct mock *m = calloc(1, sizeof(*m));

	if (!m)
		return -1;
	pthread_mutex_init(&m->lock, NULL);
	memset(m->answer, 0x12, sizeof(m->answer)); /* all well */
	m->bed = umockdev_testbed_new();
	m->handler = umockdev_ioctl_base_new();
	g_signal_connect(m->handler, "handle-ioctl", G_CALLBACK(handle_ioctl), m);
	if (!umockdev_testbed_attach_ioctl(m->bed, DEVNODE, m->handler, NULL))
		return -1;
	plug(m);
	*state = m;
	return 0;
}

static void free_urbs(GList *l)
{
	g_list_free_full(l, (GDestroyNotify)umockdev_ioctl_data_unref);
}

static int teardown(void **state)
{
	struct mock *m = *state;

	g_clear_object(&m->handler);
	g_clear_object(&m->bed);
	free_urbs(m->ready);
	free_urbs(m->pending_in);
	free_urbs(m->discarded);
	pthread_mutex_destroy(&m->lock);
	free(m->rec);
	free(m);
	return 0;
}

static struct receipt_printer *open_printer(const char *uri)
{
	struct receipt_printer *p = NULL;

	assert_int_equal(receipt_printer_open(uri, &p), 0);
	assert_non_null(p);
	assert_string_equal(p->ops->name, "usb");
	return p;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static cairo_surface_t *test_image(int width, int height)
{
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
	cairo_t *cr = cairo_create(img);

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (int y = 5; y < height; y += 29)
		cairo_rectangle(cr, 4 + y % 40, y, width / 2 + y % 90, 5);
	cairo_fill(cr);
	cairo_set_line_width(cr, 2);
	cairo_move_to(cr, width, 0);
	cairo_line_to(cr, 0, height);
	cairo_stroke(cr);
	cairo_destroy(cr);
	return img;
}

static long ink_diff(cairo_surface_t *img, cairo_surface_t *dec)
{
	int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
	const unsigned char *a = cairo_image_surface_get_data(img);
	const unsigned char *b = cairo_image_surface_get_data(dec);
	int sa = cairo_image_surface_get_stride(img), sb = cairo_image_surface_get_stride(dec);
	long diff = 0;

	if (cairo_image_surface_get_width(dec) < w || cairo_image_surface_get_height(dec) < h)
		return -1;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			uint32_t pa, pb;

			memcpy(&pa, a + (size_t)y * (size_t)sa + (size_t)x * 4, 4);
			memcpy(&pb, b + (size_t)y * (size_t)sb + (size_t)x * 4, 4);
			diff += ((pa & 0xff) < 128) != ((pb & 0xff) < 128);
		}
	return diff;
}

/* The job goes out byte for byte as the model's quirks make it, and
 * decodes to the image that was encoded. */
static void test_job_byte_exact(void **state)
{
	struct mock *m = *state;
	struct receipt_printer *p = open_printer("usb://0416:5011?timeout_ms=2000");
	cairo_surface_t *img = test_image(576, 600), *dec = NULL;
	uint8_t *job = NULL, *want = NULL;
	size_t len = 0, want_len = 0;

	assert_int_equal(escpos_encode_raster(img, &job, &len), 0);
	assert_int_equal(escpos_quirks_apply(escpos_quirks_lookup(0x0416, 0x5011), job, len, &want,
					     &want_len),
			 0);
	assert_int_equal(p->ops->write_job(p, job, len), 0);
	pthread_mutex_lock(&m->lock);
	assert_int_equal(m->rec_len, want_len);
	assert_memory_equal(m->rec, want, want_len);
	assert_true(m->claims >= 1);
	assert_int_equal(escpos_decode(m->rec, m->rec_len, &dec), 0);
	pthread_mutex_unlock(&m->lock);
	assert_int_equal(ink_diff(img, dec), 0);
	/* Bands of at most 48 rows for this model: each 256-row band of the
	 * encoder becomes 6 (5 x 48 + 16), the last 88 rows 2. */
	assert_int_equal(want_len, len + 8 * (6 + 6 + 2 - 3));
	cairo_surface_destroy(dec);
	cairo_surface_destroy(img);
	free(job);
	free(want);
	receipt_printer_free(p);
}

static void test_status(void **state)
{
	static const struct {
		uint8_t a1, a2, a4;
		unsigned want;
	} cases[] = {
		{0x12, 0x12, 0x12, 0},
		{0x12, 0x12, 0x1e, RECEIPT_STATUS_PAPER_NEAR_END},
		{0x1a, 0x32, 0x72, RECEIPT_STATUS_OFFLINE | RECEIPT_STATUS_PAPER_END},
		{0x1a, 0x16, 0x12, RECEIPT_STATUS_OFFLINE | RECEIPT_STATUS_COVER_OPEN},
	};
	struct mock *m = *state;
	struct receipt_printer *p = open_printer("usb://0416:5011?timeout_ms=2000");

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned flags = 0xdead;

		pthread_mutex_lock(&m->lock);
		m->answer[1] = cases[i].a1;
		m->answer[2] = cases[i].a2;
		m->answer[4] = cases[i].a4;
		pthread_mutex_unlock(&m->lock);
		assert_int_equal(p->ops->get_status(p, &flags), 0);
		assert_int_equal(flags, cases[i].want);
	}
	pthread_mutex_lock(&m->lock);
	assert_int_equal(m->rec_len, 4 * 9);
	assert_memory_equal(m->rec, "\x10\x04\x01\x10\x04\x02\x10\x04\x04", 9);
	pthread_mutex_unlock(&m->lock);
	receipt_printer_free(p);
}

static void test_status_garbage(void **state)
{
	struct mock *m = *state;
	struct receipt_printer *p = open_printer("usb://0416:5011?timeout_ms=2000");
	unsigned flags = 0xdead;

	pthread_mutex_lock(&m->lock);
	m->answer[2] = 0xff;
	pthread_mutex_unlock(&m->lock);
	assert_int_equal(p->ops->get_status(p, &flags), -EBADMSG);
	assert_int_equal(flags, 0xdead);
	receipt_printer_free(p);
}

/* A printer that never answers: the status call ends at the timeout,
 * and the next call starts clean. */
static void test_status_silent(void **state)
{
	struct mock *m = *state;
	struct receipt_printer *p = open_printer("usb://0416:5011?timeout_ms=300");
	unsigned flags = 0xdead;
	int64_t t0;

	pthread_mutex_lock(&m->lock);
	m->silent = true;
	pthread_mutex_unlock(&m->lock);
	t0 = now_ms();
	assert_int_equal(p->ops->get_status(p, &flags), -ETIMEDOUT);
	assert_true(now_ms() - t0 < 3000);
	assert_int_equal(flags, 0xdead);
	pthread_mutex_lock(&m->lock);
	m->silent = false;
	pthread_mutex_unlock(&m->lock);
	assert_int_equal(p->ops->get_status(p, &flags), 0);
	assert_int_equal(flags, 0);
	receipt_printer_free(p);
}

static void test_unplug_mid_job(void **state)
{
	struct mock *m = *state;
	struct receipt_printer *p = open_printer("usb://0416:5011?timeout_ms=2000");
	cairo_surface_t *img = test_image(576, 800);
	uint8_t *job = NULL, *want = NULL;
	size_t len = 0, want_len = 0;
	unsigned flags = 0xdead;
	int64_t t0;

	assert_int_equal(escpos_encode_raster(img, &job, &len), 0);
	pthread_mutex_lock(&m->lock);
	m->unplug_after = len / 3;
	pthread_mutex_unlock(&m->lock);
	t0 = now_ms();
	assert_int_equal(p->ops->write_job(p, job, len), -ENODEV);
	assert_true(now_ms() - t0 < 2000);
	pthread_mutex_lock(&m->lock);
	assert_true(m->rec_len >= len / 3 && m->rec_len < len);
	pthread_mutex_unlock(&m->lock);

	/* Gone from the bus too: nothing to open. */
	unplug(m);
	assert_int_equal(p->ops->get_status(p, &flags), -ENODEV);
	assert_int_equal(p->ops->write_job(p, job, len), -ENODEV);
	assert_int_equal(flags, 0xdead);

	/* Plugged in again: the same printer object prints. */
	pthread_mutex_lock(&m->lock);
	m->unplugged = false;
	m->unplug_after = 0;
	m->rec_len = 0;
	pthread_mutex_unlock(&m->lock);
	plug(m);
	/* libusb learns of the new device from the uevent, on its own
	 * thread: give it a moment, as a technician's replug would. */
	t0 = now_ms();
	while (p->ops->get_status(p, &flags) == -ENODEV && now_ms() - t0 < 5000)
		usleep(10000);
	assert_int_equal(flags, 0);
	pthread_mutex_lock(&m->lock);
	m->rec_len = 0;
	pthread_mutex_unlock(&m->lock);
	assert_int_equal(p->ops->write_job(p, job, len), 0);
	assert_int_equal(escpos_quirks_apply(escpos_quirks_lookup(0x0416, 0x5011), job, len, &want,
					     &want_len),
			 0);
	pthread_mutex_lock(&m->lock);
	assert_int_equal(m->rec_len, want_len);
	assert_memory_equal(m->rec, want, want_len);
	pthread_mutex_unlock(&m->lock);
	free(want);
	cairo_surface_destroy(img);
	free(job);
	receipt_printer_free(p);
}

/* The device leaves the bus while its node still answers (the kernel
 * has not failed our handle yet): only the hotplug "left" event can tell
 * the driver, which then drops the handle instead of printing into it. */
static void test_hotplug_left(void **state)
{
	struct mock *m = *state;
	struct receipt_printer *p = open_printer("usb://0416:5011?timeout_ms=1000");
	unsigned flags = 0xdead;
	int64_t t0;
	int r;

	assert_int_equal(p->ops->get_status(p, &flags), 0);
	leave_bus(m);
	t0 = now_ms();
	while ((r = p->ops->get_status(p, &flags)) == 0 && now_ms() - t0 < 5000)
		usleep(10000);
	assert_int_equal(r, -ENODEV);
	plug(m);
	t0 = now_ms();
	while ((r = p->ops->get_status(p, &flags)) == -ENODEV && now_ms() - t0 < 5000)
		usleep(10000);
	assert_int_equal(r, 0);
	assert_int_equal(flags, 0);
	receipt_printer_free(p);
}

/* usblp holds the interface: the driver takes it over for the job and
 * the kernel gets it back when the printer is closed. */
static void test_usblp_detach(void **state)
{
	struct mock *m = *state;
	struct receipt_printer *p = open_printer("usb://0416:5011?timeout_ms=2000");

	pthread_mutex_lock(&m->lock);
	m->usblp_bound = true;
	pthread_mutex_unlock(&m->lock);
	assert_int_equal(p->ops->write_job(p, (const uint8_t *)"\x1b\x40\x0a", 3), 0);
	pthread_mutex_lock(&m->lock);
	assert_false(m->usblp_bound);
	assert_int_equal(m->detaches, 1);
	assert_int_equal(m->rec_len, 3);
	pthread_mutex_unlock(&m->lock);
	receipt_printer_free(p);
	pthread_mutex_lock(&m->lock);
	assert_true(m->usblp_bound);
	pthread_mutex_unlock(&m->lock);
}

static void test_not_found(void **state)
{
	struct receipt_printer *p = open_printer("usb://04b8:0202?timeout_ms=500");
	unsigned flags = 0xdead;

	(void)state;
	assert_int_equal(p->ops->get_status(p, &flags), -ENODEV);
	assert_int_equal(p->ops->write_job(p, (const uint8_t *)"\x1b\x40", 2), -ENODEV);
	receipt_printer_free(p);
}

/* "usb://" finds the printer by its interface class. */
static void test_by_class(void **state)
{
	struct mock *m = *state;
	struct receipt_printer *p = open_printer("usb://");

	assert_int_equal(p->ops->write_job(p, (const uint8_t *)"\x1b\x40\x1b\x64\x03", 5), 0);
	pthread_mutex_lock(&m->lock);
	assert_int_equal(m->rec_len, 5);
	assert_memory_equal(m->rec, "\x1b\x40\x1b\x64\x03", 5);
	pthread_mutex_unlock(&m->lock);
	receipt_printer_free(p);
}

static const char *section_verdict(json_t *report, const char *name)
{
	return json_string_value(json_object_get(
		json_object_get(json_object_get(report, "sections"), name), "verdict"));
}

/* The "status" list of the receipt printer section, comma-joined. */
static void receipt_status(json_t *report, char *buf, size_t size)
{
	json_t *list = json_object_get(
		json_object_get(json_object_get(report, "sections"), "receipt_printer"), "status");
	json_t *v;
	size_t i, o = 0;

	buf[0] = '\0';
	json_array_foreach(list, i, v)
	{
		o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? "," : "",
				      json_string_value(v));
	}
}

/* `station diag` (diag_run) sees the emulated printer in the USB tree,
 * its paper end (failed), paper back (ok: healed) and its unplugging. */
static void test_diag(void **state)
{
	struct mock *m = *state;
	struct station_config *cfg = calloc(1, sizeof(*cfg));
	const struct diag_options opt = {.config_path = "umockdev.conf", .config = cfg};
	char dir[] = "/tmp/umockdev-diag.XXXXXX", status[128];
	enum diag_verdict v;
	json_t *report = NULL, *dev, *devices;
	bool seen = false;
	size_t i;

	assert_non_null(cfg);
	assert_non_null(mkdtemp(dir));
	config_defaults(cfg);
	snprintf(cfg->station_id, sizeof(cfg->station_id), "diag-usb");
	snprintf(cfg->state_dir, sizeof(cfg->state_dir), "%s", dir);
	snprintf(cfg->receipt_printer, sizeof(cfg->receipt_printer),
		 "usb://0416:5011?timeout_ms=2000");
	snprintf(cfg->document_printer, sizeof(cfg->document_printer), "sim:%s/d", dir);
	setenv("PCSCLITE_CSOCK_NAME", "/nonexistent/pcscd.comm", 1);

	assert_int_equal(diag_run(&opt, &report, &v), 0);
	assert_int_equal(v, DIAG_OK);
	assert_string_equal(section_verdict(report, "usb"), "ok");
	assert_string_equal(section_verdict(report, "receipt_printer"), "ok");
	devices = json_object_get(json_object_get(json_object_get(report, "sections"), "usb"),
				  "devices");
	json_array_foreach(devices, i, dev)
	{
		if (strcmp(json_string_value(json_object_get(dev, "id")), "0416:5011") != 0)
			continue;
		seen = true;
		assert_true(json_is_true(json_object_get(dev, "printer")));
		assert_string_equal(json_string_value(json_object_get(dev, "bus_path")), "1-1");
		assert_string_equal(json_string_value(json_object_get(dev, "speed")), "full");
	}
	assert_true(seen);
	json_decref(report);

	/* Paper end. */
	pthread_mutex_lock(&m->lock);
	m->answer[1] = 0x1a;
	m->answer[2] = 0x32;
	m->answer[4] = 0x72;
	pthread_mutex_unlock(&m->lock);
	assert_int_equal(diag_run(&opt, &report, &v), 0);
	assert_int_equal(v, DIAG_FAILED);
	assert_int_equal(diag_verdict_to_exit_code(v), 2);
	assert_string_equal(section_verdict(report, "receipt_printer"), "failed");
	receipt_status(report, status, sizeof(status));
	assert_string_equal(status, "offline,paper-end");
	json_decref(report);

	/* Paper back: ok. */
	pthread_mutex_lock(&m->lock);
	memset(m->answer, 0x12, sizeof(m->answer));
	pthread_mutex_unlock(&m->lock);
	assert_int_equal(diag_run(&opt, &report, &v), 0);
	assert_int_equal(v, DIAG_OK);
	json_decref(report);

	/* Unplugged: the USB tree and the printer both say so. */
	unplug(m);
	assert_int_equal(diag_run(&opt, &report, &v), 0);
	assert_int_equal(v, DIAG_FAILED);
	assert_string_equal(section_verdict(report, "usb"), "failed");
	assert_string_equal(section_verdict(report, "receipt_printer"), "failed");
	json_decref(report);
	free(cfg);
	snprintf(status, sizeof(status), "rm -rf '%s'", dir);
	assert_int_equal(system(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_job_byte_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_silent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unplug_mid_job, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hotplug_left, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usblp_detach, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_by_class, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag, setup, teardown),
	};

	const char *preload = getenv("LD_PRELOAD");

	if (!preload || !strstr(preload, "umockdev")) {
		fprintf(stderr, "run under umockdev-wrapper (LD_PRELOAD)\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
