/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

/*
 * The one process-wide setting outside a context object: the log level,
 * set once at start-up from the command line / config before any thread
 * starts (like systemd's log_set_max_level()). Read-only afterwards.
 */
static enum config_log_level max_level = CONFIG_LOG_INFO;

void log_set_level(enum config_log_level level)
{
	max_level = level;
}

enum config_log_level log_get_level(void)
{
	return max_level;
}

/* True when stderr is connected to the journal, so that the "<N>" prefix
 * sets the priority (sd-daemon(3)). */
static int stderr_is_journal(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	struct stat st;
	unsigned long dev, ino;
	if (!e || sscanf(e, "%lu:%lu", &dev, &ino) != 2 || fstat(STDERR_FILENO, &st) < 0)
		return 0;
	return st.st_dev == dev && st.st_ino == ino;
}

void log_printf(enum config_log_level level, const char *fmt, ...)
{
	static const char *const names[] = {"error", "warning", "info", "debug"};
	static const int syslog_prio[] = {3, 4, 6, 7};
	char msg[1024];
	va_list ap;

	if (level > max_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* One write per line so lines of several threads never interleave. */
	if (stderr_is_journal())
		fprintf(stderr, "<%d>%s\n", syslog_prio[level], msg);
	else
		fprintf(stderr, "station: %s: %s\n", names[level], msg);
}
