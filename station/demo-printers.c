/* SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "demo-backend.h"
#include "demo-printers.h"
#include "document-printer.h"
#include "receipt-printer.h"

#define START_TIMEOUT_MS 30000
#define STOP_TIMEOUT_MS	 5000
#define IPPEVEPRINTER	 "/usr/sbin/ippeveprinter"
#define IPP_SPOOL_MAX	 256

extern char **environ;

struct demo_printers {
	pid_t escpos_pid, dbus_pid, ipp_pid;
	int escpos_stdin; /* commands; closing it stops the stand-in */
	char receipts_dir[4096];
	char spool[4200];
	char receipt_uri[64];
	char document_uri[96];
	char web[64];
};

/* fork + exec with stdin/stdout from the given fds (-1: /dev/null), stdout
 * and stderr otherwise to log. The child gets SIGTERM when this thread
 * ends, so a demo killed outright leaves no printer behind. Only
 * async-signal-safe calls between fork and exec. */
static int spawn(char *const argv[], char *const envp[], int in_fd, int out_fd, const char *log,
		 pid_t *ret_pid)
{
	int log_fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	pid_t parent = getpid(), pid;

	if (log_fd < 0 || null_fd < 0) {
		int r = -errno;
		if (log_fd >= 0)
			close(log_fd);
		if (null_fd >= 0)
			close(null_fd);
		return r;
	}
	pid = fork();
	if (pid == 0) {
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
			_exit(127);
		if (dup2(in_fd >= 0 ? in_fd : null_fd, STDIN_FILENO) < 0 ||
		    dup2(out_fd >= 0 ? out_fd : log_fd, STDOUT_FILENO) < 0 ||
		    dup2(log_fd, STDERR_FILENO) < 0)
			_exit(127);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	close(log_fd);
	close(null_fd);
	if (pid < 0)
		return -errno;
	*ret_pid = pid;
	return 0;
}

static void stop(pid_t *pid)
{
	uint64_t start = demo_now_ms();
	int status;
	pid_t w;

	if (*pid <= 0)
		return;
	kill(*pid, SIGTERM);
	while ((w = waitpid(*pid, &status, WNOHANG)) == 0 &&
	       demo_now_ms() - start < STOP_TIMEOUT_MS)
		demo_pause_ms(10);
	if (w == 0) {
		kill(*pid, SIGKILL);
		while (waitpid(*pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	*pid = 0;
}

static bool exited(pid_t *pid)
{
	int status;

	if (waitpid(*pid, &status, WNOHANG) != *pid)
		return false;
	*pid = 0;
	return true;
}

/* escpos-printer-sim, its port read from the "port N" line it prints. */
static int start_escpos(struct demo_printers *p, const char *dir)
{
	char exe[4096], log[4200], spool[4096], a1[] = "--spool", a3[] = "--status",
						a4[] = "12,12,12";
	char *argv[] = {exe, a1, spool, a3, a4, NULL};
	int in[2] = {-1, -1}, out[2] = {-1, -1};
	char line[64];
	size_t len = 0;
	unsigned port = 0;
	uint64_t start;
	int r;

	r = demo_find_program("escpos-printer-sim", "ESCPOS_PRINTER_SIM", exe, sizeof(exe));
	if (r < 0) {
		fprintf(stderr,
			"station demo: the receipt printer stand-in '%s' is missing (build it, "
			"set ESCPOS_PRINTER_SIM, or use --printers sim)\n",
			exe);
		return r;
	}
	snprintf(spool, sizeof(spool), "%s", p->receipts_dir);
	snprintf(log, sizeof(log), "%s/escpos-printer-sim.log", dir);
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0) {
		r = -errno;
		goto out;
	}
	r = spawn(argv, environ, in[0], out[1], log, &p->escpos_pid);
	if (r < 0)
		goto out;
	p->escpos_stdin = in[1];
	in[1] = -1;
	close(out[1]);
	out[1] = -1;
	start = demo_now_ms();
	while (!port) {
		struct pollfd pfd = {.fd = out[0], .events = POLLIN};
		ssize_t n;

		if (demo_now_ms() - start > START_TIMEOUT_MS) {
			r = -ETIMEDOUT;
			goto out;
		}
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		n = read(out[0], line + len, sizeof(line) - 1 - len);
		if (n <= 0) {
			fprintf(stderr, "station demo: '%s' exited at start (see %s)\n", exe, log);
			r = -ECHILD;
			goto out;
		}
		len += (size_t)n;
		line[len] = '\0';
		if (strchr(line, '\n') && sscanf(line, "port %u", &port) != 1) {
			r = -EBADMSG;
			goto out;
		}
		if (len == sizeof(line) - 1 && !port) {
			r = -EBADMSG;
			goto out;
		}
	}
	snprintf(p->receipt_uri, sizeof(p->receipt_uri), "tcp://127.0.0.1:%u?timeout_ms=5000",
		 port);
	r = 0;
out:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (out[i] >= 0)
			close(out[i]);
	}
	return r;
}

static size_t discard(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	(void)ptr;
	(void)userdata;
	return size * nmemb;
}

/* A GET on ippeveprinter's web server: 0 on 2xx, -EIO otherwise. */
static int web_get(const struct demo_printers *p, const char *path)
{
	char url[256];
	long status = 0;
	CURLcode cr;
	CURL *c;

	snprintf(url, sizeof(url), "%s%s", p->web, path);
	c = curl_easy_init();
	if (!c)
		return -EIO;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 2000L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	cr = curl_easy_perform(c);
	if (cr == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	return cr == CURLE_OK && status >= 200 && status < 300 ? 0 : -EIO;
}

/* A port free on 127.0.0.1 now (ippeveprinter takes a number, not 0). */
static unsigned free_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	unsigned port = 0;

	if (fd < 0)
		return 0;
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &alen) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/* A private D-Bus bus (ippeveprinter exits without one: TESTBED.md),
 * then ippeveprinter on a free port, until its web server answers. */
static int start_ipp(struct demo_printers *p, const char *dir, const char *dbus, const char *ipp)
{
	char bus[4200], addr[4300], log[4200], env_bus[4400], a_port[16];
	char a_dbus[4096], d1[] = "--session", d3[] = "--nofork", d4[] = "--nopidfile";
	char *dargv[] = {a_dbus, d1, addr, d3, d4, NULL};
	char a_ipp[4096], i0[] = "-n", i00[] = "localhost", i1[] = "-p", i3[] = "-r", i4[] = "off",
			  i5[] = "-d", i7[] = "-k", i8[] = "-c", i9[] = "/bin/true", i10[] = "-f",
			  i11[] = "application/pdf", i12[] = "Anjungan-Demo";
	/* -n localhost: it listens on the loopback addresses only (127.0.0.1
	 * and ::1); without -n it takes every address. */
	char *iargv[] = {a_ipp,	   i0, i00, i1, a_port, i3,  i4,  i5,
			 p->spool, i7, i8,  i9, i10,	i11, i12, NULL};
	char *envp[512];
	size_t n_env = 0;
	uint64_t start;
	int r;

	snprintf(a_dbus, sizeof(a_dbus), "%s", dbus);
	snprintf(a_ipp, sizeof(a_ipp), "%s", ipp);
	if ((size_t)snprintf(bus, sizeof(bus), "%s/bus", dir) >= 100)
		return -ENAMETOOLONG; /* a socket path must fit sun_path */
	snprintf(addr, sizeof(addr), "--address=unix:path=%s", bus);
	unlink(bus);
	if (mkdir(p->spool, 0700) < 0 && errno != EEXIST)
		return -errno;
	/* A fresh printer: what an earlier run spooled is not this run's. */
	{
		DIR *sd = opendir(p->spool);
		struct dirent *de;
		while (sd && (de = readdir(sd))) {
			char path[4500];
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", p->spool, de->d_name);
			unlink(path);
		}
		if (sd)
			closedir(sd);
	}
	snprintf(log, sizeof(log), "%s/dbus-daemon.log", dir);
	r = spawn(dargv, environ, -1, -1, log, &p->dbus_pid);
	if (r < 0)
		return r;
	start = demo_now_ms();
	while (access(bus, F_OK) < 0) {
		if (exited(&p->dbus_pid) || demo_now_ms() - start > START_TIMEOUT_MS) {
			fprintf(stderr, "station demo: dbus-daemon did not start (see %s)\n", log);
			return -ECHILD;
		}
		demo_pause_ms(20);
	}

	snprintf(env_bus, sizeof(env_bus), "DBUS_SYSTEM_BUS_ADDRESS=unix:path=%s", bus);
	envp[n_env++] = env_bus;
	for (char **e = environ; *e && n_env < sizeof(envp) / sizeof(envp[0]) - 1; e++)
		if (strncmp(*e, "DBUS_SYSTEM_BUS_ADDRESS=", 24) != 0)
			envp[n_env++] = *e;
	envp[n_env] = NULL;
	snprintf(log, sizeof(log), "%s/ippeveprinter.log", dir);
	/* The port may be taken between free_port() and the printer's bind:
	 * then it exits, and another port is tried. */
	for (int tries = 0; tries < 5; tries++) {
		unsigned port = free_port();

		if (!port)
			return -EADDRNOTAVAIL;
		snprintf(a_port, sizeof(a_port), "%u", port);
		snprintf(p->web, sizeof(p->web), "http://127.0.0.1:%u", port);
		r = spawn(iargv, envp, -1, -1, log, &p->ipp_pid);
		if (r < 0)
			return r;
		start = demo_now_ms();
		while (web_get(p, "/") < 0) {
			if (exited(&p->ipp_pid))
				break;
			if (demo_now_ms() - start > START_TIMEOUT_MS) {
				fprintf(stderr,
					"station demo: ippeveprinter did not answer (see %s)\n",
					log);
				return -ETIMEDOUT;
			}
			demo_pause_ms(20);
		}
		if (p->ipp_pid > 0) {
			snprintf(p->document_uri, sizeof(p->document_uri),
				 "ipp://127.0.0.1:%u/ipp/print", port);
			return 0;
		}
	}
	fprintf(stderr, "station demo: ippeveprinter exited at start (see %s)\n", log);
	return -ECHILD;
}

static bool find_exe(const char *name, char *buf, size_t size)
{
	static const char *const dirs[] = {"/usr/bin", "/bin", "/usr/sbin", "/sbin"};

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(buf, size, "%s/%s", dirs[i], name);
		if (access(buf, X_OK) == 0)
			return true;
	}
	return false;
}

int demo_printers_start(const char *dir, const char *receipts_dir, bool want_ipp,
			struct demo_printers **ret, bool *ret_ipp_missing)
{
	struct demo_printers *p;
	const char *ipp = getenv("IPPEVEPRINTER");
	char dbus[4096];
	bool missing = false;
	int r;

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->escpos_stdin = -1;
	snprintf(p->receipts_dir, sizeof(p->receipts_dir), "%s", receipts_dir);
	snprintf(p->spool, sizeof(p->spool), "%s/ipp-spool", dir);
	r = start_escpos(p, dir);
	if (r >= 0 && want_ipp) {
		if (!ipp || !ipp[0])
			ipp = IPPEVEPRINTER;
		if (access(ipp, X_OK) < 0 || !find_exe("dbus-daemon", dbus, sizeof(dbus)))
			missing = true;
		else
			r = start_ipp(p, dir, dbus, ipp);
	}
	if (r < 0) {
		demo_printers_free(p);
		return r;
	}
	*ret = p;
	if (ret_ipp_missing)
		*ret_ipp_missing = missing;
	return 0;
}

const char *demo_printers_receipt_uri(const struct demo_printers *p)
{
	return p ? p->receipt_uri : NULL;
}

const char *demo_printers_document_uri(const struct demo_printers *p)
{
	return p && p->document_uri[0] ? p->document_uri : NULL;
}

int demo_printers_set_receipt_status(struct demo_printers *p, unsigned flags)
{
	/* The bytes DLE EOT 1, 2, 4 answer (escpos_parse_status()). */
	unsigned s1 = 0x12, s2 = 0x12, s4 = 0x12;
	char cmd[32];
	int n;

	if (!p || p->escpos_stdin < 0)
		return -EINVAL;
	if (flags & RECEIPT_STATUS_OFFLINE)
		s1 |= 0x08;
	if (flags & RECEIPT_STATUS_COVER_OPEN)
		s2 |= 0x04;
	if (flags & RECEIPT_STATUS_ERROR)
		s2 |= 0x40;
	if (flags & RECEIPT_STATUS_PAPER_END) {
		s2 |= 0x20;
		s4 |= 0x60;
	}
	if (flags & RECEIPT_STATUS_PAPER_NEAR_END)
		s4 |= 0x0c;
	n = snprintf(cmd, sizeof(cmd), "status %02x %02x %02x\n", s1, s2, s4);
	if (write(p->escpos_stdin, cmd, (size_t)n) != n)
		return -EIO;
	/* In the pipe before any later status request is on the socket: the
	 * stand-in reads its stdin first when both are ready. */
	return 0;
}

int demo_printers_set_document_status(struct demo_printers *p, unsigned flags)
{
	int r;

	if (!p || !p->document_uri[0])
		return -EINVAL;
	if (flags & ~(unsigned)(DOCUMENT_STATUS_MEDIA_EMPTY | DOCUMENT_STATUS_TONER_LOW))
		return -EOPNOTSUPP;
	/* The form takes both trays at once: one left out is empty. Supply
	 * 0 is the waste tank (full is a fault of its own), 1 the toner. */
	r = web_get(p, flags & DOCUMENT_STATUS_MEDIA_EMPTY
			       ? "/media?size1=iso_a4_210x297mm&type1=stationery&level1=0"
			       : "/media?size1=iso_a4_210x297mm&type1=stationery&level1=250"
				 "&size3=na_number-10_4.125x9.5in&type3=envelope&level3=25");
	if (r >= 0)
		r = web_get(p, flags & DOCUMENT_STATUS_TONER_LOW
				       ? "/supplies?supply0=0&supply1=5"
				       : "/supplies?supply0=0&supply1=100");
	return r;
}

static unsigned count_suffix(const char *dir, const char *prefix, const char *suffix)
{
	DIR *d = opendir(dir);
	size_t np = strlen(prefix), ns = strlen(suffix);
	struct dirent *de;
	unsigned n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len > np + ns && strncmp(de->d_name, prefix, np) == 0 &&
		    strcmp(de->d_name + len - ns, suffix) == 0)
			n++;
	}
	closedir(d);
	return n;
}

