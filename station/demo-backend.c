/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "demo-backend.h"

#define SPAWN_TIMEOUT_MS 30000
#define STOP_TIMEOUT_MS	 5000
#define ADMIN_TIMEOUT_MS 5000
#define ADMIN_REPLY_MAX	 4096

extern char **environ;

struct demo_backend {
	pid_t pid; /* 0: attached, no child */
	char url[512];
	char port_file[4200];
};

struct reply {
	char buf[ADMIN_REPLY_MAX];
	size_t len;
};

static bool executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

int demo_find_program(const char *name, const char *env_var, char *buf, size_t size)
{
	const char *const beside[] = {"sim/", "", "../station/sim/"};
	const char *env = env_var ? getenv(env_var) : NULL;
	char self[4096], *slash;
	ssize_t n;

	if (env && env[0]) {
		snprintf(buf, size, "%s", env);
		return executable(env) ? 0 : -ENOPKG;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0) {
		snprintf(buf, size, "%s", name);
		return -ENOPKG;
	}
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	for (size_t i = 0; i < sizeof(beside) / sizeof(beside[0]); i++) {
		if ((size_t)snprintf(buf, size, "%s/%s%s", self, beside[i], name) >= size)
			continue;
		if (executable(buf))
			return 0;
	}
	/* Name the place an install would have it. */
	snprintf(buf, size, "%s/%s", self, name);
	return -ENOPKG;
}

int demo_backend_find(char *buf, size_t size)
{
	return demo_find_program("mpp-sim", "MPP_SIM", buf, size);
}

uint64_t demo_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void demo_pause_ms(unsigned ms)
{
	struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};

	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

/* Reads the port mpp-sim wrote (it writes the file whole, by rename).
 * Returns the port, or 0 while there is none yet. */
static unsigned read_port(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[32];
	char *end;
	long port = 0;

	if (!f)
		return 0;
	if (fgets(line, sizeof(line), f)) {
		errno = 0;
		port = strtol(line, &end, 10);
		if (errno || end == line || port < 1 || port > 65535)
			port = 0;
	}
	fclose(f);
	return (unsigned)port;
}

static int spawn_child(const char *exe, const char *port_file, const char *log_file, pid_t *ret_pid)
{
	/* posix_spawn wants char *const argv[]: writable copies. --parent:
	 * it stops by itself if this process dies without stopping it. */
	char a0[4096], a1[] = "serve", a2[] = "--listen", a3[] = "127.0.0.1:0",
		       a4[] = "--port-file", a5[4200], a6[] = "--quiet", a7[] = "--parent", a8[24];
	char *argv[] = {a0, a1, a2, a3, a4, a5, a6, a7, a8, NULL};
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int r;

	if ((size_t)snprintf(a0, sizeof(a0), "%s", exe) >= sizeof(a0) ||
	    (size_t)snprintf(a5, sizeof(a5), "%s", port_file) >= sizeof(a5))
		return -ENAMETOOLONG;
	snprintf(a8, sizeof(a8), "%ld", (long)getpid());
	r = posix_spawn_file_actions_init(&fa);
	if (r != 0)
		return -r;
	/* Its output goes to its own log, never to the demo's stdout or
	 * stderr (what a citizen-facing log or a test reads). */
	r = posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	if (r == 0)
		r = posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, log_file,
						     O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (r == 0)
		r = posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
	if (r == 0)
		r = posix_spawn(&pid, exe, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r != 0)
		return -r;
	*ret_pid = pid;
	return 0;
}

int demo_backend_spawn(const char *dir, struct demo_backend **ret)
{
	struct demo_backend *db;
	char exe[4096], log_file[4200];
	uint64_t start;
	unsigned port = 0;
	int r;

	r = demo_backend_find(exe, sizeof(exe));
	if (r < 0) {
		fprintf(stderr,
			"station demo: the reference backend '%s' is missing (build it, "
			"set MPP_SIM, or use --backend sim)\n",
			exe);
		return r;
	}
	db = calloc(1, sizeof(*db));
	if (!db)
		return -ENOMEM;
	if ((size_t)snprintf(db->port_file, sizeof(db->port_file), "%s/mpp-sim.port", dir) >=
		    sizeof(db->port_file) ||
	    (size_t)snprintf(log_file, sizeof(log_file), "%s/mpp-sim.log", dir) >=
		    sizeof(log_file)) {
		r = -ENAMETOOLONG;
		goto fail;
	}
	/* A port file left by an earlier run must not be taken for ours. */
	if (unlink(db->port_file) < 0 && errno != ENOENT) {
		r = -errno;
		goto fail;
	}
	r = spawn_child(exe, db->port_file, log_file, &db->pid);
	if (r < 0) {
		fprintf(stderr, "station demo: cannot start '%s': %s\n", exe, strerror(-r));
		goto fail;
	}
	start = demo_now_ms();
	while ((port = read_port(db->port_file)) == 0) {
		int status;

		if (waitpid(db->pid, &status, WNOHANG) == db->pid) {
			db->pid = 0;
			fprintf(stderr, "station demo: '%s' exited at start (see %s)\n", exe,
				log_file);
			r = -ECHILD;
			goto fail;
		}
		if (demo_now_ms() - start > SPAWN_TIMEOUT_MS) {
			fprintf(stderr, "station demo: '%s' did not listen within %d s\n", exe,
				SPAWN_TIMEOUT_MS / 1000);
			r = -ETIMEDOUT;
			goto fail;
		}
		demo_pause_ms(20);
	}
	snprintf(db->url, sizeof(db->url), "http://127.0.0.1:%u", port);
	*ret = db;
	return 0;
fail:
	demo_backend_free(db);
	return r;
}

