/* SPDX-License-Identifier: MIT */
/*
 * vcard: a virtual e-KTP (and a virtual SAM) for vsmartcard-vpcd.
 *
 * vpcd listens on one TCP port per slot; a card is "inserted" when a
 * program connects to the slot's port and "removed" when it closes the
 * connection. Both directions carry messages framed as a 2-byte
 * big-endian length and a payload; a 1-byte payload from vpcd is a
 * control message (00 power off, 01 power on, 02 reset, 04 get ATR, the
 * only one answered), anything longer a C-APDU answered by one R-APDU.
 *
 * The SAM stays in its slot for the life of the program; the card goes in
 * and out on commands read from stdin, one per line, each answered by one
 * line on stdout, so that a test harness can drive it without sleeping:
 *   insert | remove | fault NAME [AFTER] | type a|b|other | attach-sam |
 *   stats | quit
 * -> "inserted", "removed", "ok", "apdus CARD SAM", or "error: ...".
 * When the "remove" fault pulls the card by itself, "removed-mid-read" is
 * printed as soon as the socket is closed.
 *
 *   vcard --port P [--sam-port P2] [--host ADDR] [--type a|b|other]
 *         [--fault NAME] [--fault-after N] [--slow-ms MS] [--nik NIK]
 *         [--name NAME] [--inserted]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "vcard-emu.h"

#define CONNECT_TRIES 200 /* x 50 ms: vpcd may still be starting */

struct vcard {
	const char *host;
	int port, sam_port;
	int card_fd, sam_fd;
	struct vcard_card card;
	struct vcard_sam sam;
	enum vcard_type type;
	struct vcard_identity id;
	uint8_t uid[10]; /* --uid; uid_len 0: a random one per insertion */
	size_t uid_len;
	enum vcard_fault fault;
	unsigned fault_after; /* card APDUs answered normally first */
	unsigned slow_ms;
	unsigned card_apdus; /* since insertion */
	/* a delayed answer (slow fault) */
	uint8_t pending[VCARD_RESP_MAX + 2];
	size_t pending_len;
	bool has_pending;
	struct timespec pending_due;
};

static int tcp_connect(const char *host, int port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int one = 1;

	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return -EINVAL;
	for (int i = 0; i < CONNECT_TRIES; i++) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (fd < 0)
			return -errno;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
			return fd;
		}
		close(fd);
		/* Waiting for vpcd to listen: it is loaded by pcscd, which the
		 * harness started just before. */
		nanosleep(&(struct timespec){.tv_nsec = 50 * 1000000L}, NULL);
	}
	return -ETIMEDOUT;
}

static int read_full(int fd, uint8_t *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		int one = 1;
		ssize_t r;

		/* vpcd sends length and payload in two writes: without the
		 * quick ACK each APDU waits for the delayed-ACK timer. */
		setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
		r = recv(fd, buf + got, n - got, 0);
		if (r == 0)
			return -EPIPE;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		got += (size_t)r;
	}
	return 0;
}

static int send_msg(int fd, const uint8_t *p, size_t n)
{
	uint8_t buf[2 + VCARD_RESP_MAX + 2];

	if (n > sizeof(buf) - 2)
		return -EMSGSIZE;
	buf[0] = (uint8_t)(n >> 8);
	buf[1] = (uint8_t)n;
	memcpy(buf + 2, p, n);
	return send(fd, buf, n + 2, MSG_NOSIGNAL) == (ssize_t)(n + 2) ? 0 : -EPIPE;
}

/* Reads one message; returns its length, or -errno (-EPIPE on close). */
static int recv_msg(int fd, uint8_t *buf, size_t size)
{
	uint8_t hdr[2];
	size_t n;
	int r;

	r = read_full(fd, hdr, 2);
	if (r < 0)
		return r;
	n = (size_t)hdr[0] << 8 | hdr[1];
	if (n > size)
		return -EMSGSIZE;
	r = read_full(fd, buf, n);
	return r < 0 ? r : (int)n;
}

