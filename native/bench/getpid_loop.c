// C baseline for SyscallBenchmark: getpid() (a system call that touches no user memory) in a loop.
// Prints "ns_per_op <value>" for each of `rounds` measurement rounds, after a warm-up round.
#include <stdio.h>
#include <stdlib.h>
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
	long iterations = argc > 1 ? atol(argv[1]) : 1000000;
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	long sum = 0;
	for (int r = -1; r < rounds; r++) {
		double t0 = now_ns();
		for (long i = 0; i < iterations; i++)
			sum += getpid();
		double t1 = now_ns();
		if (r >= 0)
			printf("ns_per_op %.1f\n", (t1 - t0) / iterations);
	}
	return sum == 0;
}
