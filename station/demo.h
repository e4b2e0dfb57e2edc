/* SPDX-License-Identifier: MIT */
/*
 * The demo: the whole station on simulators and the demo data, driven by
 * a scenario. Headless, time is virtual (a `wait 60` takes no real time)
 * and each step runs until the station is quiescent, so every run of a
 * scenario gives the same screens. In a window, time is real and the
 * citizen clicks.
 */
#pragma once

#include <stdbool.h>

#include "scenario.h"
#include "station.h"

struct demo_options {
	const char *out_dir;	   /* headless: where screens etc. go */
	const char *scenario_path; /* NULL: the built-in demo scenario */
	int width, height;	   /* screen size */
	bool english;
	bool headless;
	enum config_log_level log_level;
	/* The demo's backend: "mpp-sim" (NULL: the default; the reference
	 * backend started as a child), "sim" (in-process), or the URL of a
	 * running mpp-sim. Ignored with a configuration (station run). */
	const char *backend;
	/* The demo's printers: false (the default) for the stand-ins on
	 * 127.0.0.1 (escpos-printer-sim over tcp://, ippeveprinter over
	 * ipp://), true for the in-process simulators. Ignored with a
	 * configuration. */
	bool sim_printers;
	/* The demo's [metrics] listen ("127.0.0.1:PORT"); NULL: off. Ignored
	 * with a configuration (it has its own). */
	const char *metrics_listen;
	/* `station run`: the station's own configuration and secrets, and
	 * full screen; NULL for the demo's built-in set-up. */
	const struct station_config *config;
	const struct station_secrets *secrets;
	bool fullscreen;
	/* Spoken guidance (--speak, [ui] speech): played in a window,
	 * written as WAV files into out_dir/speech headless. */
	bool speak;
};

struct camera_v4l2_params;
struct qr_scanner_params;

/* The [camera] configuration as the V4L2 source's parameters (device,
 * size, rate; v4l2 may be NULL) and the scanner's (its defaults with the
 * region of interest). Pure; the strings stay c's. */
void demo_camera_params(const struct station_config *c, struct camera_v4l2_params *v4l2,
			struct qr_scanner_params *scan);

/* Runs the demo. Returns a sysexits code; EX_OK when the scenario ran to
 * its end with every expectation met. Prints what it did to stdout. */
int demo_run(const struct demo_options *opt);

/* The scenario `station demo` runs when given none: the three flows of
 * DESIGN.md (status by e-KTP with a receipt, a document collected by QR,
 * a technician opening maintenance). */
extern const char demo_builtin_scenario[];

/* The technician PIN of the demo (never a real station's). */
#define DEMO_TECHNICIAN_PIN "246810"
