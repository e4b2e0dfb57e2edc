/* SPDX-License-Identifier: MIT */
/*
 * Frame sources and the QR scanner: format conversions on buffers made
 * here (there is no camera on the test machines), the PGM and Y4M parsers
 * with hostile inputs, the files source, the scanner's passes, region of
 * interest, newest-frame-wins and debounce, and the camera QR source.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/videodev2.h>
#include <qrencode.h>
#include <sodium.h>
#include <turbojpeg.h>

#include "camera.h"
#include "demo-data.h"
#include "qr-finder.h"
#include "qr-scanner.h"
#include "qr-source-camera.h"
#include "qr-source.h"
#include "queue.h"

/* ---- helpers --------------------------------------------------------------- */

/* A w x h gray frame of paper grey with a QR code of text at (x, y),
 * module px pixels, quiet zone white. Caller frees. */
static uint8_t *frame_with_code(int w, int h, const char *text, int x, int y, int px)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	uint8_t *g = malloc((size_t)w * (size_t)h);

	assert_non_null(q);
	assert_non_null(g);
	memset(g, 200, (size_t)w * (size_t)h);
	for (int my = -4; my < q->width + 4; my++)
		for (int mx = -4; mx < q->width + 4; mx++) {
			bool dark = mx >= 0 && my >= 0 && mx < q->width && my < q->width &&
				    (q->data[my * q->width + mx] & 1);
			for (int dy = 0; dy < px; dy++)
				for (int dx = 0; dx < px; dx++) {
					int yy = y + (my + 4) * px + dy,
					    xx = x + (mx + 4) * px + dx;

					if (xx >= 0 && yy >= 0 && xx < w && yy < h)
						g[(size_t)yy * (size_t)w + (size_t)xx] =
							dark ? 20 : 245;
				}
		}
	QRcode_free(q);
	return g;
}

static char tmpdir[512];