static void say(const char *line)
{
	printf("%s\n", line);
	fflush(stdout);
}

static void card_out(struct vcard *v)
{
	if (v->card_fd >= 0)
		close(v->card_fd);
	v->card_fd = -1;
	v->has_pending = false;
}

static int card_in(struct vcard *v)
{
	int r;

	if (v->card_fd >= 0)
		return 0;
	v->card.fault = v->fault;
	r = vcard_card_init(&v->card, v->type, &v->id, v->uid_len ? v->uid : NULL, v->uid_len);
	if (r < 0)
		return r;
	v->card_apdus = 0;
	r = tcp_connect(v->host, v->port);
	if (r < 0)
		return r;
	v->card_fd = r;
	return 0;
}

static bool fault_active(const struct vcard *v, enum vcard_fault f)
{
	return v->fault == f && v->card_apdus >= v->fault_after;
}

static void handle_card(struct vcard *v)
{
	uint8_t msg[512], resp[VCARD_RESP_MAX + 2];
	int n = recv_msg(v->card_fd, msg, sizeof(msg));
	size_t rn;

	if (n < 0) {
		card_out(v);
		return;
	}
	if (n == 1) {
		if (msg[0] == 0x04)
			send_msg(v->card_fd, v->card.atr, v->card.atr_len);
		else
			vcard_card_reset(&v->card);
		return;
	}
	if (fault_active(v, VCARD_FAULT_REMOVE)) {
		card_out(v);
		say("removed-mid-read");
		return;
	}
	if (fault_active(v, VCARD_FAULT_MUTE)) {
		v->card_apdus++;
		return;
	}
	rn = vcard_card_apdu(&v->card, msg, (size_t)n, resp);
	if (fault_active(v, VCARD_FAULT_SLOW)) {
		memcpy(v->pending, resp, rn);
		v->pending_len = rn;
		v->has_pending = true;
		clock_gettime(CLOCK_MONOTONIC, &v->pending_due);
		v->pending_due.tv_sec += v->slow_ms / 1000;
		v->pending_due.tv_nsec += (long)(v->slow_ms % 1000) * 1000000L;
		if (v->pending_due.tv_nsec >= 1000000000L) {
			v->pending_due.tv_sec++;
			v->pending_due.tv_nsec -= 1000000000L;
		}
	} else if (send_msg(v->card_fd, resp, rn) < 0) {
		card_out(v);
	}
	v->card_apdus++;
}

static void handle_sam(struct vcard *v)
{
	uint8_t msg[512], resp[VCARD_RESP_MAX + 2];
	int n = recv_msg(v->sam_fd, msg, sizeof(msg));
	size_t rn;

	if (n < 0) {
		/* vpcd went away (pcscd stopped): come back when it does. */
		close(v->sam_fd);
		v->sam_fd = -1;
		return;
	}
	if (n == 1) {
		if (msg[0] == 0x04) {
			static const uint8_t sam_atr[] = {0x3b, 0x00};

			send_msg(v->sam_fd, sam_atr, sizeof(sam_atr));
		} else {
			vcard_sam_reset(&v->sam);
		}
		return;
	}
	rn = vcard_sam_apdu(&v->sam, msg, (size_t)n, resp);
	if (send_msg(v->sam_fd, resp, rn) < 0) {
		close(v->sam_fd);
		v->sam_fd = -1;
	}
}

static int parse_type(const char *s, enum vcard_type *ret)
{
	if (strcmp(s, "a") == 0)
		*ret = VCARD_TYPE_A;
	else if (strcmp(s, "b") == 0)
		*ret = VCARD_TYPE_B;
	else if (strcmp(s, "other") == 0)
		*ret = VCARD_TYPE_OTHER;
	else
		return -EINVAL;
	return 0;
}

static unsigned parse_uint(const char *s, unsigned max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max) {
		fprintf(stderr, "vcard: bad number '%s'\n", s);
		exit(64);
	}
	return (unsigned)v;
}

