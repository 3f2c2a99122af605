// Test data for the loader: maps of maps declared in .maps. The outer maps' inner map template
// comes from __array(values, struct inner), and their slots are filled from the object itself
// (.values = { [i] = &inner_map }), as libbpf does.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
};

struct inner inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 3);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps") = {
	.values = { [0] = &inner_a, [2] = &inner_b },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 8);
	__type(key, __u32);
	__array(values, struct {
		__uint(type, BPF_MAP_TYPE_HASH);
		__uint(max_entries, 16);
		__type(key, __u32);
		__type(value, __u32);
	});
} by_id SEC(".maps");

/* Adds the first byte of the packet to slot 1 of the inner map at outer[2] (inner_b), and counts
   the packets that found no inner map under their second byte in by_id (empty at load). */
SEC("xdp")
int through_outer(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	if (data + 2 > end)
		return XDP_ABORTED;
	__u32 slot = 2, one = 1, id = ((__u8 *)data)[1];
	void *inner = bpf_map_lookup_elem(&outer, &slot);
	if (!inner)
		return XDP_DROP;
	__u64 *v = bpf_map_lookup_elem(inner, &one);
	if (!v)
		return XDP_DROP;
	*v += ((__u8 *)data)[0];
	if (!bpf_map_lookup_elem(&by_id, &id)) {
		__u32 zero = 0;
		__u64 *misses = bpf_map_lookup_elem(&inner_a, &zero);
		if (misses)
			__sync_fetch_and_add(misses, 1);
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
