/* SPDX-License-Identifier: MIT */
/*
 * Small helpers in the manner of systemd's macro.h: take ownership out of
 * a variable, count array elements.
 */
#pragma once

/* Returns the pointer in var and leaves NULL behind ("ownership moved"). */
#define TAKE_PTR(var)                           \
	({                                      \
		__typeof__(var) _taken = (var); \
		(var) = NULL;                   \
		_taken;                         \
	})

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))
