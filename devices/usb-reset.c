/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libusb.h>

#include "log.h"
#include "usb-reset.h"

int usb_parse_id(const char *s, size_t n, uint16_t *ret)
{
	unsigned v = 0;

	if (n != 4)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return -EINVAL;
		v = v * 16 + d;
	}
	*ret = (uint16_t)v;
	return 0;
}

int usb_match_from_uri(const char *uri, struct usb_match *ret_match)
{
	const char *t, *colon, *end;

	if (!uri || !ret_match || strncmp(uri, "usb://", 6) != 0)
		return -EINVAL;
	t = uri + 6;
	end = t + strcspn(t, "/?");
	if (end == t) {
		*ret_match = (struct usb_match){.iface_class = USB_CLASS_PRINTER_};
		return 0;
	}
	colon = memchr(t, ':', (size_t)(end - t));
	if (!colon)
		return -EINVAL;
	*ret_match = (struct usb_match){.iface_class = -1};
	if (usb_parse_id(t, (size_t)(colon - t), &ret_match->vid) < 0 ||
	    usb_parse_id(colon + 1, (size_t)(end - colon - 1), &ret_match->pid) < 0)
		return -EINVAL;
	return 0;
}

bool usb_match_device(const struct usb_match *m, uint16_t vid, uint16_t pid,
		      const uint8_t *iface_classes, size_t n_classes)
{
	if ((m->vid || m->pid) && (vid != m->vid || pid != m->pid))
		return false;
	if (m->iface_class < 0)
		return true;
	for (size_t i = 0; i < n_classes; i++)
		if (iface_classes[i] == m->iface_class)
			return true;
	return false;
}

/* The interface classes of a device's active (or first) configuration. */
static size_t iface_classes(libusb_device *dev, const struct libusb_device_descriptor *d,
			    uint8_t *out, size_t max)
{
	struct libusb_config_descriptor *cfg = NULL;
	size_t n = 0;

	if (d->bDeviceClass && n < max)
		out[n++] = d->bDeviceClass;
	if (libusb_get_active_config_descriptor(dev, &cfg) != 0 &&
	    libusb_get_config_descriptor(dev, 0, &cfg) != 0)
		return n;
	for (int i = 0; i < cfg->bNumInterfaces && n < max; i++)
		if (cfg->interface[i].num_altsetting > 0)
			out[n++] = cfg->interface[i].altsetting[0].bInterfaceClass;
	libusb_free_config_descriptor(cfg);
	return n;
}

static int errno_of(int e)
{
	switch (e) {
	case LIBUSB_ERROR_ACCESS:
		return -EACCES;
	case LIBUSB_ERROR_NO_DEVICE:
	case LIBUSB_ERROR_NOT_FOUND:
		return -ENODEV;
	case LIBUSB_ERROR_BUSY:
		return -EBUSY;
	case LIBUSB_ERROR_NO_MEM:
		return -ENOMEM;
	default:
		return -EIO;
	}
}

int usb_reset_matching(const struct usb_match *m)
{
	libusb_context *ctx = NULL;
	libusb_device **list = NULL;
	ssize_t n;
	int done = 0, err = 0, r;

	if (!m)
		return -EINVAL;
	r = libusb_init(&ctx);
	if (r < 0)
		return errno_of(r);
	n = libusb_get_device_list(ctx, &list);
	for (ssize_t i = 0; i < n; i++) {
		struct libusb_device_descriptor d;
		libusb_device_handle *h = NULL;
		uint8_t classes[33];
		size_t nc;

		if (libusb_get_device_descriptor(list[i], &d) != 0)
			continue;
		nc = iface_classes(list[i], &d, classes, sizeof(classes));
		if (!usb_match_device(m, d.idVendor, d.idProduct, classes, nc))
			continue;
		r = libusb_open(list[i], &h);
		if (r == 0) {
			r = libusb_reset_device(h);
			libusb_close(h);
		}
		/* NOT_FOUND after a reset: it re-enumerated, as wanted. */
		if (r == 0 || r == LIBUSB_ERROR_NOT_FOUND) {
			done++;
			log_info("usb: reset %04x:%04x", d.idVendor, d.idProduct);
		} else {
			err = errno_of(r);
			log_warning("usb: cannot reset %04x:%04x: %s", d.idVendor, d.idProduct,
				    libusb_strerror((enum libusb_error)r));
		}
	}
	if (n >= 0)
		libusb_free_device_list(list, 1);
	libusb_exit(ctx);
	if (done)
		return done;
	return err ? err : -ENODEV;
}
