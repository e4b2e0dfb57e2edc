/* SPDX-License-Identifier: MIT */
/*
 * A private PC/SC world for a test or a benchmark: a mount + network
 * namespace (so /run/pcscd and vpcd's ports are ours alone, and vpcd's
 * listener on all interfaces only sees a private loopback), a real
 * `pcscd -f` with a vpcd reader, and the virtual e-KTP (tests/vcard)
 * driven over a pipe.
 *
 * Every process started here gets PR_SET_PDEATHSIG, and pcsc_env_free()
 * stops each by its pid: nothing outlives the test.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#define PCSC_ENV_CARD_PORT   35963 /* vpcd slot 0; slot 1 (SAM) is +1 */
#define PCSC_ENV_CARD_READER "Virtual PCD 00 00"
#define PCSC_ENV_SAM_READER  "Virtual PCD 00 01"

struct pcsc_env {
	char dir[64]; /* temp dir: reader config, key files */
	pid_t pcscd;
	pid_t vcard;
	int vcard_in, vcard_out; /* pipe ends: its stdin, its stdout */
	char pending[512];	 /* unread bytes of its stdout */
	size_t pending_len;
	pid_t others[4]; /* pcsc_env_start(): the station, mpp-sim */
};

/* Enters new mount and network namespaces (root needed), mounts a tmpfs
 * on /run/pcscd, brings lo up, makes the temp dir and the vpcd reader
 * config. Call before any thread exists. 0 or -errno. */
int pcsc_env_init(struct pcsc_env *e);

/* Starts pcscd and waits (up to timeout_ms) for its socket. 0 or -errno. */
int pcsc_env_start_pcscd(struct pcsc_env *e, int timeout_ms);
/* Stops pcscd: SIGTERM (kill = false) or SIGKILL, and reaps it. */
void pcsc_env_stop_pcscd(struct pcsc_env *e, bool kill_it);

/* Starts the vcard program (path) with the extra arguments (NULL-ended)
 * and waits for its "ready". 0 or -errno. */
int pcsc_env_start_vcard(struct pcsc_env *e, const char *path, const char *const *args);
/* Sends one command line and reads its one-line answer into buf (up to
 * timeout_ms). Lines the card prints by itself ("removed-mid-read") are
 * skipped. 0 or -errno. */
int pcsc_env_vcard(struct pcsc_env *e, const char *cmd, char *buf, size_t size, int timeout_ms);
/* Reads the next line the vcard prints by itself. 0 or -errno. */
int pcsc_env_vcard_line(struct pcsc_env *e, char *buf, size_t size, int timeout_ms);
void pcsc_env_stop_vcard(struct pcsc_env *e);

/* Runs argv (argv[0] searched in PATH) with stdout+stderr into out (NUL-
 * terminated, cut to size), for at most timeout_ms. Returns the exit
 * status (0..255), or -ETIMEDOUT (the child is killed) / -errno. */
int pcsc_env_run(const char *const *argv, char *out, size_t size, int timeout_ms);

/* Starts argv (argv[0] searched in PATH) in the background, stdout and
 * stderr appended to log_path. Returns a handle >= 0 for pcsc_env_stop(),
 * or -errno. */
int pcsc_env_start(struct pcsc_env *e, const char *const *argv, const char *log_path);
/* SIGTERM to what pcsc_env_start() started (SIGKILL after timeout_ms),
 * reaped. Returns its exit status (0..255), 128 + the signal that ended
 * it, or -ECHILD for a bad handle. */
int pcsc_env_stop(struct pcsc_env *e, int handle, int timeout_ms);

/* Stops everything still running and removes the temp dir. */
void pcsc_env_free(struct pcsc_env *e);

/* Milliseconds on the monotonic clock. */
long long pcsc_env_now_ms(void);
