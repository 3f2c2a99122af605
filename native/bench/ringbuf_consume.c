// C baseline for jbpf's RingBufferReadBenchmark: a TC (SCHED_CLS) program writes one 8-byte record per run
// with bpf_ringbuf_output (test run, repeat 4096), and libbpf's ring_buffer__consume() hands each
// record to a callback that sums it. Prints "ns_per_record <value>" per measurement round.
// (Not XDP: an XDP test run with repeat > 1 costs a fixed ~0.6 ms to swap the program into the XDP
// dispatcher and back, which would be most of the time per record on both sides.)
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#define RECORDS 4096

static uint64_t sum;

static int on_record(void *ctx, void *data, size_t size)
{
	sum += *(uint64_t *)data;
	return 0;
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long invocations = argc > 1 ? atol(argv[1]) : 500;
	int rounds = argc > 2 ? atoi(argv[2]) : 3;
	int map = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "events", 0, 0, 1 << 20, NULL);
	if (map < 0) {
		perror("bpf_map_create");
		return 1;
	}
	struct bpf_insn insns[] = {
		{ .code = BPF_ST | BPF_MEM | BPF_DW, .dst_reg = 10, .off = -8, .imm = 42 },
		{ .code = BPF_LD | BPF_IMM | BPF_DW, .dst_reg = 1, .src_reg = BPF_PSEUDO_MAP_FD, .imm = map },
		{ 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 2, .src_reg = 10 },
		{ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = 2, .imm = -8 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 3, .imm = 8 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 4, .imm = 0 },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_ringbuf_output },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 2 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int prog = bpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, "rb_bench", "GPL", insns, sizeof(insns) / sizeof(insns[0]), NULL);
	if (prog < 0) {
		perror("bpf_prog_load");
		return 1;
	}
	struct ring_buffer *rb = ring_buffer__new(map, on_record, NULL, NULL);
	if (!rb) {
		perror("ring_buffer__new");
		return 1;
	}
	char packet[64] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = packet, .data_size_in = sizeof(packet), .repeat = RECORDS);
	for (int r = -1; r < rounds; r++) {
		double t0 = now_ns();
		for (long i = 0; i < invocations; i++) {
			if (bpf_prog_test_run_opts(prog, &opts)) {
				perror("test run");
				return 1;
			}
			int n = ring_buffer__consume(rb);
			if (n != RECORDS) {
				fprintf(stderr, "consumed %d of %d\n", n, RECORDS);
				return 1;
			}
		}
		double t1 = now_ns();
		if (r >= 0)
			printf("ns_per_record %.1f\n", (t1 - t0) / (invocations * (double)RECORDS));
	}
	ring_buffer__free(rb);
	return sum == 0;
}
