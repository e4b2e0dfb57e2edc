/* SPDX-License-Identifier: MIT */
/*
 * The private PC/SC world of the integration tests (pcsc-env.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pcsc-env.h"

#define PCSCD_SOCKET "/run/pcscd/pcscd.comm"

long long pcsc_env_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void nap_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

static int lo_up(void)
{
	struct ifreq ifr = {0};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int r = 0;

	if (fd < 0)
		return -errno;
	memcpy(ifr.ifr_name, "lo", 3);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		r = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (r == 0 && ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		r = -errno;
	close(fd);
	return r;
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fputs(text, f);
	return fclose(f) == 0 ? 0 : -EIO;
}

int pcsc_env_init(struct pcsc_env *e)
{
	char path[128], conf[512];

	*e = (struct pcsc_env){.pcscd = -1, .vcard = -1, .vcard_in = -1, .vcard_out = -1};
	if (unshare(CLONE_NEWNS | CLONE_NEWNET) < 0)
		return -errno;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -errno;
	mkdir("/run/pcscd", 0755);
	if (mount("tmpfs", "/run/pcscd", "tmpfs", 0, "mode=0755") < 0)
		return -errno;
	if (lo_up() < 0)
		return -ENETDOWN;
	snprintf(e->dir, sizeof(e->dir), "/tmp/pcsc-test.XXXXXX");
	if (!mkdtemp(e->dir))
		return -errno;
	snprintf(path, sizeof(path), "%s/conf", e->dir);
	if (mkdir(path, 0755) < 0)
		return -errno;
	snprintf(path, sizeof(path), "%s/conf/vpcd", e->dir);
	snprintf(conf, sizeof(conf),
		 "FRIENDLYNAME \"Virtual PCD\"\n"
		 "DEVICENAME   /dev/null:%d\n"
		 "LIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so\n",
		 PCSC_ENV_CARD_PORT);
	return write_file(path, conf);
}

static pid_t spawn(const char *const *argv, int in_fd, int out_fd)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (in_fd >= 0)
		dup2(in_fd, STDIN_FILENO);
	if (out_fd >= 0) {
		dup2(out_fd, STDOUT_FILENO);
		dup2(out_fd, STDERR_FILENO);
	}
	{
		/* execvp() takes char *const[]: copy the pointers rather than
		 * cast the const away. */
		char *copy[64] = {0};
		size_t n = 0;

		while (argv[n] && n < 63)
			n++;
		memcpy(copy, argv, n * sizeof(*copy));
		execvp(copy[0], copy);
	}
	_exit(127);
}

int pcsc_env_start_pcscd(struct pcsc_env *e, int timeout_ms)
{
	char conf[128], log[128];
	const char *argv[] = {"pcscd", "-f", "-c", conf, NULL};
	long long until = pcsc_env_now_ms() + timeout_ms;
	struct stat st;
	int fd;

	if (access("/usr/sbin/pcscd", X_OK) == 0)
		argv[0] = "/usr/sbin/pcscd";
	snprintf(conf, sizeof(conf), "%s/conf", e->dir);
	snprintf(log, sizeof(log), "%s/pcscd.log", e->dir);
	unlink(PCSCD_SOCKET);
	fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	e->pcscd = spawn(argv, -1, fd);
	if (fd >= 0)
		close(fd);
	if (e->pcscd < 0)
		return -errno;
	/* The socket appears within ~60 ms; a loaded 2-core machine may
	 * take much longer. */
	while (stat(PCSCD_SOCKET, &st) < 0) {
		if (waitpid(e->pcscd, NULL, WNOHANG) == e->pcscd) {
			e->pcscd = -1;
			return -ECHILD;
		}
		if (pcsc_env_now_ms() > until)
			return -ETIMEDOUT;
		nap_ms(10);
	}
	return 0;
}

/* Sends sig, then SIGKILL after timeout_ms; reaps. Returns the exit
 * status (0..255), 128 + the signal that ended it, or -ECHILD. */
