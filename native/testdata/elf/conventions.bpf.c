// Test data for the loader: conventions of objects that others build (the BCC libbpf-tools) and
// our other objects do not use: map and section names longer than the kernel's 15 characters
// (ksnoop's ksnoop_func_stack), and libbpf's bare program sections, whose target the tool
// chooses at run time (biotop's SEC("kprobe"), javagc's SEC("usdt")), a perf event array without
// max_entries (one entry per possible CPU, execsnoop's events), and libbpf's own kconfig values
// (LINUX_HAS_BPF_COOKIE, which usdt.bpf.h reads, and LINUX_HAS_SYSCALL_WRAPPER), and a BTF
// tracepoint, whose target the loader finds in the kernel's BTF (runqlat's tp_btf/sched_wakeup).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} a_map_with_a_long_name SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

extern _Bool LINUX_HAS_BPF_COOKIE __kconfig;
extern _Bool LINUX_HAS_SYSCALL_WRAPPER __kconfig;

__u64 long_named_data SEC(".data.a_long_section_name") = 7;

SEC("kprobe")
int bare_kprobe(void *ctx)
{
	__u32 key = 1;
	__u64 *value = bpf_map_lookup_elem(&a_map_with_a_long_name, &key);

	if (value)
		*value += long_named_data;
	return 0;
}

SEC("usdt")
int bare_usdt(void *ctx)
{
	__u64 flags = LINUX_HAS_BPF_COOKIE | LINUX_HAS_SYSCALL_WRAPPER << 1;

	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &flags, sizeof(flags));
	long_named_data++;
	return 0;
}

SEC("tracepoint")
int bare_tracepoint(void *ctx)
{
	return 0;
}

SEC("tp_btf/sched_switch")
int btf_tracepoint(__u64 *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
