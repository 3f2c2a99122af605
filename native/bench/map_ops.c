// C baselines for jbpf's MapOpsBenchmark: single lookup, update and delete+insert on a hash map of
// 10k u32 -> u64 entries, and batch lookup/update of all 10k entries, through libbpf. Prints
// "<op> <ns per entry>" for each of `rounds` measurement rounds, after a warm-up round.
//
// With a third argument of 1, every round is measured twice: once as above, in a process of one
// thread, and once more while a second, idle thread shares the process's file table (as every
// thread of a JVM does), printed as "<op>_shared_fds <ns>". The kernel looks up an fd without
// taking a reference only while the file table has one user (fdget's light path), so the second
// figure is what the same calls cost in any multi-threaded process.
#include <bpf/bpf.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define N 10000

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static uint32_t keys[N], out_keys[N];
static uint64_t values[N], out_values[N];

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void measure(int fd, long iterations, int print, const char *suffix)
{
	double t0 = now_ns();
	for (long i = 0; i < iterations; i++) {
		uint32_t k = i % N;
		uint64_t v;
		if (bpf_map_lookup_elem(fd, &k, &v))
			die("lookup");
	}
	double t1 = now_ns();
	for (long i = 0; i < iterations; i++) {
		uint32_t k = i % N;
		uint64_t v = i;
		if (bpf_map_update_elem(fd, &k, &v, BPF_ANY))
			die("update");
	}
	double t2 = now_ns();
	for (long i = 0; i < iterations; i++) {
		uint32_t k = i % N;
		uint64_t v = i;
		if (bpf_map_delete_elem(fd, &k) || bpf_map_update_elem(fd, &k, &v, BPF_NOEXIST))
			die("delete+insert");
	}
	double t3 = now_ns();
	long batches = iterations / N > 0 ? iterations / N : 1;
	for (long b = 0; b < batches * 10; b++) {
		__u32 n = N, token = 0;
		int err = bpf_map_lookup_batch(fd, NULL, &token, out_keys, out_values, &n, NULL);
		if (err && errno != ENOENT)
			die("lookup_batch");
	}
	double t4 = now_ns();
	for (long b = 0; b < batches * 10; b++) {
		__u32 n = N;
		if (bpf_map_update_batch(fd, keys, values, &n, NULL))
			die("update_batch");
	}
	double t5 = now_ns();
	if (print) {
		printf("lookup%s %.1f\n", suffix, (t1 - t0) / iterations);
		printf("update%s %.1f\n", suffix, (t2 - t1) / iterations);
		printf("delete_insert%s %.1f\n", suffix, (t3 - t2) / iterations);
		printf("batch_lookup_per_entry%s %.1f\n", suffix, (t4 - t3) / (batches * 10.0 * N));
		printf("batch_update_per_entry%s %.1f\n", suffix, (t5 - t4) / (batches * 10.0 * N));
	}
}

static int wake[2];

/* An idle thread of this process: it shares the file table until told to end. */
static void *idle(void *unused)
{
	char c;
	if (read(wake[0], &c, 1) != 1)
		die("read");
	return unused;
}

int main(int argc, char **argv)
{
	long iterations = argc > 1 ? atol(argv[1]) : 200000;
	int rounds = argc > 2 ? atoi(argv[2]) : 3;
	int shared_fds = argc > 3 && atoi(argv[3]);
	if (shared_fds && pipe(wake))
		die("pipe");
	int fd = bpf_map_create(BPF_MAP_TYPE_HASH, "bench_hash", 4, 8, N, NULL);
	if (fd < 0)
		die("bpf_map_create");
	for (uint32_t i = 0; i < N; i++) {
		keys[i] = i;
		values[i] = i;
	}
	__u32 count = N;
	if (bpf_map_update_batch(fd, keys, values, &count, NULL))
		die("bpf_map_update_batch");
	for (int r = -1; r < rounds; r++) {
		measure(fd, iterations, r >= 0, "");
		if (shared_fds) {
			pthread_t thread;
			if (pthread_create(&thread, NULL, idle, NULL))
				die("pthread_create");
			measure(fd, iterations, r >= 0, "_shared_fds");
			if (write(wake[1], "x", 1) != 1 || pthread_join(thread, NULL))
				die("ending the idle thread");
		}
	}
	close(fd);
	return 0;
}
