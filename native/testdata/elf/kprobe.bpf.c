// Test data for a kprobe with CO-RE: on each getpid(), store the caller's tgid, read from
// task_struct with BPF_CORE_READ (offset fixed up against the running kernel), in calls[0] and
// count the calls in calls[1].
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} calls SEC(".maps");

SEC("kprobe/__x64_sys_getpid")
int BPF_KPROBE(on_getpid)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&calls, &k);

	if (v)
		*v = BPF_CORE_READ(t, tgid);
	k = 1;
	v = bpf_map_lookup_elem(&calls, &k);
	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
