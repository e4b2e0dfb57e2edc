/* SPDX-License-Identifier: MIT */
/*
 * Runs mpp-sim as a child for a test: on 127.0.0.1, port 0, the port read
 * from its "listening on" line (no sleeping, no fixed ports), stopped with
 * SIGTERM and reaped. Header-only: each test program of tests/backend/
 * includes it once.
 */
#pragma once

#include <curl/curl.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct sim_process {
	pid_t pid;
	unsigned port;
	char url[64];
};

/* posix_spawn() takes char *const[] for historical reasons; it does not
 * write to the strings. */
static char *sim_unconst(const char *s)
{
	char *r;

	memcpy(&r, &s, sizeof(r));
	return r;
}

/* Starts MPP_SIM_PATH with extra arguments (NULL-terminated). Returns 0, or
 * -1 if it did not announce a port within timeout_ms. */
static int sim_process_start(struct sim_process *p, const char *const *extra, int timeout_ms)
{
	char *argv[32] = {sim_unconst(MPP_SIM_PATH), sim_unconst("serve"), sim_unconst("--quiet"),
			  sim_unconst("--listen"), sim_unconst("127.0.0.1:0")};
	posix_spawn_file_actions_t fa;
	char buf[256], *at;
	size_t n = 5, len = 0;
	int fds[2];

	for (; extra && *extra && n < 31; extra++)
		argv[n++] = sim_unconst(*extra);
	argv[n] = NULL;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	if (posix_spawn(&p->pid, argv[0], &fa, NULL, argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	/* Wait for the line, not for a while. */
	while (len < sizeof(buf) - 1 && !memchr(buf, '\n', len)) {
		struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
		ssize_t got;

		if (poll(&pfd, 1, timeout_ms) <= 0)
			break;
		got = read(fds[0], buf + len, sizeof(buf) - 1 - len);
		if (got <= 0)
			break;
		len += (size_t)got;
	}
	close(fds[0]);
	buf[len] = '\0';
	at = strstr(buf, "127.0.0.1:");
	if (!at || sscanf(at + 10, "%u", &p->port) != 1) {
		kill(p->pid, SIGKILL);
		waitpid(p->pid, NULL, 0);
		return -1;
	}
	snprintf(p->url, sizeof(p->url), "%s://127.0.0.1:%u",
		 strncmp(buf, "mpp-sim: listening on https", 27) == 0 ? "https" : "http", p->port);
	return 0;
}

/* Stops it; returns its exit status (0: clean, no leaks under ASan). */
static int sim_process_stop(struct sim_process *p)
{
	int status = 0;

	if (p->pid <= 0)
		return -1;
	kill(p->pid, SIGTERM);
	while (waitpid(p->pid, &status, 0) < 0 && errno == EINTR)
		;
	p->pid = 0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static size_t sim_sink(char *d, size_t s, size_t n, void *u)
{
	size_t *len = u;
	size_t add = s * n;

	(void)d;
	*len += add;
	return add;
}

/* An admin call (POST /admin/faults with json, DELETE with NULL, GET
 * stats into out). Returns the HTTP status. */
static long sim_admin(const struct sim_process *p, const char *method, const char *path,
		      const char *json, char *out, size_t size)
{
	CURL *c = curl_easy_init();
	char url[128];
	long status = 0;
	FILE *mem = out ? fmemopen(out, size, "w") : NULL;
	size_t sink = 0;

	snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", p->port, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (json)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
	if (mem) {
		curl_easy_setopt(c, CURLOPT_WRITEDATA, mem);
	} else {
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sim_sink);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
	}
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 30000L);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	if (mem)
		fclose(mem);
	return status;
}
