// Does a bpf() call cost more in a process whose file table is shared by several threads?
// The kernel looks up an fd without taking a reference on its file only while the calling
// process's file table has a single user (fdget's light path); every JVM has many threads that
// share one table. Each round measures `iterations` lookups in a 10k-entry hash map:
//   alone      - the process has one thread;
//   shared     - a second, idle thread shares the file table;
//   own_table  - a second, idle thread has called unshare(CLONE_FILES), so the table has one user
//                again while the process still has two threads;
//   alone      - once more.
// and prints the four figures in ns per lookup and the ratios shared/alone and own_table/alone
// (alone being the mean of the round's two). If the fd lookup is the difference, shared is
// slower and own_table is not.
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define N 10000

static int fd;
static int wake[2], ready[2];
static int own_table_marker;

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static double lookups(long iterations)
{
	double t0 = now_ns();
	for (long i = 0; i < iterations; i++) {
		uint32_t k = i % N;
		uint64_t v;
		if (bpf_map_lookup_elem(fd, &k, &v))
			die("lookup");
	}
	return (now_ns() - t0) / iterations;
}

/* The idle thread: with a non-NULL argument it first takes a file table of its own. */
static void *idle(void *own_table)
{
	char c;
	if (own_table && unshare(CLONE_FILES))
		die("unshare");
	if (write(ready[1], "r", 1) != 1 || read(wake[0], &c, 1) != 1)
		die("idle thread");
	return NULL;
}

static double with_idle_thread(long iterations, int own_table)
{
	pthread_t thread;
	char c;
	if (pthread_create(&thread, NULL, idle, own_table ? &own_table_marker : NULL) || read(ready[0], &c, 1) != 1)
		die("starting the idle thread");
	double ns = lookups(iterations);
	if (write(wake[1], "x", 1) != 1 || pthread_join(thread, NULL))
		die("ending the idle thread");
	return ns;
}

int main(int argc, char **argv)
{
	long iterations = argc > 1 ? atol(argv[1]) : 100000;
	int rounds = argc > 2 ? atoi(argv[2]) : 10;
	if (pipe(wake) || pipe(ready))
		die("pipe");
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "fd_table", 4, 8, N, NULL);
	if (fd < 0)
		die("bpf_map_create");
	for (uint32_t i = 0; i < N; i++) {
		uint64_t v = i;
		if (bpf_map_update_elem(fd, &i, &v, BPF_ANY))
			die("update");
	}
	lookups(iterations);
	printf("alone shared own_table alone shared/alone own_table/alone\n");
	for (int r = 0; r < rounds; r++) {
		double a = lookups(iterations);
		double shared = with_idle_thread(iterations, 0);
		double own = with_idle_thread(iterations, 1);
		double b = lookups(iterations);
		printf("%.1f %.1f %.1f %.1f %.3f %.3f\n", a, shared, own, b, 2 * shared / (a + b), 2 * own / (a + b));
	}
	close(fd);
	return 0;
}
