// Test data for the loader: a bpf_loop callback, a ring buffer producer, and a tail call through a
// program array whose slot is filled from the object itself (the .values of the map definition).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("xdp")
int tail_target(struct xdp_md *ctx)
{
	return XDP_DROP;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, int (void *));
} jumps SEC(".maps") = {
	.values = { [1] = (void *)&tail_target },
};

static long add_one(__u32 index, void *ctx)
{
	*(__u64 *)ctx += index;
	return 0;
}

SEC("xdp")
int entry(struct xdp_md *ctx)
{
	__u64 sum = 0;
	bpf_loop(10, add_one, &sum, 0);
	__u64 *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (e) {
		*e = sum;
		bpf_ringbuf_submit(e, 0);
	}
	bpf_tail_call(ctx, &jumps, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
