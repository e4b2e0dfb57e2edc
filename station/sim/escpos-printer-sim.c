/* SPDX-License-Identifier: MIT */
/*
 * escpos-printer-sim: a TCP 9100 ESC/POS receipt printer stand-in, for the
 * demo and the tests.
 *
 *   escpos-printer-sim [--out FILE] [--spool DIR] [--status S1,S2,S4]
 *
 * Listens on 127.0.0.1 (port chosen by the system, printed on stdout as
 * "port N"). It decodes nothing: --out records every byte of every
 * connection; --spool stores each job (the bytes between status requests)
 * as DIR/receipt-NNN.escpos, written whole before the next status answer,
 * so a client that asked for the status after its job finds the file.
 * DLE EOT 1/2/4 are answered with the status bytes (hex, default
 * 12,12,12: online, paper present). Commands on stdin, one per line:
 * "status S1 S2 S4" changes the answers. Exits 0 when stdin closes (its
 * parent is done or gone), so it never outlives whoever started it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define JOB_MAX (64u << 20)

struct standin {
	unsigned char answer[5];
	FILE *out;
	const char *spool;
	unsigned jobs;
	unsigned char *job;
	size_t job_len, job_size;
	/* Bytes of a possible status request (DLE, DLE EOT) held back. */
	unsigned char held[2];
	size_t n_held;
};

static int parse_hex_byte(const char *s, char **end, unsigned char *ret)
{
	long v;

	errno = 0;
	v = strtol(s, end, 16);
	if (errno || *end == s || v < 0 || v > 255)
		return -EINVAL;
	*ret = (unsigned char)v;
	return 0;
}

/* "S1,S2,S4" or "S1 S2 S4". */
static int parse_status(const char *s, unsigned char answer[5])
{
	unsigned char b[3];
	char *end;

	for (int i = 0; i < 3; i++) {
		if (parse_hex_byte(s, &end, &b[i]) < 0)
			return -EINVAL;
		if (i < 2 && *end != ',' && *end != ' ')
			return -EINVAL;
		s = end + (i < 2);
	}
	if (*end && *end != '\n')
		return -EINVAL;
	answer[1] = b[0];
	answer[2] = b[1];
	answer[3] = 0x12;
	answer[4] = b[2];
	return 0;
}

static int job_add(struct standin *s, const unsigned char *p, size_t n)
{
	if (!s->spool || n == 0)
		return 0;
	if (s->job_len + n > JOB_MAX)
		return -EFBIG;
	if (s->job_len + n > s->job_size) {
		size_t size = s->job_size ? s->job_size : 65536;
		unsigned char *job;

		while (size < s->job_len + n)
			size *= 2;
		job = realloc(s->job, size);
		if (!job)
			return -ENOMEM;
		s->job = job;
		s->job_size = size;
	}
	memcpy(s->job + s->job_len, p, n);
	s->job_len += n;
	return 0;
}

/* Writes the job gathered so far, whole (by rename), and starts a new one. */
static int job_flush(struct standin *s)
{
	char tmp[4200], path[4200];
	FILE *f;
	int r = 0;

	if (!s->spool || s->job_len == 0)
		return 0;
	s->jobs++;
	snprintf(tmp, sizeof(tmp), "%s/.receipt-%03u.part", s->spool, s->jobs);
	snprintf(path, sizeof(path), "%s/receipt-%03u.escpos", s->spool, s->jobs);
	f = fopen(tmp, "wb");
	if (!f)
		return -errno;
	if (fwrite(s->job, 1, s->job_len, f) != s->job_len)
		r = -EIO;
	if (fclose(f) != 0 && r == 0)
		r = -EIO;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	s->job_len = 0;
	return r;
}

/* Takes bytes from the wire: status requests answered, the rest to the
 * current job. A DLE or DLE EOT at the end of a read is held back until
 * the next read says whether it was a request. */
