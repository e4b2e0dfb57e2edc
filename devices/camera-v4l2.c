/* SPDX-License-Identifier: MIT */
/*
 * V4L2 capture (camera.h): mmap streaming with a few buffers; GREY and
 * YUYV give their luma directly, MJPEG is decoded to gray by
 * libjpeg-turbo (the chroma is never decoded: a third of the work).
 *
 * read() drains every filled buffer and keeps only the newest one: the
 * decoder must see what is in front of the camera now, not a backlog.
 * A vanished device (ENODEV, EIO from the driver) turns into -ENODEV;
 * the owner then frees or reopens (open() again closes what was left).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/videodev2.h>
#include <turbojpeg.h>

#include "camera.h"
#include "log.h"
#include "qr-decode.h"

#define N_BUFFERS 4

struct mapping {
	void *start;
	size_t length;
};

struct v4l2 {
	char device[PATH_MAX];
	int want_width, want_height, want_fps;

	int fd;
	bool streaming;
	struct camera_v4l2_format format; /* granted; valid while fd >= 0 */
	unsigned n_buffers;
	struct mapping buffers[N_BUFFERS];

	uint8_t *gray; /* the frame handed out */
	uint64_t sequence;
	tjhandle tj;
};

static int xioctl(int fd, unsigned long req, void *arg)
{
	int r;

	do
		r = ioctl(fd, req, arg);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r;
}

/* Errors of a device that went away look like these. */
static int gone(int r)
{
	return r == -ENODEV || r == -EIO || r == -ENXIO ? -ENODEV : r;
}

int camera_yuyv_to_gray(const uint8_t *src, int width, int height, int src_stride, uint8_t *dst)
{
	if (!src || !dst || width <= 0 || height <= 0 || width > CAMERA_MAX_SIDE ||
	    height > CAMERA_MAX_SIDE || src_stride < 2 * width)
		return -EINVAL;
	for (int y = 0; y < height; y++) {
		const uint8_t *s = src + (size_t)y * (size_t)src_stride;
		uint8_t *d = dst + (size_t)y * (size_t)width;

		for (int x = 0; x < width; x++)
			d[x] = s[2 * x];
	}
	return 0;
}

static int jpeg_to_gray_with(tjhandle tj, const uint8_t *buf, size_t len, int width, int height,
			     uint8_t **ret_gray, int *ret_width, int *ret_height)
{
	/* Set before the call: libjpeg-turbo 2.1 returns success without
	 * writing them on a header cut short ("premature end"). */
	int w = 0, h = 0, subsamp = 0, colorspace = 0;
	uint8_t *gray;

	if (!buf || len < 4 || len > ULONG_MAX || !ret_gray || !ret_width || !ret_height)
		return -EINVAL;
	/* SOI first: no need to let the library look at anything else. */
	if (buf[0] != 0xff || buf[1] != 0xd8)
		return -EINVAL;
	if (tjDecompressHeader3(tj, buf, (unsigned long)len, &w, &h, &subsamp, &colorspace) < 0)
		return -EINVAL;
	if (w <= 0 || h <= 0)
		return -EINVAL;
	if (w > CAMERA_MAX_SIDE || h > CAMERA_MAX_SIDE ||
	    (size_t)w * (size_t)h > QR_DECODE_MAX_PIXELS)
		return -EFBIG;
	if (width > 0 && height > 0 && (w != width || h != height))
		return -EINVAL;
	gray = malloc((size_t)w * (size_t)h);
	if (!gray)
		return -ENOMEM;
	/* A truncated JPEG decodes with a warning (grey bottom rows); only
	 * errors are fatal. TJFLAG_STOPONWARNING would refuse camera frames
	 * that merely lack an EOI, which some webcams send. */
	if (tjDecompress2(tj, buf, (unsigned long)len, gray, w, w, h, TJPF_GRAY, 0) < 0 &&
	    tjGetErrorCode(tj) == TJERR_FATAL) {
		free(gray);
		return -EINVAL;
	}
	*ret_gray = gray;
	*ret_width = w;
	*ret_height = h;
	return 0;
}

