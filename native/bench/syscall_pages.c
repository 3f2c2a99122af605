// What a system call costs the pages touched after it: bpf_map_lookup_elem on a hash map of 10k
// u32 -> u64 entries, each followed by reads of `pages` distinct pages of a 16 MiB buffer, against
// the reads alone and the lookups alone. On a machine whose syscall boundary costs the TLB, the
// "extra" column grows with the pages (the JVM touches more pages per call than a C loop does).
// Usage: syscall_pages PAGES [ITERATIONS]
#include <bpf/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#define N 10000
#define BUF_PAGES 4096

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static long touch(volatile char *mem, long i, int pages)
{
	long s = 0;
	for (int p = 0; p < pages; p++)
		s += mem[((i * 7 + p) * 4099L % BUF_PAGES) * 4096];
	return s;
}

int main(int argc, char **argv)
{
	int pages = argc > 1 ? atoi(argv[1]) : 4;
	long it = argc > 2 ? atol(argv[2]) : 200000;
	int fd = bpf_map_create(BPF_MAP_TYPE_HASH, "pages", 4, 8, N, NULL);
	if (fd < 0) {
		perror("bpf_map_create");
		return 1;
	}
	for (uint32_t i = 0; i < N; i++) {
		uint64_t v = i;
		bpf_map_update_elem(fd, &i, &v, BPF_ANY);
	}
	volatile char *mem = mmap(NULL, 4096L * BUF_PAGES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (long i = 0; i < 4096L * BUF_PAGES; i += 4096)
		mem[i] = 1;
	long sink = 0;
	for (int round = 0; round < 3; round++) {
		double t0 = now_ns();
		for (long i = 0; i < it; i++)
			sink += touch(mem, i, pages);
		double t1 = now_ns();
		for (long i = 0; i < it; i++) {
			uint32_t k = i % N;
			uint64_t v;
			bpf_map_lookup_elem(fd, &k, &v);
			sink += touch(mem, i, pages);
		}
		double t2 = now_ns();
		for (long i = 0; i < it; i++) {
			uint32_t k = i % N;
			uint64_t v;
			bpf_map_lookup_elem(fd, &k, &v);
		}
		double t3 = now_ns();
		double a = (t1 - t0) / it, b = (t2 - t1) / it, c = (t3 - t2) / it;
		printf("pages %d: touches %.1f ns, lookup+touches %.1f ns, lookup %.1f ns, extra %.1f ns\n", pages, a, b, c, b - a - c);
	}
	return sink == 42 ? 2 : 0;
}
