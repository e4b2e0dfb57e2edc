/* SPDX-License-Identifier: MIT */
/*
 * Logging to stderr with levels; journald takes it from there (a "<N>"
 * priority prefix when stderr is the journal). Never pass personal data
 * (NIK, name, card UID, QR token): mask or hash it first (privacy.h).
 *
 * STYLE.md rule 11: devices/, printing/ and config/ log at debug only.
 */
#pragma once

#include <stdarg.h>

#include "config.h"

void log_set_level(enum config_log_level level);
enum config_log_level log_get_level(void);

void log_printf(enum config_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_error(...)	 log_printf(CONFIG_LOG_ERROR, __VA_ARGS__)
#define log_warning(...) log_printf(CONFIG_LOG_WARNING, __VA_ARGS__)
#define log_info(...)	 log_printf(CONFIG_LOG_INFO, __VA_ARGS__)
#define log_debug(...)	 log_printf(CONFIG_LOG_DEBUG, __VA_ARGS__)
