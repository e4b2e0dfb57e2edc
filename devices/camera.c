/* SPDX-License-Identifier: MIT */
/* The frame-source dispatchers (camera.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "camera.h"

int camera_open(struct camera *c)
{
	return c && c->ops->open ? c->ops->open(c) : -EINVAL;
}

int camera_start(struct camera *c)
{
	return c && c->ops->start ? c->ops->start(c) : -EINVAL;
}

void camera_stop(struct camera *c)
{
	if (c && c->ops->stop)
		c->ops->stop(c);
}

int camera_get_fd(struct camera *c)
{
	if (!c)
		return -EINVAL;
	return c->ops->get_fd ? c->ops->get_fd(c) : -EOPNOTSUPP;
}

int camera_read(struct camera *c, struct camera_frame *ret_frame)
{
	return c && ret_frame && c->ops->read ? c->ops->read(c, ret_frame) : -EINVAL;
}

struct camera *camera_free(struct camera *c)
{
	if (!c)
		return NULL;
	camera_stop(c);
	if (c->ops->free_ctx)
		c->ops->free_ctx(c->ctx);
	free(c);
	return NULL;
}

const char *camera_strerror(int error)
{
	if (error == -EOPNOTSUPP)
		return "unsupported format (cameras: GREY, YUYV or MJPEG; Y4M videos: 8-bit C420, "
		       "C422, C444 or Cmono)";
	return strerror(error < 0 ? -error : error);
}
