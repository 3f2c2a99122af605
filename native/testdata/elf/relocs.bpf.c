// Test data for jbpf's ELF reader: a map in .maps, globals in .data/.bss/.rodata, a BPF-to-BPF call
// and two programs, so the object has every kind of section and relocation the loader must read.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

__u64 packets = 1;                 // .data
__u64 dropped;                     // .bss
const volatile __u32 limit = 100;  // .rodata

static __noinline int bump(__u32 slot)
{
	__u64 *v = bpf_map_lookup_elem(&counts, &slot);
	if (v)
		__sync_fetch_and_add(v, 1);
	return v != 0;
}

SEC("xdp")
int count_xdp(struct xdp_md *ctx)
{
	packets++;
	if (packets > limit) {
		dropped++;
		return XDP_DROP;
	}
	return bump(0) ? XDP_PASS : XDP_ABORTED;
}

SEC("tc")
int count_tc(struct __sk_buff *skb)
{
	return bump(1) ? 0 : 2;
}

char LICENSE[] SEC("license") = "GPL";