int demo_backend_attach(const char *url, struct demo_backend **ret)
{
	struct demo_backend *db;
	size_t n = strlen(url);

	while (n > 0 && url[n - 1] == '/')
		n--;
	if (n == 0 || n >= sizeof(db->url))
		return -EINVAL;
	db = calloc(1, sizeof(*db));
	if (!db)
		return -ENOMEM;
	memcpy(db->url, url, n);
	db->url[n] = '\0';
	*ret = db;
	return 0;
}

const char *demo_backend_url(const struct demo_backend *db)
{
	return db ? db->url : NULL;
}

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct reply *rep = userdata;
	size_t n = size * nmemb;

	if (n > sizeof(rep->buf) - 1 - rep->len)
		return 0; /* too big for an admin answer: fail the transfer */
	memcpy(rep->buf + rep->len, ptr, n);
	rep->len += n;
	rep->buf[rep->len] = '\0';
	return n;
}

/* One admin call. body: NULL for none. Returns 0 on a 2xx answer (in
 * *rep), else -EIO. */
static int admin(struct demo_backend *db, const char *method, const char *path, const char *body,
		 struct reply *rep)
{
	struct curl_slist *headers = NULL;
	char url[700];
	long status = 0;
	CURL *c;
	CURLcode cr;

	snprintf(url, sizeof(url), "%s%s", db->url, path);
	rep->len = 0;
	rep->buf[0] = '\0';
	c = curl_easy_init();
	if (!c)
		return -EIO;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)ADMIN_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, rep);
	if (body) {
		headers = curl_slist_append(NULL, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	}
	cr = curl_easy_perform(c);
	if (cr == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	curl_slist_free_all(headers);
	return cr == CURLE_OK && status >= 200 && status < 300 ? 0 : -EIO;
}

int demo_backend_set_mode(struct demo_backend *db, enum scenario_backend_mode mode, uint64_t ms)
{
	struct reply rep;
	char body[96];

	if (!db)
		return -EINVAL;
	switch (mode) {
	case SCENARIO_BACKEND_UP:
		return admin(db, "DELETE", "/admin/faults", NULL, &rep);
	case SCENARIO_BACKEND_DOWN:
		/* 503 is what a backend that is down answers behind its load
		 * balancer; the client treats it as unreachable. */
		return admin(db, "POST", "/admin/faults", "{\"status\":503}", &rep);
	case SCENARIO_BACKEND_SLOW:
		snprintf(body, sizeof(body), "{\"latency_ms\":%llu}",
			 (unsigned long long)(ms > 600000 ? 600000 : ms));
		return admin(db, "POST", "/admin/faults", body, &rep);
	case SCENARIO_BACKEND_CORRUPT:
		return admin(db, "POST", "/admin/faults", "{\"corrupt_documents\":true}", &rep);
	default:
		return -EINVAL;
	}
}

int demo_backend_confirmations(struct demo_backend *db, unsigned *ret_n)
{
	struct reply rep;
	json_error_t jerr;
	json_t *root, *v;
	int r;

	if (!db)
		return -EINVAL;
	r = admin(db, "GET", "/admin/stats", NULL, &rep);
	if (r < 0)
		return r;
	root = json_loadb(rep.buf, rep.len, 0, &jerr);
	v = json_object_get(root, "documents_collected");
	if (json_is_integer(v) && json_integer_value(v) >= 0 &&
	    json_integer_value(v) <= (json_int_t)UINT32_MAX) {
		*ret_n = (unsigned)json_integer_value(v);
		r = 0;
	} else {
		r = -EIO;
	}
	json_decref(root);
	return r;
}

struct demo_backend *demo_backend_free(struct demo_backend *db)
{
	if (!db)
		return NULL;
	if (db->pid > 0) {
		uint64_t start = demo_now_ms();
		int status;
		pid_t w;

		kill(db->pid, SIGTERM);
		while ((w = waitpid(db->pid, &status, WNOHANG)) == 0 &&
		       demo_now_ms() - start < STOP_TIMEOUT_MS)
			demo_pause_ms(10);
		if (w == 0) {
			kill(db->pid, SIGKILL);
			while (waitpid(db->pid, &status, 0) < 0 && errno == EINTR)
				;
		}
	}
	if (db->port_file[0])
		unlink(db->port_file);
	free(db);
	return NULL;
}
