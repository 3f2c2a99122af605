// The client side of ServiceConnectBenchmark's native variant: COUNT TCP connections from the
// current network namespace, each to the next of SERVICES ClusterIPs (10.96.0.1, 10.96.0.2, … as
// kube-proxy-iptables.sh and the benchmark number them) on PORT, each closed with a reset (linger
// 0, no TIME_WAIT), one at a time; the same work as the benchmark's Java client without the JVM's
// share of each connection. Exits non-zero at the first failed connect, naming it.
// Usage: connect_loop SERVICES COUNT [PORT] [FIRST]
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s SERVICES COUNT [PORT] [FIRST]\n", argv[0]);
		return 2;
	}
	long services = atol(argv[1]), count = atol(argv[2]);
	int port = argc > 3 ? atoi(argv[3]) : 80;
	long next = argc > 4 ? atol(argv[4]) : 0;
	struct linger reset = {.l_onoff = 1, .l_linger = 0};
	for (long i = 0; i < count; i++) {
		long v = 1 + next;
		next = next + 1 == services ? 0 : next + 1;
		struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port),
					 .sin_addr.s_addr = htonl((10u << 24) | (96u << 16) | (uint32_t)(v / 256) << 8 | (uint32_t)(v % 256))};
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0) {
			perror("socket");
			return 1;
		}
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
		if (connect(fd, (struct sockaddr *)&to, sizeof(to)) < 0) {
			fprintf(stderr, "connect to 10.96.%ld.%ld:%d: %s\n", v / 256, v % 256, port, strerror(errno));
			close(fd);
			return 1;
		}
		close(fd);
	}
	printf("%ld\n", next);
	return 0;
}
