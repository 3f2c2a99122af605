// C baseline for jbpf's MapLookupBenchmark: one bpf(BPF_MAP_LOOKUP_ELEM) round trip on an array
// map through libbpf, timed over many iterations. Prints "ns_per_op <value>" for each of `rounds`
// measurement rounds, after a warm-up round.
#include <bpf/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long iterations = argc > 1 ? atol(argv[1]) : 5000000;
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "bench_array", 4, 8, 1, NULL);
	if (fd < 0) {
		perror("bpf_map_create");
		return 1;
	}
	uint32_t key = 0;
	uint64_t value = 42, out = 0;
	if (bpf_map_update_elem(fd, &key, &value, BPF_ANY)) {
		perror("bpf_map_update_elem");
		return 1;
	}
	for (int r = -1; r < rounds; r++) {
		double t0 = now_ns();
		for (long i = 0; i < iterations; i++) {
			if (bpf_map_lookup_elem(fd, &key, &out)) {
				perror("bpf_map_lookup_elem");
				return 1;
			}
		}
		double t1 = now_ns();
		if (r >= 0)
			printf("ns_per_op %.1f\n", (t1 - t0) / iterations);
	}
	if (out != 42) {
		fprintf(stderr, "read back %llu, wanted 42\n", (unsigned long long)out);
		return 1;
	}
	close(fd);
	return 0;
}
