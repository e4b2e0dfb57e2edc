/* SPDX-License-Identifier: MIT */
/*
 * Frame sources for the QR scanner: a V4L2 camera (camera-v4l2.c) or
 * image files (camera-files.c: PNG, JPEG, PGM, a directory of them, a Y4M
 * video). Every source hands out 8-bit gray frames (Y800): the luma is all
 * a QR decoder needs, and the cheapest thing to get from any format.
 *
 * A camera is used from one thread (its owner, usually the capture
 * thread of qr-source-camera.c); frames it returns stay valid until the
 * next read, stop or free. Never logs above debug, but for the V4L2
 * source's one info line per open: the size, format and rate the driver
 * granted (and what was asked).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Larger frames are refused by every source and parser (hostile files,
 * broken drivers): 16384 on a side, QR_DECODE_MAX_PIXELS in all. */
#define CAMERA_MAX_SIDE 16384

struct camera_frame {
	const uint8_t *gray; /* owned by the camera */
	int width, height, stride;
	int64_t timestamp_us; /* CLOCK_MONOTONIC */
	uint64_t sequence;
};

struct camera;

struct camera_ops {
	const char *name;
	int (*open)(struct camera *c);
	int (*start)(struct camera *c);
	void (*stop)(struct camera *c);
	/* Optional (NULL: poll by reading): an fd readable when a frame is
	 * there. */
	int (*get_fd)(struct camera *c);
	/* The newest frame; older queued ones are dropped. -EAGAIN: none
	 * yet; -ENODATA: the source ended (files); -ENODEV: device gone. */
	int (*read)(struct camera *c, struct camera_frame *ret_frame);
	void (*free_ctx)(void *ctx);
};

struct camera {
	const struct camera_ops *ops;
	void *ctx;
};

/* Dispatchers: 0 or negative errno (-EINVAL for NULL). Owner thread. */
int camera_open(struct camera *c);
int camera_start(struct camera *c);
void camera_stop(struct camera *c);
/* -EOPNOTSUPP when the source has no fd. */
int camera_get_fd(struct camera *c);
/* Does not block (files: reads the next frame from disk). */
int camera_read(struct camera *c, struct camera_frame *ret_frame);
/* Stops if needed and frees; accepts NULL, returns NULL. */
struct camera *camera_free(struct camera *c);

/* ---- V4L2 (camera-v4l2.c) ---------------------------------------------- */

struct camera_v4l2_params {
	const char *device; /* "/dev/video0" */
	int width, height;  /* wanted; the driver may pick the nearest */
	int fps;	    /* 0: the driver's default */
};

/* A camera on a V4L2 capture device (mmap streaming; GREY, YUYV or MJPEG,
 * in that order of preference). open() may fail with the device's errno;
 * read() returns -ENODEV once the device vanished, after which the caller
 * reopens (qr-source-camera.c does it with backoff). Returns 0, -EINVAL,
 * -ENOMEM. Does not touch the device until open(). */
int camera_v4l2_new(const struct camera_v4l2_params *p, struct camera **ret_camera);

/* What the driver granted (it may pick the nearest size and rate it has). */
struct camera_v4l2_format {
	uint32_t pixfmt; /* V4L2 fourcc: GREY, YUYV or MJPG */
	int width, height;
	int bytesperline;	   /* GREY, YUYV: at least a row's bytes */
	uint32_t fps_num, fps_den; /* frames a second = num / den; 0: unknown */
};

/* The format of the open device: 0, -EINVAL (not a V4L2 camera),
 * -ENOTCONN (not open). Owner thread. */
int camera_v4l2_get_format(struct camera *c, struct camera_v4l2_format *ret_format);

/* Negotiation helpers, pure, exported for the tests. */

/* The driver's answer to VIDIOC_S_FMT asked for asked_pixfmt (the fields
 * of struct v4l2_pix_format) into *ret_format (rate left unknown); a
 * bytesperline smaller than a row (drivers that leave it 0) is raised to
 * it. -EINVAL: another format, or a size of 0 or above CAMERA_MAX_SIDE. */
int camera_v4l2_granted_format(uint32_t asked_pixfmt, uint32_t pixfmt, uint32_t width,
			       uint32_t height, uint32_t bytesperline,
			       struct camera_v4l2_format *ret_format);