static int stop_pid(pid_t *pid, int sig, int timeout_ms)
{
	long long until = pcsc_env_now_ms() + timeout_ms;
	int status = 0;

	if (*pid <= 0)
		return -ECHILD;
	kill(*pid, sig);
	while (waitpid(*pid, &status, WNOHANG) == 0) {
		if (pcsc_env_now_ms() > until) {
			kill(*pid, SIGKILL);
			waitpid(*pid, &status, 0);
			break;
		}
		nap_ms(10);
	}
	*pid = -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void pcsc_env_stop_pcscd(struct pcsc_env *e, bool kill_it)
{
	stop_pid(&e->pcscd, kill_it ? SIGKILL : SIGTERM, 5000);
	unlink(PCSCD_SOCKET);
}

int pcsc_env_start_vcard(struct pcsc_env *e, const char *path, const char *const *args)
{
	const char *argv[32] = {path};
	int to_child[2], from_child[2];
	char line[128];
	size_t n = 1;

	for (; args && args[n - 1] && n < 31; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	if (pipe2(to_child, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(from_child, O_CLOEXEC) < 0) {
		close(to_child[0]);
		close(to_child[1]);
		return -errno;
	}
	e->vcard = spawn(argv, to_child[0], from_child[1]);
	close(to_child[0]);
	close(from_child[1]);
	e->vcard_in = to_child[1];
	e->vcard_out = from_child[0];
	e->pending_len = 0;
	if (e->vcard < 0)
		return -errno;
	if (pcsc_env_vcard_line(e, line, sizeof(line), 15000) < 0 || strcmp(line, "ready") != 0)
		return -EPROTO;
	return 0;
}

int pcsc_env_vcard_line(struct pcsc_env *e, char *buf, size_t size, int timeout_ms)
{
	long long until = pcsc_env_now_ms() + timeout_ms;

	for (;;) {
		char *nl = memchr(e->pending, '\n', e->pending_len);

		if (nl) {
			size_t n = (size_t)(nl - e->pending);
			size_t keep = n < size - 1 ? n : size - 1;

			memcpy(buf, e->pending, keep);
			buf[keep] = '\0';
			memmove(e->pending, nl + 1, e->pending_len - n - 1);
			e->pending_len -= n + 1;
			return 0;
		}
		if (e->pending_len == sizeof(e->pending))
			return -EMSGSIZE;
		long long left = until - pcsc_env_now_ms();
		struct pollfd pfd = {.fd = e->vcard_out, .events = POLLIN};

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			return -ETIMEDOUT;
		ssize_t r = read(e->vcard_out, e->pending + e->pending_len,
				 sizeof(e->pending) - e->pending_len);
		if (r <= 0)
			return -EPIPE;
		e->pending_len += (size_t)r;
	}
}

int pcsc_env_vcard(struct pcsc_env *e, const char *cmd, char *buf, size_t size, int timeout_ms)
{
	size_t n = strlen(cmd);
	int r;

	if (write(e->vcard_in, cmd, n) != (ssize_t)n || write(e->vcard_in, "\n", 1) != 1)
		return -EPIPE;
	do {
		r = pcsc_env_vcard_line(e, buf, size, timeout_ms);
	} while (r == 0 && strcmp(buf, "removed-mid-read") == 0);
	return r;
}

void pcsc_env_stop_vcard(struct pcsc_env *e)
{
	if (e->vcard_in >= 0) {
		/* EOF on its stdin ends it; SIGTERM if it does not. */
		close(e->vcard_in);
		e->vcard_in = -1;
	}
	stop_pid(&e->vcard, SIGTERM, 3000);
	if (e->vcard_out >= 0)
		close(e->vcard_out);
	e->vcard_out = -1;
}

int pcsc_env_run(const char *const *argv, char *out, size_t size, int timeout_ms)
{
	long long until = pcsc_env_now_ms() + timeout_ms;
	size_t len = 0;
	int p[2], status;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid = spawn(argv, -1, p[1]);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -errno;
	}
	for (;;) {
		long long left = until - pcsc_env_now_ms();
		struct pollfd pfd = {.fd = p[0], .events = POLLIN};
		char sink[256];
		ssize_t r;

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			close(p[0]);
			if (size)
				out[len < size ? len : size - 1] = '\0';
			return -ETIMEDOUT;
		}
		if (len + 1 < size)
			r = read(p[0], out + len, size - 1 - len);
		else
			r = read(p[0], sink, sizeof(sink));
		if (r <= 0)
			break;
		if (len + 1 < size)
			len += (size_t)r;
	}
	close(p[0]);
	if (size)
		out[len] = '\0';
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int pcsc_env_start(struct pcsc_env *e, const char *const *argv, const char *log_path)
{
	size_t i;
	int fd;

	for (i = 0; i < sizeof(e->others) / sizeof(e->others[0]); i++)
		if (e->others[i] <= 0)
			break;
	if (i == sizeof(e->others) / sizeof(e->others[0]))
		return -EMFILE;
	fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	e->others[i] = spawn(argv, -1, fd);
	close(fd);
	if (e->others[i] < 0) {
		e->others[i] = 0;
		return -errno;
	}
	return (int)i;
}

int pcsc_env_stop(struct pcsc_env *e, int handle, int timeout_ms)
{
	int r;

	if (handle < 0 || (size_t)handle >= sizeof(e->others) / sizeof(e->others[0]))
		return -ECHILD;
	r = stop_pid(&e->others[handle], SIGTERM, timeout_ms);
	e->others[handle] = 0;
	return r;
}

void pcsc_env_free(struct pcsc_env *e)
{
	char cmd[128];

	for (size_t i = 0; i < sizeof(e->others) / sizeof(e->others[0]); i++)
		pcsc_env_stop(e, (int)i, 5000);

	pcsc_env_stop_vcard(e);
	pcsc_env_stop_pcscd(e, false);
	if (e->dir[0]) {
		const char *argv[] = {"rm", "-rf", e->dir, NULL};

		pcsc_env_run(argv, cmd, sizeof(cmd), 10000);
		e->dir[0] = '\0';
	}
}