/* Returns false on quit. */
static bool handle_command(struct vcard *v, char *line)
{
	char *arg, *arg2;
	char out[64];
	int r;

	line[strcspn(line, "\r\n")] = '\0';
	arg = strchr(line, ' ');
	if (arg) {
		*arg++ = '\0';
		arg2 = strchr(arg, ' ');
		if (arg2)
			*arg2++ = '\0';
	} else {
		arg2 = NULL;
	}
	if (strcmp(line, "insert") == 0) {
		r = card_in(v);
		say(r < 0 ? "error: cannot connect to vpcd" : "inserted");
	} else if (strcmp(line, "remove") == 0) {
		card_out(v);
		say("removed");
	} else if (strcmp(line, "fault") == 0 && arg) {
		enum vcard_fault f;

		if (vcard_fault_from_string(arg, &f) < 0) {
			say("error: unknown fault");
		} else {
			v->fault = f;
			v->fault_after = arg2 ? parse_uint(arg2, 1000000) : 0;
			v->card.fault = f;
			say("ok");
		}
	} else if (strcmp(line, "type") == 0 && arg) {
		say(parse_type(arg, &v->type) < 0 ? "error: unknown type" : "ok");
	} else if (strcmp(line, "attach-sam") == 0) {
		/* After pcscd restarted: vpcd listens again. */
		if (v->sam_fd < 0 && v->sam_port > 0)
			v->sam_fd = tcp_connect(v->host, v->sam_port);
		vcard_sam_reset(&v->sam);
		say(v->sam_fd >= 0 ? "ok" : "error: cannot connect to vpcd");
	} else if (strcmp(line, "stats") == 0) {
		snprintf(out, sizeof(out), "apdus %u %u", v->card.apdus, v->sam.apdus);
		say(out);
	} else if (strcmp(line, "quit") == 0) {
		return false;
	} else {
		say("error: unknown command");
	}
	return true;
}

