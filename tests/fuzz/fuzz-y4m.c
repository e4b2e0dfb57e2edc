/* SPDX-License-Identifier: MIT */
/*
 * The Y4M parsers on any bytes: the stream header, then the FRAME lines
 * and planes that follow it as the files source walks them. No crash, no
 * overread, consistent sizes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "camera.h"
#include "qr-decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct camera_y4m_info info;
	size_t pos;
	unsigned frames = 0, sum = 0;
	int r = camera_y4m_parse_header(data, size, &info);

	if (r < 0) {
		check(r == -EINVAL || r == -EAGAIN || r == -EFBIG || r == -EOPNOTSUPP);
		return 0;
	}
	check(info.width > 0 && info.height > 0);
	check((size_t)info.width * (size_t)info.height <= QR_DECODE_MAX_PIXELS);
	check(info.frame_size >= (size_t)info.width * (size_t)info.height);
	check(info.frame_size <= 3 * (size_t)QR_DECODE_MAX_PIXELS);
	check(info.header_size > 0 && info.header_size <= size);
	check(data[info.header_size - 1] == '\n');
	pos = info.header_size;
	while (pos < size) {
		int n = camera_y4m_frame_header(data + pos, size - pos);

		if (n < 0) {
			check(n == -EINVAL || n == -EAGAIN);
			break;
		}
		check((size_t)n <= size - pos && data[pos + (size_t)n - 1] == '\n');
		pos += (size_t)n;
		if (size - pos < info.frame_size)
			break;
		/* The luma plane, as the source hands it out. */
		for (size_t i = 0; i < (size_t)info.width * (size_t)info.height; i++)
			sum += data[pos + i];
		pos += info.frame_size;
		frames++;
	}
	(void)sum;
	(void)frames;
	return 0;
}
