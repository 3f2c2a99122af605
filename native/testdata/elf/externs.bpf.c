// Test data for externs: kernel configuration values (__kconfig, filled from /proc/config.gz and the
// release) and an untyped kernel symbol's address (__ksym, from /proc/kallsyms).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern _Bool CONFIG_BPF_SYSCALL __kconfig __weak;
extern int CONFIG_JBPF_NO_SUCH_OPTION __kconfig __weak;
extern const void bpf_prog_put __ksym;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} out SEC(".maps");

static void put(__u32 key, __u64 value)
{
	bpf_map_update_elem(&out, &key, &value, BPF_ANY);
}

SEC("xdp")
int read_externs(struct xdp_md *ctx)
{
	put(0, LINUX_KERNEL_VERSION);
	put(1, CONFIG_BPF_SYSCALL);
	put(2, CONFIG_JBPF_NO_SUCH_OPTION);
	put(3, (__u64)&bpf_prog_put);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
