/* SPDX-License-Identifier: MIT */
/*
 * The display back end on SDL2: a window (or the whole screen on a
 * kiosk: SDL picks KMS/DRM, X11 or Wayland; "offscreen"/"dummy" in tests)
 * and a Cairo RGB24 image surface to draw into. Cairo's RGB24 is a
 * native-endian 32-bit xRGB word per pixel, which is exactly SDL's packed
 * RGB888/ARGB8888, so a frame never needs converting.
 *
 * Two ways to show it:
 *  - direct (preferred): Cairo draws straight into the window's own
 *    framebuffer (SDL_GetWindowSurface: shared memory on X11), shown with
 *    SDL_UpdateWindowSurface. No copy, and no GPU stack: every pixel is
 *    drawn by Cairo on the CPU anyway, and on a machine without a GPU
 *    SDL's OpenGL path loads Mesa's llvmpipe, about 95 MB of the process's
 *    memory for nothing (measured with bench/ui: 147 MB RSS before, 51 MB
 *    after turning it off and ~43 MB drawing directly);
 *  - a streaming ARGB8888 texture of a renderer, when the window has no
 *    framebuffer of the right format, handed over with one
 *    SDL_UpdateTexture.
 * SDL_FRAMEBUFFER_ACCELERATION / SDL_RENDER_DRIVER in the environment
 * still choose otherwise (SDL's environment beats our default hints).
 *
 * Sizes are in renderer output pixels (HiDPI: more than window points);
 * touches are scaled into that space.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <X11/Xlib.h>
#include <X11/Xproto.h>

#include "ui.h"

struct ui_display {
	SDL_Window *window;
	bool direct;		  /* drawing into the window's framebuffer */
	SDL_Surface *framebuffer; /* direct: the window's, not owned */
	SDL_Renderer *renderer;
	SDL_Texture *texture;
	cairo_surface_t *surface;
	int width, height; /* output pixels: surface and texture */
	Uint32 wake_event; /* registered user event type */
};

static void drop_frame(struct ui_display *d)
{
	if (d->texture)
		SDL_DestroyTexture(d->texture);
	d->texture = NULL;
	if (d->surface)
		cairo_surface_destroy(d->surface);
	d->surface = NULL;
}

/* Whether Cairo can draw into a surface of this format as RGB24: 32-bit
 * pixels with red, green and blue in the low 24 bits of a native word. */
static bool cairo_compatible(const SDL_Surface *s)
{
	return s &&
	       (s->format->format == SDL_PIXELFORMAT_RGB888 ||
		s->format->format == SDL_PIXELFORMAT_ARGB8888) &&
	       s->pitch == cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, s->w);
}

/* (Re)wraps the window's framebuffer (it moves when the window is
 * resized). */
static int make_direct_frame(struct ui_display *d)
{
	SDL_Surface *fb = SDL_GetWindowSurface(d->window);

	if (!cairo_compatible(fb))
		return -EOPNOTSUPP;
	if (d->surface && fb == d->framebuffer && fb->w == d->width && fb->h == d->height)
		return 0;
	drop_frame(d);
	d->surface = cairo_image_surface_create_for_data(fb->pixels, CAIRO_FORMAT_RGB24, fb->w,
							 fb->h, fb->pitch);
	if (cairo_surface_status(d->surface) != CAIRO_STATUS_SUCCESS) {
		drop_frame(d);
		return -ENOMEM;
	}
	d->framebuffer = fb;
	d->width = fb->w;
	d->height = fb->h;
	return 0;
}

/* (Re)creates texture and surface at the renderer's output size. */
static int make_frame(struct ui_display *d)
{
	int w = 0, h = 0;

	if (d->direct)
		return make_direct_frame(d);

	if (SDL_GetRendererOutputSize(d->renderer, &w, &h) != 0 || w <= 0 || h <= 0)
		SDL_GetWindowSize(d->window, &w, &h);
	if (w <= 0 || h <= 0)
		return -EINVAL;
	if (d->texture && d->surface && w == d->width && h == d->height)
		return 0;
	drop_frame(d);
	d->texture = SDL_CreateTexture(d->renderer, SDL_PIXELFORMAT_ARGB8888,
				       SDL_TEXTUREACCESS_STREAMING, w, h);
	if (!d->texture)
		return -ENOMEM;
	d->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	if (cairo_surface_status(d->surface) != CAIRO_STATUS_SUCCESS) {
		drop_frame(d);
		return -ENOMEM;
	}
	d->width = w;
	d->height = h;
	return 0;
}

/* X11 only. SDL wakes its event wait from other threads by sending an
 * event to the window on a second connection; one sent just as the window
 * goes is answered by the server with BadWindow, and Xlib's default error
 * handler then exits the process (seen once in CI, at shutdown, after
 * STOPPING=1). That error, on that request, means nothing to us: it is
 * ignored; every other error goes to the handler in place before (SDL's,
 * which ends in Xlib's). libX11 is already loaded by SDL: found with
 * RTLD_NOLOAD, never loaded by us. */