int camera_jpeg_to_gray(const uint8_t *buf, size_t len, int width, int height, uint8_t **ret_gray,
			int *ret_width, int *ret_height)
{
	tjhandle tj = tjInitDecompress();
	int r;

	if (!tj)
		return -ENOMEM;
	r = jpeg_to_gray_with(tj, buf, len, width, height, ret_gray, ret_width, ret_height);
	tjDestroy(tj);
	return r;
}

static void unmap_all(struct v4l2 *v)
{
	for (unsigned i = 0; i < v->n_buffers; i++)
		if (v->buffers[i].start && v->buffers[i].start != MAP_FAILED)
			munmap(v->buffers[i].start, v->buffers[i].length);
	memset(v->buffers, 0, sizeof(v->buffers));
	v->n_buffers = 0;
}

static void close_device(struct v4l2 *v)
{
	if (v->fd >= 0) {
		if (v->streaming) {
			enum v4l2_buf_type t = V4L2_BUF_TYPE_VIDEO_CAPTURE;
			(void)xioctl(v->fd, VIDIOC_STREAMOFF, &t);
		}
		unmap_all(v);
		if (v->n_buffers == 0) {
			struct v4l2_requestbuffers req = {.type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
							  .memory = V4L2_MEMORY_MMAP};
			(void)xioctl(v->fd, VIDIOC_REQBUFS, &req);
		}
		close(v->fd);
	}
	v->fd = -1;
	v->streaming = false;
	free(v->gray);
	v->gray = NULL;
}

int camera_v4l2_granted_format(uint32_t asked_pixfmt, uint32_t pixfmt, uint32_t width,
			       uint32_t height, uint32_t bytesperline,
			       struct camera_v4l2_format *ret_format)
{
	uint32_t row;

	if (!ret_format || pixfmt != asked_pixfmt || width == 0 || height == 0 ||
	    width > CAMERA_MAX_SIDE || height > CAMERA_MAX_SIDE)
		return -EINVAL;
	row = pixfmt == V4L2_PIX_FMT_YUYV ? 2 * width : width;
	if (pixfmt == V4L2_PIX_FMT_MJPEG || bytesperline < row || bytesperline > INT_MAX)
		bytesperline = row;
	*ret_format = (struct camera_v4l2_format){
		.pixfmt = pixfmt,
		.width = (int)width,
		.height = (int)height,
		.bytesperline = (int)bytesperline,
	};
	return 0;
}

void camera_v4l2_granted_rate(uint32_t interval_num, uint32_t interval_den,
			      struct camera_v4l2_format *f)
{
	if (!f)
		return;
	if (interval_num == 0 || interval_den == 0) {
		f->fps_num = f->fps_den = 0;
		return;
	}
	f->fps_num = interval_den;
	f->fps_den = interval_num;
}

/* "30", "29.97", "7.5": the rate with at most two decimals. */
static void format_rate(uint32_t num, uint32_t den, char *buf, size_t size)
{
	uint64_t centi = ((uint64_t)num * 100 + den / 2) / den;

	if (centi % 100 == 0)
		snprintf(buf, size, "%llu", (unsigned long long)(centi / 100));
	else if (centi % 10 == 0)
		snprintf(buf, size, "%llu.%llu", (unsigned long long)(centi / 100),
			 (unsigned long long)(centi % 100 / 10));
	else
		snprintf(buf, size, "%llu.%02llu", (unsigned long long)(centi / 100),
			 (unsigned long long)(centi % 100));
}

