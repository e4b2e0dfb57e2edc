/* SPDX-License-Identifier: MIT */
/*
 * A USB port reset of a device (libusb_reset_device()): a rung of the
 * recovery ladder (station/recovery.h) for a reader or printer whose
 * firmware stopped answering while it stays plugged in. The device
 * re-enumerates as if replugged; its drivers (pcscd's CCID driver, our
 * printer back end) open it again.
 *
 * Which devices: a VID:PID (from the receipt printer's usb:// URI), or
 * every device with an interface of a class (0x0B smart card readers,
 * 0x07 printers). Blocks (up to a few seconds): run it on a worker.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define USB_CLASS_PRINTER_    0x07
#define USB_CLASS_SMART_CARD_ 0x0B

struct usb_match {
	uint16_t vid, pid; /* both 0: by class */
	int iface_class;   /* -1: any */
};

/* A USB id as the URIs write it: exactly 4 hex digits. 0 or -EINVAL. */
int usb_parse_id(const char *s, size_t n, uint16_t *ret);

/* From a receipt printer URI: "usb://VID:PID[/SERIAL][?...]" (hex) or
 * "usb://" (printer class). 0, or -EINVAL (not usb:// or bad ids). */
int usb_match_from_uri(const char *uri, struct usb_match *ret_match);
/* Whether a device with these ids and interface classes matches. */
bool usb_match_device(const struct usb_match *m, uint16_t vid, uint16_t pid,
		      const uint8_t *iface_classes, size_t n_classes);
/* Resets every matching device. Returns how many were reset (>= 1),
 * -ENODEV when none matched, or libusb's error as -errno. */
int usb_reset_matching(const struct usb_match *m);