static XErrorHandler previous_x_handler;

static int x_error(Display *dpy, XErrorEvent *e)
{
	if (e->error_code == BadWindow && e->request_code == X_SendEvent)
		return 0;
	return previous_x_handler ? previous_x_handler(dpy, e) : 0;
}

static void tolerate_late_wakeups(void)
{
	XErrorHandler (*set)(XErrorHandler), prev;
	const char *driver = SDL_GetCurrentVideoDriver();
	void *x11;

	if (!driver || strcmp(driver, "x11") != 0)
		return;
	x11 = dlopen("libX11.so.6", RTLD_NOW | RTLD_NOLOAD);
	if (!x11)
		return;
	*(void **)(&set) = dlsym(x11, "XSetErrorHandler");
	if (set) {
		prev = set(x_error);
		/* Opened again (SDL restored its own on quit): keep the chain. */
		if (prev != x_error)
			previous_x_handler = prev;
	}
	dlclose(x11);
}

int ui_display_open(const char *title, int width, int height, bool fullscreen,
		    struct ui_display **ret_display)
{
	struct ui_display *d;
	Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
	int r;

	if (!ret_display || width < 0 || height < 0)
		return -EINVAL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	/* Touch screens also send synthetic mouse events; we take the finger
	 * events and ignore those (SDL_TOUCH_MOUSEID), so a tap counts once. */
	if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
		free(d);
		return -ENODEV;
	}
	tolerate_late_wakeups();
	/* A kiosk screen must never blank. */
	SDL_DisableScreenSaver();
	/* Our defaults: no GPU for a framebuffer (see the top). */
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");

	if (fullscreen) {
		flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
	} else {
		flags |= SDL_WINDOW_RESIZABLE;
	}
	if (width == 0 || height == 0) {
		SDL_DisplayMode mode;

		if (SDL_GetDesktopDisplayMode(0, &mode) == 0) {
			width = width ? width : mode.w;
			height = height ? height : mode.h;
		}
		width = width ? width : 1280;
		height = height ? height : 800;
	}
	d->window = SDL_CreateWindow(title ? title : "Anjungan", SDL_WINDOWPOS_CENTERED,
				     SDL_WINDOWPOS_CENTERED, width, height, flags);
	if (!d->window) {
		r = -ENODEV;
		goto fail;
	}
	/* Direct when the window's framebuffer suits Cairo; a renderer may
	 * not be used on a window whose framebuffer was taken, so that is
	 * decided first, and a failed try leaves the window to the renderer
	 * (SDL frees the framebuffer when a renderer is made). */
	if (!getenv("STATION_DISPLAY_TEXTURE")) {
		d->direct = true;
		if (make_direct_frame(d) < 0) {
			d->direct = false;
			d->framebuffer = NULL;
		}
	}
	if (!d->direct) {
		d->renderer = SDL_CreateRenderer(d->window, -1, 0);
		if (!d->renderer)
			d->renderer = SDL_CreateRenderer(d->window, -1, SDL_RENDERER_SOFTWARE);
		if (!d->renderer) {
			r = -ENODEV;
			goto fail;
		}
	}
	if (fullscreen)
		SDL_ShowCursor(SDL_DISABLE);
	d->wake_event = SDL_RegisterEvents(1);
	if (d->wake_event == (Uint32)-1) {
		r = -EMFILE;
		goto fail;
	}
	r = make_frame(d);
	if (r < 0)
		goto fail;
	*ret_display = d;
	return 0;

fail:
	ui_display_close(d);
	return r;
}

struct ui_display *ui_display_close(struct ui_display *d)
{
	if (!d)
		return NULL;
	drop_frame(d);
	if (d->renderer)
		SDL_DestroyRenderer(d->renderer);
	if (d->window)
		SDL_DestroyWindow(d->window);
	SDL_QuitSubSystem(SDL_INIT_VIDEO);
	if (SDL_WasInit(SDL_INIT_EVERYTHING) == 0)
		SDL_Quit();
	free(d);
	return NULL;
}

cairo_surface_t *ui_display_surface(struct ui_display *d, int *ret_width, int *ret_height)
{
	if (!d || !d->surface)
		return NULL;
	if (ret_width)
		*ret_width = d->width;
	if (ret_height)
		*ret_height = d->height;
	return d->surface;
}

int ui_display_present(struct ui_display *d)
{
	if (!d || !d->surface)
		return -EINVAL;
	cairo_surface_flush(d->surface);
	if (d->direct)
		return SDL_UpdateWindowSurface(d->window) == 0 ? 0 : -EIO;
	if (!d->texture)
		return -EINVAL;
	if (SDL_UpdateTexture(d->texture, NULL, cairo_image_surface_get_data(d->surface),
			      cairo_image_surface_get_stride(d->surface)) != 0)
		return -EIO;
	SDL_RenderClear(d->renderer);
	if (SDL_RenderCopy(d->renderer, d->texture, NULL, NULL) != 0)
		return -EIO;
	SDL_RenderPresent(d->renderer);
	return 0;
}