int camera_v4l2_format_describe(const struct camera_v4l2_params *want,
				const struct camera_v4l2_format *got, char *buf, size_t size)
{
	char fourcc[5], rate[32], asked_rate[32];

	if (!want || !got || !buf)
		return -EINVAL;
	for (int i = 0; i < 4; i++) {
		char ch = (char)((got->pixfmt >> (8 * i)) & 0xff);
		fourcc[i] = ch > ' ' && ch < 0x7f ? ch : '?';
	}
	fourcc[4] = '\0';
	if (got->fps_num > 0 && got->fps_den > 0) {
		char r[24];
		format_rate(got->fps_num, got->fps_den, r, sizeof(r));
		snprintf(rate, sizeof(rate), "at %s fps", r);
	} else {
		snprintf(rate, sizeof(rate), "at an unknown rate");
	}
	if (want->fps > 0)
		snprintf(asked_rate, sizeof(asked_rate), "at %d fps", want->fps);
	else
		snprintf(asked_rate, sizeof(asked_rate), "at the camera's rate");
	return snprintf(buf, size, "%dx%d %s %s (asked %dx%d %s)", got->width, got->height, fourcc,
			rate, want->width > 0 ? want->width : 1280,
			want->height > 0 ? want->height : 720, asked_rate);
}

static int try_format(struct v4l2 *v, uint32_t pixfmt)
{
	struct v4l2_format f = {.type = V4L2_BUF_TYPE_VIDEO_CAPTURE};
	int r;

	f.fmt.pix.width = (uint32_t)v->want_width;
	f.fmt.pix.height = (uint32_t)v->want_height;
	f.fmt.pix.pixelformat = pixfmt;
	f.fmt.pix.field = V4L2_FIELD_NONE;
	r = xioctl(v->fd, VIDIOC_S_FMT, &f);
	if (r < 0)
		return r;
	return camera_v4l2_granted_format(pixfmt, f.fmt.pix.pixelformat, f.fmt.pix.width,
					  f.fmt.pix.height, f.fmt.pix.bytesperline, &v->format);
}

/* Asks for want_fps when the driver can set a rate (V4L2_CAP_TIMEPERFRAME)
 * and reads back what it runs at; best effort: many cameras have one rate
 * per size. */
static void set_rate(struct v4l2 *v)
{
	struct v4l2_streamparm parm = {.type = V4L2_BUF_TYPE_VIDEO_CAPTURE};
	int r;

	r = xioctl(v->fd, VIDIOC_G_PARM, &parm);
	if (r == 0 && v->want_fps > 0 && (parm.parm.capture.capability & V4L2_CAP_TIMEPERFRAME)) {
		struct v4l2_streamparm want = {.type = V4L2_BUF_TYPE_VIDEO_CAPTURE};

		want.parm.capture.timeperframe.numerator = 1;
		want.parm.capture.timeperframe.denominator = (uint32_t)v->want_fps;
		if (xioctl(v->fd, VIDIOC_S_PARM, &want) == 0)
			parm = want;
	}
	if (r == 0)
		camera_v4l2_granted_rate(parm.parm.capture.timeperframe.numerator,
					 parm.parm.capture.timeperframe.denominator, &v->format);
	else
		camera_v4l2_granted_rate(0, 0, &v->format);
}

