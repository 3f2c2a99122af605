// Test data: a tracepoint program that auto-attaches by its section name and counts getpid()
// calls in a map pinned by name (LIBBPF_PIN_BY_NAME), so that two loads share the map.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} getpid_calls SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpid")
int count_getpid(void *ctx)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&getpid_calls, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