static int setup_tmp(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/test-camera-XXXXXX", TEST_BINARY_DIR);
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int teardown_tmp(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void path_in(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", tmpdir, name);
}

/* ---- conversions ------------------------------------------------------------ */

static void test_yuyv(void **state)
{
	/* 3x2 YUYV... width must be even in YUYV; a 4x2 frame with padding. */
	const int w = 4, h = 2, stride = 12;
	uint8_t src[24], dst[8];

	(void)state;
	for (int i = 0; i < 24; i++)
		src[i] = (uint8_t)(i * 7);
	assert_int_equal(camera_yuyv_to_gray(src, w, h, stride, dst), 0);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			assert_int_equal(dst[y * w + x], src[y * stride + 2 * x]);
	assert_int_equal(camera_yuyv_to_gray(src, w, h, 7, dst), -EINVAL);
	assert_int_equal(camera_yuyv_to_gray(src, 0, h, stride, dst), -EINVAL);
	assert_int_equal(camera_yuyv_to_gray(NULL, w, h, stride, dst), -EINVAL);
	assert_int_equal(
		camera_yuyv_to_gray(src, CAMERA_MAX_SIDE + 1, 1, 2 * (CAMERA_MAX_SIDE + 1), dst),
		-EINVAL);
}

/* A JPEG of a gradient, as an MJPEG camera would send. Caller tjFree()s. */
static uint8_t *make_jpeg(int w, int h, bool color, unsigned long *ret_len)
{
	tjhandle tj = tjInitCompress();
	uint8_t *px = malloc((size_t)w * (size_t)h * 3), *jpeg = NULL;
	unsigned long len = 0;

	assert_non_null(tj);
	assert_non_null(px);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			uint8_t v = (uint8_t)((x * 255) / (w - 1));

			px[(y * w + x) * 3 + 0] = v;
			px[(y * w + x) * 3 + 1] = v;
			px[(y * w + x) * 3 + 2] = v;
		}
	assert_int_equal(tjCompress2(tj, px, w, 0, h, TJPF_RGB, &jpeg, &len,
				     color ? TJSAMP_420 : TJSAMP_GRAY, 95, 0),
			 0);
	tjDestroy(tj);
	free(px);
	*ret_len = len;
	return jpeg;
}

static void test_jpeg(void **state)
{
	unsigned long len;
	uint8_t *gray = NULL;
	int w = 0, h = 0;

	(void)state;
	for (int color = 0; color < 2; color++) {
		uint8_t *jpeg = make_jpeg(64, 32, color, &len);

		assert_int_equal(camera_jpeg_to_gray(jpeg, len, 64, 32, &gray, &w, &h), 0);
		assert_int_equal(w, 64);
		assert_int_equal(h, 32);
		/* Gradient left to right, within JPEG's error. */
		assert_true(gray[16 * 64 + 0] < 12);
		assert_true(gray[16 * 64 + 63] > 243);
		assert_true(abs(gray[16 * 64 + 32] - 129) < 10);
		free(gray);
		/* A camera frame of the wrong size is refused. */
		assert_int_equal(camera_jpeg_to_gray(jpeg, len, 640, 480, &gray, &w, &h), -EINVAL);
		/* Truncated: a clean error or a (partly grey) frame. */
		for (unsigned long cut = 0; cut < len; cut += len / 13 + 1) {
			gray = NULL;
			int r = camera_jpeg_to_gray(jpeg, cut, 0, 0, &gray, &w, &h);

			assert_true(r == 0 || r == -EINVAL);
			if (r == 0) {
				assert_int_equal(w, 64);
				free(gray);
			}
		}
		tjFree(jpeg);
	}
	{
		static const uint8_t junk[] = {0xff, 0xd8, 0xff, 0xe0, 0, 0, 1, 2, 3};

		assert_int_equal(camera_jpeg_to_gray(junk, sizeof(junk), 0, 0, &gray, &w, &h),
				 -EINVAL);
		assert_int_equal(camera_jpeg_to_gray(junk, 0, 0, 0, &gray, &w, &h), -EINVAL);
		assert_int_equal(
			camera_jpeg_to_gray((const uint8_t *)"hello", 5, 0, 0, &gray, &w, &h),
			-EINVAL);
	}
}

/* ---- PGM ------------------------------------------------------------------------ */

static void test_pgm(void **state)
{
	static const uint8_t p5[] = "P5\n# a comment\n3 2\n255\n\x01\x02\x03\x04\x05\xff";
	static const uint8_t p2[] = "P2 2 2 15 0 15 7 3";
	static const uint8_t p16[] = "P5 2 1 65535\n\xff\xff\x80\x00";
	uint8_t *g = NULL;
	int w, h;

	(void)state;
	assert_int_equal(camera_pgm_parse(p5, sizeof(p5) - 1, &g, &w, &h), 0);
	assert_int_equal(w, 3);
	assert_int_equal(h, 2);
	assert_memory_equal(g, "\x01\x02\x03\x04\x05\xff", 6);
	free(g);
	assert_int_equal(camera_pgm_parse(p2, sizeof(p2) - 1, &g, &w, &h), 0);
	assert_int_equal(g[0], 0);
	assert_int_equal(g[1], 255);
	assert_int_equal(g[2], 119); /* 7 of 15 */
	free(g);
	assert_int_equal(camera_pgm_parse(p16, sizeof(p16) - 1, &g, &w, &h), 0);
	assert_int_equal(g[0], 255);
	assert_int_equal(g[1], 128);
	free(g);

	/* Hostile: truncated raster, zero size, giant size, junk. */
	g = NULL;
	assert_int_equal(camera_pgm_parse(p5, sizeof(p5) - 2, &g, &w, &h), -EINVAL);
	assert_int_equal(camera_pgm_parse((const uint8_t *)"P5 0 5 255\n", 11, &g, &w, &h),
			 -EINVAL);
	assert_int_equal(camera_pgm_parse((const uint8_t *)"P5 99999 99999 255\n", 19, &g, &w, &h),
			 -EFBIG);
	assert_int_equal(camera_pgm_parse((const uint8_t *)"P5 16384 16384 255\n", 19, &g, &w, &h),
			 -EFBIG);
	assert_int_equal(camera_pgm_parse((const uint8_t *)"P5 4 4 0\n", 9, &g, &w, &h), -EINVAL);
	assert_int_equal(camera_pgm_parse((const uint8_t *)"P5", 2, &g, &w, &h), -EINVAL);
	assert_int_equal(camera_pgm_parse((const uint8_t *)"P6 1 1 255\n\0\0\0", 14, &g, &w, &h),
			 -EINVAL);
	assert_int_equal(camera_pgm_parse((const uint8_t *)"P2 2 1 255 7", 12, &g, &w, &h),
			 -EINVAL);
	assert_null(g);
}

/* ---- Y4M ------------------------------------------------------------------------ */

static void test_y4m_header(void **state)
{
	static const char h420[] = "YUV4MPEG2 W6 H4 F30000:1001 Ip A1:1 C420jpeg XYSCSS=420\nFRAME";
	struct camera_y4m_info info;

	(void)state;
	assert_int_equal(camera_y4m_parse_header((const uint8_t *)h420, sizeof(h420) - 1, &info),
			 0);
	assert_int_equal(info.width, 6);
	assert_int_equal(info.height, 4);
	assert_int_equal(info.fps_num, 30000);
	assert_int_equal(info.fps_den, 1001);
	assert_int_equal(info.frame_size, 24 + 2 * 3 * 2);
	assert_int_equal(info.header_size, strchr(h420, '\n') - h420 + 1);

	assert_int_equal(
		camera_y4m_parse_header((const uint8_t *)"YUV4MPEG2 W5 H3 Cmono\n", 22, &info), 0);
	assert_int_equal(info.frame_size, 15);
	assert_int_equal(
		camera_y4m_parse_header((const uint8_t *)"YUV4MPEG2 H3 W5 C444\n", 21, &info), 0);
	assert_int_equal(info.frame_size, 45);
	assert_int_equal(
		camera_y4m_parse_header((const uint8_t *)"YUV4MPEG2 W5 H3 C422\n", 21, &info), 0);
	assert_int_equal(info.frame_size, 15 + 2 * 3 * 3);

	/* Incomplete, malformed, hostile. */
	assert_int_equal(camera_y4m_parse_header((const uint8_t *)"YUV4MP", 6, &info), -EAGAIN);
	assert_int_equal(camera_y4m_parse_header((const uint8_t *)"YUV4MPEG2 W5 H3", 15, &info),
			 -EAGAIN);
	assert_int_equal(camera_y4m_parse_header((const uint8_t *)"YUV4MPEG2 W5\n", 13, &info),
			 -EINVAL);
	assert_int_equal(camera_y4m_parse_header((const uint8_t *)"YUV4MPEG2 W0 H3\n", 16, &info),
			 -EINVAL);
	assert_int_equal(camera_y4m_parse_header((const uint8_t *)"YUV4MPEG2 Wx H3\n", 16, &info),
			 -EINVAL);
	assert_int_equal(
		camera_y4m_parse_header((const uint8_t *)"YUV4MPEG2 W99999999999 H3\n", 26, &info),
		-EINVAL);
	assert_int_equal(
		camera_y4m_parse_header((const uint8_t *)"YUV4MPEG2 W16384 H16384\n", 24, &info),
		-EFBIG);
	/* More than 8 bits a sample: refused as such, never read as 8-bit. */
	assert_int_equal(
		camera_y4m_parse_header((const uint8_t *)"YUV4MPEG2 W4 H4 C420p10\n", 24, &info),
		-EOPNOTSUPP);
	assert_int_equal(
		camera_y4m_parse_header((const uint8_t *)"YUV4MPEG2 W4 H4 Cmono16\n", 24, &info),
		-EOPNOTSUPP);
	assert_int_equal(
		camera_y4m_parse_header((const uint8_t *)"YUV4MPEG2 C444p12 W4 H4\n", 24, &info),
		-EOPNOTSUPP);
	assert_int_equal(
		camera_y4m_parse_header((const uint8_t *)"YUV4MPEG2 W4 H4 C444alpha\n", 26, &info),
		-EOPNOTSUPP);
	assert_int_equal(
		camera_y4m_parse_header((const uint8_t *)"YUV4MPEG2 W4 H4 Cxyz\n", 21, &info),
		-EINVAL);
	assert_int_equal(camera_y4m_parse_header((const uint8_t *)"RIFF....\n", 9, &info), -EINVAL);

	assert_int_equal(camera_y4m_frame_header((const uint8_t *)"FRAME\nxx", 8), 6);
	assert_int_equal(camera_y4m_frame_header((const uint8_t *)"FRAME Ixyz\n", 11), 11);
	assert_int_equal(camera_y4m_frame_header((const uint8_t *)"FRAMEX\n", 7), -EINVAL);
	assert_int_equal(camera_y4m_frame_header((const uint8_t *)"FRA", 3), -EAGAIN);
	assert_int_equal(camera_y4m_frame_header((const uint8_t *)"FRAME I", 7), -EAGAIN);
}

static void test_files_y4m(void **state)
{
	char path[600];
	FILE *f;
	struct camera *c = NULL;
	struct camera_frame fr;

	(void)state;
	path_in(path, sizeof(path), "clip.y4m");
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs("YUV4MPEG2 W4 H2 F25:1 C420jpeg\n", f);
	for (int i = 0; i < 3; i++) {
		fputs(i == 1 ? "FRAME Ixx\n" : "FRAME\n", f);
		for (int p = 0; p < 8; p++)
			fputc(i * 10 + p, f);
		for (int p = 0; p < 4; p++)
			fputc(128, f); /* 2x1 U and V */
	}
	fputs("FRAME\n\x01\x02", f); /* a truncated last frame */
	fclose(f);

	assert_int_equal(camera_files_new(path, &c), 0);
	assert_int_equal(camera_get_fd(c), -EOPNOTSUPP);
	assert_int_equal(camera_open(c), 0);
	assert_int_equal(camera_start(c), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(camera_read(c, &fr), 0);
		assert_int_equal(fr.width, 4);
		assert_int_equal(fr.height, 2);
		assert_int_equal(fr.sequence, (uint64_t)i + 1);
		for (int p = 0; p < 8; p++)
			assert_int_equal(fr.gray[p], i * 10 + p);
	}
	assert_int_equal(camera_read(c, &fr), -ENODATA);
	c = camera_free(c);
	assert_null(c);

	/* A bad header fails at open. */
	path_in(path, sizeof(path), "bad.y4m");
	write_file(path, "YUV4MPEG2 W4\n", 13);
	assert_int_equal(camera_files_new(path, &c), 0);
	assert_int_equal(camera_open(c), -EINVAL);
	camera_free(c);
}

static void test_files_dir_and_images(void **state)
{
	char dir[600], path[700];
	struct camera *c = NULL;
	struct camera_frame fr;
	uint8_t *g = NULL;
	int w, h;
	/* A PNG whose IHDR claims 100000 x 100000. */
	static const uint8_t giant_png[] = {
		0x89, 'P', 'N', 'G',  '\r', '\n', 0x1a, '\n', 0,    0, 0, 13, 'I', 'H', 'D',
		'R',  0,   1,	0x86, 0xa0, 0,	  1,	0x86, 0xa0, 8, 0, 0,  0,   0,	0};

	(void)state;
	path_in(dir, sizeof(dir), "frames");
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/b.pgm", dir);
	write_file(path, "P5 2 1 255\n\x07\x08", 13);
	snprintf(path, sizeof(path), "%s/a.pgm", dir);
	write_file(path, "P5 2 1 255\n\x05\x06", 13);
	snprintf(path, sizeof(path), "%s/README", dir);
	write_file(path, "not a frame\n", 12);

	assert_int_equal(camera_files_new(dir, &c), 0);
	assert_int_equal(camera_open(c), 0);
	assert_int_equal(camera_read(c, &fr), 0);
	assert_int_equal(fr.gray[0], 5); /* name order */
	assert_int_equal(camera_read(c, &fr), 0);
	assert_int_equal(fr.gray[0], 7);
	assert_int_equal(camera_read(c, &fr), -ENODATA);
	camera_free(c);

	/* One image file: one frame. */
	snprintf(path, sizeof(path), "%s/a.pgm", dir);
	assert_int_equal(camera_files_new(path, &c), 0);
	assert_int_equal(camera_open(c), 0);
	assert_int_equal(camera_read(c, &fr), 0);
	assert_int_equal(camera_read(c, &fr), -ENODATA);
	camera_free(c);

	/* Hostile files give clean errors. */
	path_in(path, sizeof(path), "giant.png");
	write_file(path, giant_png, sizeof(giant_png));
	assert_int_equal(camera_load_image(path, &g, &w, &h), -EFBIG);
	path_in(path, sizeof(path), "empty.jpg");
	write_file(path, "", 0);
	assert_int_equal(camera_load_image(path, &g, &w, &h), -EIO);
	path_in(path, sizeof(path), "trunc.png");
	write_file(path, giant_png, 16);
	assert_int_equal(camera_load_image(path, &g, &w, &h), -EIO);
	path_in(path, sizeof(path), "trunc.jpg");
	write_file(path, "\xff\xd8\xff\xe0\x00\x10JFIF", 10);
	assert_int_equal(camera_load_image(path, &g, &w, &h), -EIO);
	assert_int_equal(camera_load_image(dir, &g, &w, &h), -EIO);
	path_in(path, sizeof(path), "missing.png");
	assert_int_equal(camera_load_image(path, &g, &w, &h), -ENOENT);
	assert_null(g);

	/* A missing path fails at open, not at new. */
	assert_int_equal(camera_files_new(path, &c), 0);
	assert_int_equal(camera_open(c), -ENOENT);
	camera_free(c);
	assert_int_equal(camera_files_new("", &c), -EINVAL);
}

static void test_v4l2_missing(void **state)
{
	struct camera_v4l2_params p = {
		.device = "/dev/video-none-here", .width = 1280, .height = 720, .fps = 30};
	struct camera *c = NULL;
	struct camera_frame fr;

	(void)state;
	assert_int_equal(camera_v4l2_new(&p, &c), 0);
	assert_int_equal(camera_open(c), -ENOENT);
	assert_int_equal(camera_read(c, &fr), -ENODEV);
	/* Not a video device. */
	camera_free(c);
	p.device = "/dev/null";
	assert_int_equal(camera_v4l2_new(&p, &c), 0);
	assert_true(camera_open(c) < 0);
	camera_free(c);
	p.width = -1;
	assert_int_equal(camera_v4l2_new(&p, &c), -EINVAL);
}

/* A 10-bit Y4M (two bytes a sample) as a camera: open() refuses it with
 * -EOPNOTSUPP and a sentence that says what is taken, no frame is read. */
static void test_y4m_10bit_refused(void **state)
{
	char path[600];
	struct camera *c = NULL;
	struct camera_frame fr;
	FILE *f;

	(void)state;
	path_in(path, sizeof(path), "deep.y4m");
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs("YUV4MPEG2 W4 H2 F30:1 C420p10\n", f);
	for (int i = 0; i < 2; i++) {
		fputs("FRAME\n", f);
		for (int p = 0; p < 8 + 4; p++) { /* 8 luma, 2x1 U and V: 16 bits */
			fputc(0x00, f);
			fputc(0x02, f);
		}
	}
	fclose(f);
	assert_int_equal(camera_files_new(path, &c), 0);
	assert_int_equal(camera_open(c), -EOPNOTSUPP);
	assert_true(camera_read(c, &fr) < 0);
	assert_non_null(strstr(camera_strerror(-EOPNOTSUPP), "8-bit C420"));
	assert_string_equal(camera_strerror(-ENOENT), strerror(ENOENT));
	camera_free(c);
}

static void test_v4l2_negotiation(void **state)
{
	struct camera_v4l2_params want = {
		.device = "/dev/video0", .width = 1280, .height = 720, .fps = 30};
	struct camera_v4l2_format f;
	char buf[160];
	struct camera *c = NULL;

	(void)state;
	/* The size asked for, with the driver's row pitch. */
	assert_int_equal(camera_v4l2_granted_format(V4L2_PIX_FMT_YUYV, V4L2_PIX_FMT_YUYV, 1280, 720,
						    2560, &f),
			 0);
	assert_int_equal(f.pixfmt, V4L2_PIX_FMT_YUYV);
	assert_int_equal(f.width, 1280);
	assert_int_equal(f.height, 720);
	assert_int_equal(f.bytesperline, 2560);
	assert_int_equal(f.fps_num, 0);
	/* Padded rows kept; a pitch of 0 (or too small) raised to a row. */
	assert_int_equal(
		camera_v4l2_granted_format(V4L2_PIX_FMT_GREY, V4L2_PIX_FMT_GREY, 640, 480, 704, &f),
		0);
	assert_int_equal(f.bytesperline, 704);
	assert_int_equal(
		camera_v4l2_granted_format(V4L2_PIX_FMT_GREY, V4L2_PIX_FMT_GREY, 640, 480, 0, &f),
		0);
	assert_int_equal(f.bytesperline, 640);
	assert_int_equal(camera_v4l2_granted_format(V4L2_PIX_FMT_YUYV, V4L2_PIX_FMT_YUYV, 640, 480,
						    1000, &f),
			 0);
	assert_int_equal(f.bytesperline, 1280);
	assert_int_equal(camera_v4l2_granted_format(V4L2_PIX_FMT_MJPEG, V4L2_PIX_FMT_MJPEG, 1920,
						    1080, 0, &f),
			 0);
	assert_int_equal(f.width, 1920);
	/* Another format than asked, empty or giant sizes: refused. */
	assert_int_equal(camera_v4l2_granted_format(V4L2_PIX_FMT_GREY, V4L2_PIX_FMT_YUYV, 640, 480,
						    1280, &f),
			 -EINVAL);
	assert_int_equal(
		camera_v4l2_granted_format(V4L2_PIX_FMT_GREY, V4L2_PIX_FMT_GREY, 0, 480, 0, &f),
		-EINVAL);
	assert_int_equal(camera_v4l2_granted_format(V4L2_PIX_FMT_GREY, V4L2_PIX_FMT_GREY, 640,
						    CAMERA_MAX_SIDE + 1, 640, &f),
			 -EINVAL);
	assert_int_equal(camera_v4l2_granted_format(V4L2_PIX_FMT_GREY, V4L2_PIX_FMT_GREY, 640, 480,
						    640, NULL),
			 -EINVAL);

	/* Frame intervals to rates. */
	camera_v4l2_granted_format(V4L2_PIX_FMT_YUYV, V4L2_PIX_FMT_YUYV, 640, 480, 1280, &f);
	camera_v4l2_granted_rate(1, 30, &f);
	assert_int_equal(f.fps_num, 30);
	assert_int_equal(f.fps_den, 1);
	camera_v4l2_format_describe(&want, &f, buf, sizeof(buf));
	assert_string_equal(buf, "640x480 YUYV at 30 fps (asked 1280x720 at 30 fps)");
	camera_v4l2_granted_rate(1001, 30000, &f);
	camera_v4l2_format_describe(&want, &f, buf, sizeof(buf));
	assert_string_equal(buf, "640x480 YUYV at 29.97 fps (asked 1280x720 at 30 fps)");
	camera_v4l2_granted_rate(2, 15, &f);
	camera_v4l2_format_describe(&want, &f, buf, sizeof(buf));
	assert_string_equal(buf, "640x480 YUYV at 7.5 fps (asked 1280x720 at 30 fps)");
	camera_v4l2_granted_rate(0, 30, &f);
	assert_int_equal(f.fps_num, 0);
	want.fps = 0;
	f.pixfmt = V4L2_PIX_FMT_MJPEG;
	camera_v4l2_format_describe(&want, &f, buf, sizeof(buf));
	assert_string_equal(
		buf, "640x480 MJPG at an unknown rate (asked 1280x720 at the camera's rate)");
	assert_int_equal(camera_v4l2_format_describe(NULL, &f, buf, sizeof(buf)), -EINVAL);

	/* The granted format of a camera that is not open, or not V4L2. */
	assert_int_equal(camera_v4l2_new(&want, &c), 0);
	assert_int_equal(camera_v4l2_get_format(c, &f), -ENOTCONN);
	camera_free(c);
	assert_int_equal(camera_files_new(tmpdir, &c), 0);
	assert_int_equal(camera_v4l2_get_format(c, &f), -EINVAL);
	camera_free(c);
}

static void test_finder(void **state)
{
	const int w = 640, h = 480;
	uint8_t *g = frame_with_code(w, h, "https://example.org/finder", 200, 100, 3);
	uint8_t *flat = malloc((size_t)w * (size_t)h);
	unsigned seed = 12345;

	(void)state;
	assert_non_null(flat);
	/* A code: its three finders, in both polarities, at any row step. */
	assert_true(qr_finder_count(g, w, h, w, 2, 100) >= 3);
	assert_int_equal(qr_finder_count(g, w, h, w, 2, 1), 1);
	assert_true(qr_finder_count(g, w, h, w, 4, 100) >= 3);
	for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
		g[i] = (uint8_t)(255 - g[i]);
	assert_true(qr_finder_count(g, w, h, w, 2, 100) >= 3);
	/* A region of a wider buffer (stride > width) holding the code. */
	assert_true(qr_finder_count(g + 100 * w + 150, 400, 300, w, 2, 100) >= 3);
	/* No finders: a flat frame, noise on it, stripes, boxes. */
	memset(flat, 200, (size_t)w * (size_t)h);
	assert_int_equal(qr_finder_count(flat, w, h, w, 1, 100), 0);
	for (size_t i = 0; i < (size_t)w * (size_t)h; i++) {
		seed = seed * 1103515245u + 12345u;
		flat[i] = (uint8_t)(190 + (int)((seed >> 16) % 21)); /* 190..210 */
	}
	assert_int_equal(qr_finder_count(flat, w, h, w, 1, 100), 0);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			flat[(size_t)y * (size_t)w + (size_t)x] =
				(uint8_t)((x / 4) % 2 ? 30 : 220); /* 1:1 stripes */
	assert_int_equal(qr_finder_count(flat, w, h, w, 1, 100), 0);
	memset(flat, 200, (size_t)w * (size_t)h);
	for (int y = 100; y < 300; y++)
		memset(flat + (size_t)y * (size_t)w + 100, 20, 150);
	assert_int_equal(qr_finder_count(flat, w, h, w, 1, 100), 0);
	/* Bad arguments. */
	assert_int_equal(qr_finder_count(NULL, w, h, w, 2, 1), -EINVAL);
	assert_int_equal(qr_finder_count(flat, 0, h, w, 2, 1), -EINVAL);
	assert_int_equal(qr_finder_count(flat, w, h, w - 1, 2, 1), -EINVAL);
	assert_int_equal(qr_finder_count(flat, w, h, w, 0, 1), -EINVAL);
	assert_int_equal(qr_finder_count(flat, w, h, w, 17, 1), -EINVAL);
	assert_int_equal(qr_finder_count(flat, w, h, w, 2, 0), -EINVAL);
	free(flat);
	free(g);
}

/* A stream frame without a finder skips zbar; with the check off it does
 * not, and finds no more: the check only ever removes work. */
static void test_scanner_finder_check(void **state)
{
	struct qr_scanner_params p;
	struct qr_scanner *on = NULL, *off = NULL;
	uint8_t *g = frame_with_code(1280, 720, "https://example.org/stream", 500, 200, 5);
	char out[256];
	size_t len = 0;

	(void)state;
	qr_scanner_params_default(&p);
	assert_true(p.finder_check);
	assert_int_equal(qr_scanner_new(&p, &on), 0);
	p.finder_check = false;
	assert_int_equal(qr_scanner_new(&p, &off), 0);
	assert_int_equal(qr_scanner_decode(on, g, 1280, 720, 1280, false, out, sizeof(out), &len),
			 1);
	assert_string_equal(out, "https://example.org/stream");
	assert_int_equal(qr_scanner_decode(off, g, 1280, 720, 1280, false, out, sizeof(out), &len),
			 1);
	memset(g, 200, 1280 * 720);
	assert_int_equal(qr_scanner_decode(on, g, 1280, 720, 1280, false, out, sizeof(out), &len),
			 -ENOMSG);
	assert_int_equal(qr_scanner_decode(off, g, 1280, 720, 1280, false, out, sizeof(out), &len),
			 -ENOMSG);
	qr_scanner_free(on);
	qr_scanner_free(off);
	free(g);
}

/* ---- scanner ---------------------------------------------------------------------- */

static void test_scanner_passes(void **state)
{
	const char *text = "https://example.org/not-a-token";
	struct qr_scanner *sc = NULL;
	struct qr_scanner_params p;
	char out[256];
	size_t len = 0;
	uint8_t *g = frame_with_code(1280, 720, text, 500, 200, 5);
	size_t n = 1280 * 720;

	(void)state;
	assert_int_equal(qr_scanner_new(NULL, &sc), 0);
	/* Plain, downscaled (1280 wide). */
	assert_int_equal(qr_scanner_decode(sc, g, 1280, 720, 1280, true, out, sizeof(out), &len),
			 1);
	assert_int_equal(len, strlen(text));
	assert_string_equal(out, text);
	/* Inverted (dark mode): found by the retry. */
	for (size_t i = 0; i < n; i++)
		g[i] = (uint8_t)(255 - g[i]);
	assert_int_equal(qr_scanner_decode(sc, g, 1280, 720, 1280, true, out, sizeof(out), &len),
			 1);
	assert_string_equal(out, text);
	/* Low contrast (a dim screen): 20..245 squeezed into 120..135. */
	for (size_t i = 0; i < n; i++)
		g[i] = (uint8_t)(120 + (255 - g[i]) * 15 / 255);
	assert_int_equal(qr_scanner_decode(sc, g, 1280, 720, 1280, true, out, sizeof(out), &len),
			 1);
	/* A truncating buffer says the full length. */
	assert_int_equal(qr_scanner_decode(sc, g, 1280, 720, 1280, true, out, 5, &len), 1);
	assert_int_equal(len, strlen(text));
	assert_string_equal(out, "http");
	/* A flat frame: nothing; bad arguments. */
	memset(g, 90, n);
	assert_int_equal(qr_scanner_decode(sc, g, 1280, 720, 1280, true, out, sizeof(out), &len),
			 -ENOMSG);
	assert_int_equal(qr_scanner_decode(sc, g, 1280, 720, 100, true, out, sizeof(out), &len),
			 -EINVAL);
	assert_int_equal(qr_scanner_decode(sc, g, 0, 720, 1280, true, out, sizeof(out), &len),
			 -EINVAL);
	assert_int_equal(qr_scanner_decode(sc, g, 20000, 1, 20000, true, out, sizeof(out), &len),
			 -EFBIG);
	qr_scanner_free(sc);
	free(g);

	/* Region of interest: a code outside it is not seen. */
	g = frame_with_code(640, 480, text, 20, 20, 3);
	qr_scanner_params_default(&p);
	p.roi_x = 320;
	p.roi_y = 0;
	p.roi_w = 320;
	p.roi_h = 480;
	assert_int_equal(qr_scanner_new(&p, &sc), 0);
	assert_int_equal(qr_scanner_decode(sc, g, 640, 480, 640, true, out, sizeof(out), &len),
			 -ENOMSG);
	qr_scanner_free(sc);
	p.roi_x = 0;
	assert_int_equal(qr_scanner_new(&p, &sc), 0);
	assert_int_equal(qr_scanner_decode(sc, g, 640, 480, 640, true, out, sizeof(out), &len), 1);
	qr_scanner_free(sc);
	p.roi_w = -1;
	assert_int_equal(qr_scanner_new(&p, &sc), -EINVAL);
	free(g);
}

/* The demo key and a valid token for APP-1. */
struct keys {
	struct qr_key key;
	struct qr_keyring ring;
	char token[SESSION_TOKEN_MAX + 1];
};

static void make_keys(struct keys *k)
{
	uint8_t secret[64];
	struct qr_token t = {.version = 1, .expires = (int64_t)time(NULL) + 3600};

	assert_true(sodium_init() >= 0);
	memset(k, 0, sizeof(*k));
	snprintf(k->key.id, sizeof(k->key.id), "%s", DEMO_QR_KEY_ID);
	demo_qr_keypair(k->key.public_key, secret);
	k->ring = (struct qr_keyring){.n = 1, .keys = &k->key};
	snprintf(t.application_id, sizeof(t.application_id), "APP-1");
	snprintf(t.document_id, sizeof(t.document_id), "DOC-1");
	snprintf(t.nonce, sizeof(t.nonce), "abcdefghijklmnop");
	snprintf(t.key_id, sizeof(t.key_id), "%s", DEMO_QR_KEY_ID);
	assert_true(qr_token_issue(&t, secret, k->token, sizeof(k->token)) > 0);
	sodium_memzero(secret, sizeof(secret));
}

/* Waits for the next event (up to 5 s); false when none came. */
static bool next_event(struct station_queue *q, struct station_event *ev)
{
	for (int i = 0; i < 100; i++) {
		struct timespec ts = {.tv_nsec = 50 * 1000000L};

		if (station_queue_pop(q, ev) == 1)
			return true;
		/* wait() returns at once on a quiescent queue: sleep too. */
		if (station_queue_wait(q, 50) == 0)
			nanosleep(&ts, NULL);
	}
	return false;
}

static void test_scanner_thread(void **state)
{
	struct keys k;
	struct station_queue *q = NULL;
	struct qr_scanner *sc = NULL;
	struct qr_scanner_params p;
	struct qr_scanner_stats st;
	struct station_event ev;
	uint8_t *g, *url;
	struct camera_frame f = {.width = 640, .height = 480, .stride = 640};

	(void)state;
	make_keys(&k);
	g = frame_with_code(640, 480, k.token, 100, 40, 3);
	url = frame_with_code(640, 480, "https://example.org/pay?x=1", 100, 40, 4);
	assert_int_equal(station_queue_new(32, &q), 0);
	qr_scanner_params_default(&p);
	assert_int_equal(qr_scanner_new(&p, &sc), 0);
	f.gray = g;
	assert_int_equal(qr_scanner_submit(sc, &f, true), -ESHUTDOWN);
	assert_int_equal(qr_scanner_start(sc, q, &k.ring), 0);
	assert_int_equal(qr_scanner_start(sc, q, &k.ring), -EALREADY);

	/* A valid token: one QR_TOKEN event with its fields. */
	assert_int_equal(qr_scanner_submit(sc, &f, true), 0);
	assert_true(next_event(q, &ev));
	assert_int_equal(ev.type, STATION_EVENT_QR_TOKEN);
	assert_string_equal(ev.qr.application_id, "APP-1");
	assert_string_equal(ev.qr.document_id, "DOC-1");
	assert_string_equal(ev.qr.token, k.token);
	station_event_clear(&ev);

	/* Shown again at once: the same showing, no event. */
	assert_int_equal(qr_scanner_submit(sc, &f, true), 0);
	assert_int_equal(qr_scanner_wait_idle(sc, 5000), 0);
	qr_scanner_get_stats(sc, &st);
	assert_int_equal(st.debounced, 1);
	assert_int_equal(st.pushed, 1);
	assert_int_equal(station_queue_pop(q, &ev), 0);

	/* Another code: refused as not an MPP code. */
	f.gray = url;
	assert_int_equal(qr_scanner_submit(sc, &f, true), 0);
	assert_true(next_event(q, &ev));
	assert_int_equal(ev.type, STATION_EVENT_QR_REFUSED);
	assert_int_equal(ev.qr_refused, qr_verdict_to_error(QR_NOT_MPP));
	station_event_clear(&ev);

	/* A burst while the thread is busy with a large still frame (every
	 * pass over 1920x1080 of noise): the newest wins, the others are
	 * dropped, never queued. */
	{
		struct camera_frame big = {.width = 1920, .height = 1080, .stride = 1920};
		uint8_t *noise = malloc(1920 * 1080);

		assert_non_null(noise);
		randombytes_buf(noise, 1920 * 1080);
		big.gray = noise;
		assert_int_equal(qr_scanner_submit(sc, &big, true), 0);
		free(noise);
	}
	for (int i = 0; i < 20; i++)
		assert_int_equal(qr_scanner_submit(sc, &f, false), 0);
	assert_int_equal(qr_scanner_wait_idle(sc, 10000), 0);
	qr_scanner_get_stats(sc, &st);
	assert_int_equal(st.submitted, 24);
	assert_true(st.dropped >= 1);
	assert_int_equal(st.decoded + st.dropped, st.submitted);
	qr_scanner_stop(sc);
	qr_scanner_stop(sc);
	assert_int_equal(qr_scanner_submit(sc, &f, true), -ESHUTDOWN);
	qr_scanner_free(sc);

	/* Without debounce every sighting is an event. */
	p.debounce_ms = 0;
	assert_int_equal(qr_scanner_new(&p, &sc), 0);
	assert_int_equal(qr_scanner_start(sc, q, &k.ring), 0);
	f.gray = g;
	for (int i = 0; i < 2; i++) {
		assert_int_equal(qr_scanner_submit(sc, &f, true), 0);
		assert_true(next_event(q, &ev));
		assert_int_equal(ev.type, STATION_EVENT_QR_TOKEN);
		station_event_clear(&ev);
	}
	qr_scanner_free(sc);
	while (station_queue_pop(q, &ev) == 1)
		station_event_clear(&ev);
	station_queue_free(q);
	free(g);
	free(url);
}

static void test_source_camera(void **state)
{
	struct keys k;
	struct station_queue *q = NULL;
	struct qr_source *s = NULL;
	struct camera *cam = NULL;
	struct station_event ev;
	struct qr_scanner_stats st;
	struct camera_v4l2_params vp = {.device = "/dev/video-none-here"};
	char dir[600], path[700];
	uint8_t *g;
	FILE *f;

	(void)state;
	make_keys(&k);
	assert_int_equal(station_queue_new(32, &q), 0);

	/* A directory of frames: a blank one, then the code twice (one
	 * event: debounced). */
	path_in(dir, sizeof(dir), "cam");
	assert_int_equal(mkdir(dir, 0700), 0);
	g = frame_with_code(640, 480, k.token, 200, 60, 3);
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%02d.pgm", dir, i);
		f = fopen(path, "wb");
		assert_non_null(f);
		fprintf(f, "P5 640 480 255\n");
		if (i == 0) {
			uint8_t *blank = calloc(640, 480);

			assert_non_null(blank);
			fwrite(blank, 1, 640 * 480, f);
			free(blank);
		} else {
			fwrite(g, 1, 640 * 480, f);
		}
		fclose(f);
	}
	free(g);
	assert_int_equal(camera_files_new(dir, &cam), 0);
	assert_int_equal(qr_source_camera_new(q, &k.ring, cam, NULL, &s), 0);
	assert_int_equal(qr_source_set_active(s, true), 0);
	assert_int_equal(qr_source_start(s), 0);
	assert_true(next_event(q, &ev));
	assert_int_equal(ev.type, STATION_EVENT_QR_TOKEN);
	assert_string_equal(ev.qr.application_id, "APP-1");
	station_event_clear(&ev);
	/* Let the source run out, then count. */
	for (int i = 0; i < 50; i++) {
		assert_int_equal(qr_source_camera_get_stats(s, &st), 0);
		if (st.submitted >= 3 && st.decoded + st.dropped >= 3)
			break;
		nanosleep(&(struct timespec){.tv_nsec = 100 * 1000000L}, NULL);
	}
	assert_int_equal(st.pushed, 1);
	assert_int_equal(station_queue_pop(q, &ev), 0);
	s = qr_source_free(s);
	assert_null(s);

	/* A camera that is not there: DEVICE_STATE CAMERA FAILED, once. */
	assert_int_equal(camera_v4l2_new(&vp, &cam), 0);
	assert_int_equal(qr_source_camera_new(q, &k.ring, cam, NULL, &s), 0);
	assert_int_equal(qr_source_start(s), 0);
	assert_true(next_event(q, &ev));
	assert_int_equal(ev.type, STATION_EVENT_DEVICE_STATE);
	assert_int_equal(ev.device.device, SESSION_DEVICE_CAMERA);
	assert_int_equal(ev.device.state, SESSION_DEVICE_FAILED);
	station_event_clear(&ev);
	qr_source_free(s);
	assert_int_equal(station_queue_pop(q, &ev), 0);
	assert_int_equal(qr_source_camera_new(q, &k.ring, NULL, NULL, &s), -EINVAL);
	station_queue_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yuyv),
		cmocka_unit_test(test_jpeg),
		cmocka_unit_test(test_pgm),
		cmocka_unit_test(test_y4m_header),
		cmocka_unit_test(test_files_y4m),
		cmocka_unit_test(test_files_dir_and_images),
		cmocka_unit_test(test_v4l2_missing),
		cmocka_unit_test(test_y4m_10bit_refused),
		cmocka_unit_test(test_v4l2_negotiation),
		cmocka_unit_test(test_finder),
		cmocka_unit_test(test_scanner_finder_check),
		cmocka_unit_test(test_scanner_passes),
		cmocka_unit_test(test_scanner_thread),
		cmocka_unit_test(test_source_camera),
	};

	return cmocka_run_group_tests(tests, setup_tmp, teardown_tmp);
}