static int v4l2_open(struct camera *c)
{
	static const uint32_t prefs[] = {V4L2_PIX_FMT_GREY, V4L2_PIX_FMT_YUYV, V4L2_PIX_FMT_MJPEG};
	struct v4l2 *v = c->ctx;
	struct v4l2_capability cap = {0};
	struct v4l2_requestbuffers req = {0};
	int r = -EINVAL;

	close_device(v);
	v->fd = open(v->device, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (v->fd < 0)
		return -errno;
	r = xioctl(v->fd, VIDIOC_QUERYCAP, &cap);
	if (r < 0)
		goto fail;
	if (!(cap.capabilities & V4L2_CAP_VIDEO_CAPTURE) ||
	    !(cap.capabilities & V4L2_CAP_STREAMING)) {
		r = -ENODEV;
		goto fail;
	}
	for (size_t i = 0; i < sizeof(prefs) / sizeof(prefs[0]); i++) {
		r = try_format(v, prefs[i]);
		if (r == 0)
			break;
	}
	if (r < 0) {
		r = -EOPNOTSUPP;
		goto fail;
	}
	set_rate(v);
	{
		struct camera_v4l2_params want = {
			.width = v->want_width, .height = v->want_height, .fps = v->want_fps};
		char desc[160];

		camera_v4l2_format_describe(&want, &v->format, desc, sizeof(desc));
		log_info("camera %s: %s", v->device, desc);
	}

	req.count = N_BUFFERS;
	req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	req.memory = V4L2_MEMORY_MMAP;
	r = xioctl(v->fd, VIDIOC_REQBUFS, &req);
	if (r < 0)
		goto fail;
	if (req.count < 2) {
		r = -ENOMEM;
		goto fail;
	}
	v->n_buffers = req.count < N_BUFFERS ? req.count : N_BUFFERS;
	for (unsigned i = 0; i < v->n_buffers; i++) {
		struct v4l2_buffer b = {.type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
					.memory = V4L2_MEMORY_MMAP,
					.index = i};

		r = xioctl(v->fd, VIDIOC_QUERYBUF, &b);
		if (r < 0)
			goto fail;
		v->buffers[i].length = b.length;
		v->buffers[i].start =
			mmap(NULL, b.length, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, b.m.offset);
		if (v->buffers[i].start == MAP_FAILED) {
			r = -errno;
			v->buffers[i].start = NULL;
			goto fail;
		}
	}
	v->gray = malloc((size_t)v->format.width * (size_t)v->format.height);
	if (!v->gray) {
		r = -ENOMEM;
		goto fail;
	}
	return 0;
fail:
	close_device(v);
	return gone(r);
}

static int v4l2_start(struct camera *c)
{
	struct v4l2 *v = c->ctx;
	enum v4l2_buf_type t = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	int r;

	if (v->fd < 0)
		return -EBADF;
	if (v->streaming)
		return 0;
	for (unsigned i = 0; i < v->n_buffers; i++) {
		struct v4l2_buffer b = {.type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
					.memory = V4L2_MEMORY_MMAP,
					.index = i};

		r = xioctl(v->fd, VIDIOC_QBUF, &b);
		if (r < 0)
			return gone(r);
	}
	r = xioctl(v->fd, VIDIOC_STREAMON, &t);
	if (r < 0)
		return gone(r);
	v->streaming = true;
	return 0;
}

static void v4l2_stop(struct camera *c)
{
	struct v4l2 *v = c->ctx;

	close_device(v);
}

static int v4l2_get_fd(struct camera *c)
{
	struct v4l2 *v = c->ctx;

	return v->fd >= 0 ? v->fd : -EBADF;
}

static int convert(struct v4l2 *v, const uint8_t *data, size_t used)
{
	switch (v->format.pixfmt) {
	case V4L2_PIX_FMT_GREY:
		if (used < (size_t)v->format.bytesperline * (size_t)(v->format.height - 1) +
				   (size_t)v->format.width)
			return -EAGAIN; /* short frame: skip it */
		for (int y = 0; y < v->format.height; y++)
			memcpy(v->gray + (size_t)y * (size_t)v->format.width,
			       data + (size_t)y * (size_t)v->format.bytesperline,
			       (size_t)v->format.width);
		return 0;
	case V4L2_PIX_FMT_YUYV:
		if (used < (size_t)v->format.bytesperline * (size_t)(v->format.height - 1) +
				   2 * (size_t)v->format.width)
			return -EAGAIN;
		return camera_yuyv_to_gray(data, v->format.width, v->format.height,
					   v->format.bytesperline, v->gray);
	case V4L2_PIX_FMT_MJPEG: {
		uint8_t *g = NULL;
		int w, h, r;

		r = jpeg_to_gray_with(v->tj, data, used, v->format.width, v->format.height, &g, &w,
				      &h);
		if (r < 0)
			return r == -ENOMEM ? r : -EAGAIN; /* a corrupt frame: skip */
		memcpy(v->gray, g, (size_t)w * (size_t)h);
		free(g);
		return 0;
	}
	default:
		return -EINVAL;
	}
}

static int v4l2_read(struct camera *c, struct camera_frame *ret_frame)
{
	struct v4l2 *v = c->ctx;
	struct v4l2_buffer newest = {0};
	bool have = false;
	int r;

	if (v->fd < 0 || !v->streaming)
		return -ENODEV;
	/* Dequeue everything filled; give back all but the newest. */
	for (;;) {
		struct v4l2_buffer b = {.type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
					.memory = V4L2_MEMORY_MMAP};

		r = xioctl(v->fd, VIDIOC_DQBUF, &b);
		if (r == -EAGAIN)
			break;
		if (r < 0)
			return gone(r);
		if (b.index >= v->n_buffers)
			return -EIO;
		if (have) {
			r = xioctl(v->fd, VIDIOC_QBUF, &newest);
			if (r < 0)
				return gone(r);
		}
		newest = b;
		have = true;
	}
	if (!have)
		return -EAGAIN;
	if (newest.flags & V4L2_BUF_FLAG_ERROR)
		r = -EAGAIN;
	else
		r = convert(v, v->buffers[newest.index].start,
			    newest.bytesused <= v->buffers[newest.index].length
				    ? newest.bytesused
				    : v->buffers[newest.index].length);
	{
		int q = xioctl(v->fd, VIDIOC_QBUF, &newest);
		if (q < 0)
			return gone(q);
	}
	if (r < 0)
		return r;
	*ret_frame = (struct camera_frame){
		.gray = v->gray,
		.width = v->format.width,
		.height = v->format.height,
		.stride = v->format.width,
		.timestamp_us =
			(int64_t)newest.timestamp.tv_sec * 1000000 + newest.timestamp.tv_usec,
		.sequence = ++v->sequence,
	};
	return 0;
}

static void v4l2_free_ctx(void *ctx)
{
	struct v4l2 *v = ctx;

	if (!v)
		return;
	close_device(v);
	if (v->tj)
		tjDestroy(v->tj);
	free(v);
}

static const struct camera_ops v4l2_ops = {
	.name = "v4l2",
	.open = v4l2_open,
	.start = v4l2_start,
	.stop = v4l2_stop,
	.get_fd = v4l2_get_fd,
	.read = v4l2_read,
	.free_ctx = v4l2_free_ctx,
};

int camera_v4l2_new(const struct camera_v4l2_params *p, struct camera **ret_camera)
{
	struct camera *c;
	struct v4l2 *v;
	size_t n;

	if (!p || !p->device || !ret_camera || p->width < 0 || p->height < 0 || p->fps < 0 ||
	    p->width > CAMERA_MAX_SIDE || p->height > CAMERA_MAX_SIDE)
		return -EINVAL;
	n = strlen(p->device);
	if (n == 0 || n >= PATH_MAX)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	v = calloc(1, sizeof(*v));
	if (!c || !v) {
		free(c);
		free(v);
		return -ENOMEM;
	}
	v->tj = tjInitDecompress();
	if (!v->tj) {
		free(c);
		free(v);
		return -ENOMEM;
	}
	memcpy(v->device, p->device, n + 1);
	v->want_width = p->width > 0 ? p->width : 1280;
	v->want_height = p->height > 0 ? p->height : 720;
	v->want_fps = p->fps;
	v->fd = -1;
	*c = (struct camera){.ops = &v4l2_ops, .ctx = v};
	*ret_camera = c;
	return 0;
}

int camera_v4l2_get_format(struct camera *c, struct camera_v4l2_format *ret_format)
{
	struct v4l2 *v;

	if (!c || !ret_format || c->ops != &v4l2_ops)
		return -EINVAL;
	v = c->ctx;
	if (v->fd < 0)
		return -ENOTCONN;
	*ret_format = v->format;
	return 0;
}