/* Window points -> output pixels (they differ on HiDPI screens). */
static void scale_point(struct ui_display *d, int x, int y, double *ret_x, double *ret_y)
{
	int ww = 0, wh = 0;

	SDL_GetWindowSize(d->window, &ww, &wh);
	*ret_x = ww > 0 ? (double)x * d->width / ww : x;
	*ret_y = wh > 0 ? (double)y * d->height / wh : y;
}

static int map_key(const SDL_KeyboardEvent *k)
{
	SDL_Keycode sym = k->keysym.sym;

	if (k->repeat)
		return 0;
	if (sym == SDLK_ESCAPE)
		return 0x1b;
	if (sym >= SDLK_KP_1 && sym <= SDLK_KP_9)
		return '1' + (int)(sym - SDLK_KP_1);
	if (sym == SDLK_KP_0)
		return '0';
	if (sym == SDLK_KP_ENTER)
		return '\r';
	/* SDL keycodes of the printable ASCII keys are their characters. */
	if (sym == SDLK_RETURN || sym == SDLK_BACKSPACE || sym == SDLK_TAB ||
	    (sym >= 0x20 && sym < 0x7f))
		return (int)sym;
	return 0;
}

/* One SDL event as input; false when it means nothing to the station. */
static bool map_event(struct ui_display *d, const SDL_Event *ev, struct ui_input *in)
{
	*in = (struct ui_input){.type = UI_INPUT_NONE};
	if (ev->type == d->wake_event) {
		in->type = UI_INPUT_WAKE;
		return true;
	}
	switch (ev->type) {
	case SDL_QUIT:
		in->type = UI_INPUT_QUIT;
		return true;
	case SDL_MOUSEBUTTONDOWN:
		if (ev->button.which == SDL_TOUCH_MOUSEID || ev->button.button != SDL_BUTTON_LEFT)
			return false;
		in->type = UI_INPUT_TOUCH;
		scale_point(d, ev->button.x, ev->button.y, &in->x, &in->y);
		return true;
	case SDL_FINGERDOWN:
		/* Normalised 0..1 over the window: straight to output pixels. */
		in->type = UI_INPUT_TOUCH;
		in->x = ev->tfinger.x * d->width;
		in->y = ev->tfinger.y * d->height;
		return true;
	case SDL_KEYDOWN:
		in->key = map_key(&ev->key);
		if (in->key == 0)
			return false;
		in->type = UI_INPUT_KEY;
		return true;
	case SDL_WINDOWEVENT:
		switch (ev->window.event) {
		case SDL_WINDOWEVENT_CLOSE:
			in->type = UI_INPUT_QUIT;
			return true;
		case SDL_WINDOWEVENT_SIZE_CHANGED:
		case SDL_WINDOWEVENT_RESIZED:
			if (make_frame(d) < 0)
				return false;
			in->type = UI_INPUT_EXPOSE;
			return true;
		case SDL_WINDOWEVENT_EXPOSED:
		case SDL_WINDOWEVENT_SHOWN:
		case SDL_WINDOWEVENT_RESTORED:
			in->type = UI_INPUT_EXPOSE;
			return true;
		default:
			return false;
		}
	case SDL_RENDER_TARGETS_RESET:
	case SDL_RENDER_DEVICE_RESET:
		/* The texture's contents (or the texture) are gone. */
		drop_frame(d);
		if (make_frame(d) < 0)
			return false;
		in->type = UI_INPUT_EXPOSE;
		return true;
	default:
		return false;
	}
}

int ui_display_wait(struct ui_display *d, int timeout_ms, struct ui_input *ret_input)
{
	Uint64 deadline;
	SDL_Event ev;

	if (!d || !ret_input)
		return -EINVAL;
	deadline = SDL_GetTicks64() + (Uint64)(timeout_ms > 0 ? timeout_ms : 0);
	for (;;) {
		struct ui_input in;
		int got;

		if (timeout_ms < 0) {
			got = SDL_WaitEvent(&ev);
		} else {
			Uint64 now = SDL_GetTicks64();
			int left = now >= deadline ? 0 : (int)(deadline - now);

			got = left > 0 ? SDL_WaitEventTimeout(&ev, left) : SDL_PollEvent(&ev);
		}
		if (!got) {
			if (timeout_ms < 0)
				return -EIO; /* SDL_WaitEvent failed */
			return 0;
		}
		/* Events that mean nothing here (mouse motion, key up) do not
		 * end the wait: the caller asked for input or a timeout. */
		if (map_event(d, &ev, &in)) {
			*ret_input = in;
			return 1;
		}
	}
}

void ui_display_wake(struct ui_display *d)
{
	SDL_Event ev;

	if (!d)
		return;
	SDL_zero(ev);
	ev.type = d->wake_event;
	/* SDL_PushEvent is thread-safe; a full queue drops the wake, which
	 * is harmless: the queue then holds events that will wake the loop. */
	SDL_PushEvent(&ev);
}