static int take(struct standin *s, int fd, const unsigned char *buf, size_t n)
{
	int r;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = buf[i];

		if (s->n_held == 2) {
			s->n_held = 0;
			if (c >= 1 && c <= 4) {
				r = job_flush(s);
				if (r < 0)
					return r;
				if (write(fd, &s->answer[c], 1) != 1)
					return -EIO;
				continue;
			}
			r = job_add(s, s->held, 2);
			if (r < 0)
				return r;
		} else if (s->n_held == 1) {
			if (c == 0x04) {
				s->held[s->n_held++] = c;
				continue;
			}
			s->n_held = 0;
			r = job_add(s, s->held, 1);
			if (r < 0)
				return r;
		}
		if (c == 0x10) {
			s->held[0] = c;
			s->n_held = 1;
			continue;
		}
		r = job_add(s, &c, 1);
		if (r < 0)
			return r;
	}
	return 0;
}

/* A command line from stdin. */
static void command(struct standin *s, const char *line)
{
	if (strncmp(line, "status ", 7) == 0 && parse_status(line + 7, s->answer) == 0)
		return;
	fprintf(stderr, "escpos-printer-sim: ignored command: %s", line);
}

static int usage(void)
{
	fprintf(stderr,
		"usage: escpos-printer-sim [--out FILE] [--spool DIR] [--status S1,S2,S4]\n");
	return 64;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct standin s = {.answer = {0, 0x12, 0x12, 0x12, 0x12}};
	socklen_t alen = sizeof(a);
	char line[256];
	size_t line_len = 0;
	int lfd, cfd = -1, ret = 0;

	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			return usage();
		if (strcmp(argv[i], "--out") == 0) {
			s.out = fopen(argv[++i], "wb");
			if (!s.out) {
				perror(argv[i]);
				return 1;
			}
		} else if (strcmp(argv[i], "--spool") == 0) {
			s.spool = argv[++i];
		} else if (strcmp(argv[i], "--status") == 0) {
			if (parse_status(argv[++i], s.answer) < 0)
				return usage();
		} else {
			return usage();
		}
	}
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(lfd, 4) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&a, &alen) < 0) {
		perror("escpos-printer-sim");
		return 1;
	}
	printf("port %u\n", ntohs(a.sin_port));
	fflush(stdout);
	for (;;) {
		struct pollfd pfd[2] = {{.fd = cfd >= 0 ? cfd : lfd, .events = POLLIN},
					{.fd = STDIN_FILENO, .events = POLLIN}};
		unsigned char buf[8192];
		ssize_t n;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			ret = 1;
			break;
		}
		if (pfd[1].revents) {
			n = read(STDIN_FILENO, buf, sizeof(buf));
			if (n <= 0)
				break;
			for (ssize_t i = 0; i < n; i++) {
				if (line_len < sizeof(line) - 1)
					line[line_len++] = (char)buf[i];
				if (buf[i] == '\n') {
					line[line_len] = '\0';
					command(&s, line);
					line_len = 0;
				}
			}
		}
		if (!pfd[0].revents)
			continue;
		if (cfd < 0) {
			cfd = accept(lfd, NULL, NULL);
			s.n_held = 0;
			continue;
		}
		n = read(cfd, buf, sizeof(buf));
		if (n > 0 && s.out) {
			fwrite(buf, 1, (size_t)n, s.out);
			fflush(s.out);
		}
		if (n <= 0 || take(&s, cfd, buf, (size_t)n) < 0) {
			/* The connection ended: what it carried is a job. */
			if (s.n_held)
				job_add(&s, s.held, s.n_held);
			s.n_held = 0;
			if (job_flush(&s) < 0)
				ret = 1;
			close(cfd);
			cfd = -1;
		}
	}
	if (cfd >= 0)
		close(cfd);
	close(lfd);
	if (job_flush(&s) < 0)
		ret = 1;
	free(s.job);
	if (s.out && fclose(s.out) != 0)
		ret = 1;
	return ret;
}