/* The frame interval VIDIOC_S_PARM / G_PARM gave (seconds = num / den)
 * as a rate into f; 0 in either: unknown. */
void camera_v4l2_granted_rate(uint32_t interval_num, uint32_t interval_den,
			      struct camera_v4l2_format *f);
/* One line for the log: what was granted and, after it, what was asked,
 * e.g. "640x480 YUYV at 30 fps (asked 1280x720 at 30 fps)". Returns
 * snprintf's count. */
int camera_v4l2_format_describe(const struct camera_v4l2_params *want,
				const struct camera_v4l2_format *got, char *buf, size_t size);

/* Conversions, exported for the tests. YUYV (Y0 U Y1 V): the luma bytes.
 * src_stride >= 2 * width. dst holds width * height bytes. 0 or -EINVAL. */
int camera_yuyv_to_gray(const uint8_t *src, int width, int height, int src_stride, uint8_t *dst);
/* An MJPEG/JPEG buffer to gray: the size comes from the JPEG header and
 * must be width x height when those are > 0 (a camera frame), otherwise
 * any size up to the limits (a file). *ret_gray is malloc'd, caller frees.
 * 0, -EINVAL (not a JPEG, truncated), -EFBIG, -ENOMEM. */
int camera_jpeg_to_gray(const uint8_t *buf, size_t len, int width, int height, uint8_t **ret_gray,
			int *ret_width, int *ret_height);

/* A sentence for a camera_open() error: -EOPNOTSUPP names the formats the
 * sources take; others are strerror()'s. Static storage. */
const char *camera_strerror(int error);

/* ---- files (camera-files.c) -------------------------------------------- */

/* path: one image (PNG, JPEG, PGM: a one-frame source), a directory (its
 * image files in name order) or a Y4M video. Frames come one per read;
 * -ENODATA after the last. 0, -ENOENT, -EINVAL, -ENOMEM. The file is
 * looked at by open(): -EOPNOTSUPP then for a Y4M of more than 8 bits. */
int camera_files_new(const char *path, struct camera **ret_camera);
/* Plays the files again from the first frame when they run out (a
 * stand-in camera that never ends: the demo's preview, tests). Before
 * open. 0 or -EINVAL (not a files camera). */
int camera_files_set_loop(struct camera *c, bool loop);

/* Loads one image file (PNG, JPEG or PGM, by content) as gray. *ret_gray
 * malloc'd, caller frees. 0, -ENOENT, -EACCES, -EIO (unreadable or not an
 * image), -EFBIG (too large), -ENOMEM. Any thread; blocks on the disk. */
int camera_load_image(const char *path, uint8_t **ret_gray, int *ret_width, int *ret_height);

/* Parsers, pure, exported for the tests and the fuzz targets. */

/* PGM (P5, 8 or 16 bits; P2 too) in buf. 0 with a malloc'd gray image,
 * or -EINVAL (malformed, truncated), -EFBIG, -ENOMEM. */
int camera_pgm_parse(const uint8_t *buf, size_t len, uint8_t **ret_gray, int *ret_width,
		     int *ret_height);

struct camera_y4m_info {
	int width, height;
	int fps_num, fps_den;
	size_t frame_size;  /* luma + chroma bytes of one frame */
	size_t header_size; /* bytes of the stream header, with its '\n' */
};

/* The stream header "YUV4MPEG2 W.. H.. [F..] [C..] ...\n" at the start of
 * buf. Colour spaces: 420 (and its jpeg, paldv, mpeg2 sitings), 422, 444,
 * mono: 8 bits a sample. 0, -EAGAIN (no '\n' yet in a buffer shorter than
 * the 1024 bytes a header may take), -EOPNOTSUPP (a colour space of more
 * than 8 bits, e.g. C420p10 or Cmono16, or 411 / 444alpha: refused, not
 * misread), -EINVAL (malformed, unknown colour space), -EFBIG. */
int camera_y4m_parse_header(const uint8_t *buf, size_t len, struct camera_y4m_info *ret_info);
/* A "FRAME[ params]\n" line at buf: its length with the '\n', or -EINVAL
 * / -EAGAIN (incomplete). */
int camera_y4m_frame_header(const uint8_t *buf, size_t len);