unsigned demo_printers_receipt_jobs(const struct demo_printers *p)
{
	return p ? count_suffix(p->receipts_dir, "receipt-", ".escpos") : 0;
}

unsigned demo_printers_document_jobs(const struct demo_printers *p)
{
	return p && p->document_uri[0] ? count_suffix(p->spool, "", ".pdf") : 0;
}

static int copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
	char buf[65536];
	size_t n;
	int r = 0;

	if (!in || !out) {
		r = -errno;
		goto out;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			r = -EIO;
	if (ferror(in))
		r = -EIO;
out:
	if (in)
		fclose(in);
	if (out && fclose(out) != 0 && r == 0)
		r = -EIO;
	return r;
}

struct spooled {
	long job;
	char name[256];
};

static int by_job(const void *a, const void *b)
{
	const struct spooled *x = a, *y = b;

	return (x->job > y->job) - (x->job < y->job);
}

int demo_printers_collect_documents(const struct demo_printers *p, const char *documents_dir)
{
	struct spooled *jobs;
	struct dirent *de;
	size_t n = 0;
	DIR *d;
	int r = 0;

	if (!p || !p->document_uri[0])
		return 0;
	d = opendir(p->spool);
	if (!d)
		return -errno;
	jobs = calloc(IPP_SPOOL_MAX, sizeof(*jobs));
	if (!jobs) {
		closedir(d);
		return -ENOMEM;
	}
	/* ippeveprinter -k keeps each job as N-<job name>.pdf. */
	while ((de = readdir(d)) && n < IPP_SPOOL_MAX) {
		size_t len = strlen(de->d_name);
		char *end;
		long job = strtol(de->d_name, &end, 10);
		if (len < 5 || len >= sizeof(jobs[n].name) || end == de->d_name || *end != '-' ||
		    strcmp(de->d_name + len - 4, ".pdf") != 0)
			continue;
		jobs[n].job = job;
		memcpy(jobs[n].name, de->d_name, len + 1);
		n++;
	}
	closedir(d);
	qsort(jobs, n, sizeof(*jobs), by_job);
	for (size_t i = 0; i < n && r >= 0; i++) {
		char from[4500], to[4200];
		snprintf(from, sizeof(from), "%s/%s", p->spool, jobs[i].name);
		snprintf(to, sizeof(to), "%s/document-%03zu.pdf", documents_dir, i + 1);
		r = copy_file(from, to);
	}
	free(jobs);
	return r < 0 ? r : (int)n;
}

struct demo_printers *demo_printers_free(struct demo_printers *p)
{
	if (!p)
		return NULL;
	if (p->escpos_stdin >= 0) {
		/* Its stdin closed: it writes what it holds and exits. */
		close(p->escpos_stdin);
		p->escpos_stdin = -1;
	}
	stop(&p->ipp_pid);
	stop(&p->dbus_pid);
	if (p->escpos_pid > 0) {
		uint64_t start = demo_now_ms();
		int status;
		pid_t w;
		while ((w = waitpid(p->escpos_pid, &status, WNOHANG)) == 0 &&
		       demo_now_ms() - start < STOP_TIMEOUT_MS)
			demo_pause_ms(10);
		if (w == p->escpos_pid)
			p->escpos_pid = 0;
		stop(&p->escpos_pid);
	}
	free(p);
	return NULL;
}
