/* SPDX-License-Identifier: MIT */
/*
 * A TCP 9100 ESC/POS printer stand-in for shell tests:
 *
 *   tcpprinter-standin OUT STATUS1 STATUS2 STATUS4
 *
 * listens on 127.0.0.1 (port chosen by the system, printed on stdout as
 * "port N"), records every byte of every connection to OUT and answers
 * DLE EOT 1/2/4 with the given bytes (hex). Exits 0 when stdin closes
 * (the test is done), so it never outlives its test.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int parse_hex_byte(const char *s, unsigned char *ret)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 16);
	if (errno || *end || end == s || v < 0 || v > 255)
		return -EINVAL;
	*ret = (unsigned char)v;
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	unsigned char answer[5] = {0};
	int lfd, cfd = -1, state = 0;
	FILE *out;

	if (argc != 5 || parse_hex_byte(argv[2], &answer[1]) < 0 ||
	    parse_hex_byte(argv[3], &answer[2]) < 0 || parse_hex_byte(argv[4], &answer[4]) < 0) {
		fprintf(stderr, "usage: tcpprinter-standin OUT STATUS1 STATUS2 STATUS4\n");
		return 64;
	}
	answer[3] = 0x12;
	out = fopen(argv[1], "wb");
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (!out || lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(lfd, 4) < 0 || getsockname(lfd, (struct sockaddr *)&a, &alen) < 0) {
		perror("tcpprinter-standin");
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
			return 1;
		}
		if (pfd[1].revents) {
			n = read(STDIN_FILENO, buf, sizeof(buf));
			if (n <= 0)
				break;
		}
		if (!pfd[0].revents)
			continue;
		if (cfd < 0) {
			cfd = accept(lfd, NULL, NULL);
			state = 0;
			continue;
		}
		n = read(cfd, buf, sizeof(buf));
		if (n <= 0) {
			close(cfd);
			cfd = -1;
			continue;
		}
		fwrite(buf, 1, (size_t)n, out);
		fflush(out);
		for (ssize_t i = 0; i < n; i++) {
			if (state == 2) {
				state = 0;
				if (buf[i] >= 1 && buf[i] <= 4 &&
				    write(cfd, &answer[buf[i]], 1) != 1)
					break;
			} else if (state == 1 && buf[i] == 0x04) {
				state = 2;
			} else {
				state = buf[i] == 0x10;
			}
		}
	}
	if (cfd >= 0)
		close(cfd);
	close(lfd);
	return fclose(out) == 0 ? 0 : 1;
}