static int ms_until(const struct timespec *due)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (due->tv_sec - now.tv_sec) * 1000 + (due->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : (int)ms;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: vcard --port P [--sam-port P2] [--host ADDR] [--type a|b|other]\n"
		   "             [--fault NAME] [--fault-after N] [--slow-ms MS] [--nik NIK]\n"
		   "             [--name NAME] [--uid HEX] [--inserted]\n"
		   "A virtual e-KTP (and SAM) for vsmartcard-vpcd. Commands on stdin:\n"
		   "insert, remove, fault NAME [AFTER], type a|b|other, stats, quit.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"port", required_argument, NULL, 'p'},
		{"sam-port", required_argument, NULL, 's'},
		{"host", required_argument, NULL, 'H'},
		{"type", required_argument, NULL, 't'},
		{"fault", required_argument, NULL, 'f'},
		{"fault-after", required_argument, NULL, 'a'},
		{"slow-ms", required_argument, NULL, 'w'},
		{"nik", required_argument, NULL, 'n'},
		{"name", required_argument, NULL, 'N'},
		{"uid", required_argument, NULL, 'u'},
		{"inserted", no_argument, NULL, 'i'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct vcard v = {
		.host = "127.0.0.1",
		.card_fd = -1,
		.sam_fd = -1,
		.type = VCARD_TYPE_A,
		.slow_ms = 700,
		.id =
			{
				.nik = "3201011506870001",
				.name = "BUDI SANTOSO WIBOWO",
				.birth_place = "BOGOR",
				.address = "JL. PAJAJARAN NO. 10",
				.rt_rw = "003/007",
				.village = "BARANANGSIANG",
				.district = "BOGOR TIMUR",
				.regency = "KOTA BOGOR",
				.province = "JAWA BARAT",
			},
	};
	char line[256];
	size_t line_len = 0;
	bool inserted = false;
	int c;

	if (sodium_init() < 0)
		return 70;
	signal(SIGPIPE, SIG_IGN);
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			v.port = (int)parse_uint(optarg, 65535);
			break;
		case 's':
			v.sam_port = (int)parse_uint(optarg, 65535);
			break;
		case 'H':
			v.host = optarg;
			break;
		case 't':
			if (parse_type(optarg, &v.type) < 0) {
				usage(stderr);
				return 64;
			}
			break;
		case 'f':
			if (vcard_fault_from_string(optarg, &v.fault) < 0) {
				fprintf(stderr, "vcard: unknown fault '%s'\n", optarg);
				return 64;
			}
			break;
		case 'a':
			v.fault_after = parse_uint(optarg, 1000000);
			break;
		case 'w':
			v.slow_ms = parse_uint(optarg, 600000);
			break;
		case 'n':
			v.id.nik = optarg;
			break;
		case 'N':
			v.id.name = optarg;
			break;
		case 'u':
			/* A fixed UID (4, 7 or 10 bytes), e.g. one the
			 * reference backend knows; random otherwise. */
			if (sodium_hex2bin(v.uid, sizeof(v.uid), optarg, strlen(optarg), NULL,
					   &v.uid_len, NULL) != 0 ||
			    (v.uid_len != 4 && v.uid_len != 7 && v.uid_len != 10)) {
				fprintf(stderr, "vcard: --uid wants 4, 7 or 10 bytes in hex\n");
				return 64;
			}
			break;
		case 'i':
			inserted = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 64;
		}
	}
	if (v.port <= 0) {
		usage(stderr);
		return 64;
	}
	v.card.fault = v.fault;
	if (vcard_card_init(&v.card, v.type, &v.id, v.uid_len ? v.uid : NULL, v.uid_len) < 0) {
		fprintf(stderr, "vcard: the identity does not fit a card\n");
		return 65;
	}
	vcard_sam_init(&v.sam);
	if (v.sam_port > 0) {
		v.sam_fd = tcp_connect(v.host, v.sam_port);
		if (v.sam_fd < 0) {
			fprintf(stderr, "vcard: cannot connect the SAM to vpcd\n");
			return 69;
		}
	}
	if (inserted && card_in(&v) < 0) {
		fprintf(stderr, "vcard: cannot connect the card to vpcd\n");
		return 69;
	}
	say("ready");

	for (;;) {
		struct pollfd pfd[3] = {
			{.fd = STDIN_FILENO, .events = POLLIN},
			{.fd = v.card_fd, .events = POLLIN},
			{.fd = v.sam_fd, .events = POLLIN},
		};
		int timeout = v.has_pending ? ms_until(&v.pending_due) : -1;

		if (poll(pfd, 3, timeout) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (v.has_pending && ms_until(&v.pending_due) == 0) {
			v.has_pending = false;
			if (v.card_fd >= 0 && send_msg(v.card_fd, v.pending, v.pending_len) < 0)
				card_out(&v);
		}
		if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR))
			handle_card(&v);
		if (pfd[2].revents & (POLLIN | POLLHUP | POLLERR))
			handle_sam(&v);
		if (pfd[0].revents & (POLLIN | POLLHUP)) {
			/* Own line buffer: stdio's would hide a second line
			 * from poll(). */
			ssize_t r =
				read(STDIN_FILENO, line + line_len, sizeof(line) - 1 - line_len);
			char *nl;
			bool quit = r <= 0;

			if (r > 0)
				line_len += (size_t)r;
			line[line_len] = '\0';
			while (!quit && (nl = strchr(line, '\n'))) {
				size_t used = (size_t)(nl - line) + 1;

				*nl = '\0';
				quit = !handle_command(&v, line);
				memmove(line, line + used, line_len - used + 1);
				line_len -= used;
			}
			if (line_len == sizeof(line) - 1)
				line_len = 0; /* a line too long: dropped */
			if (quit)
				break;
		}
	}
	card_out(&v);
	if (v.sam_fd >= 0)
		close(v.sam_fd);
	return 0;
}
