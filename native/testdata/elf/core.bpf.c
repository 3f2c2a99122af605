// Test data for CO-RE: reads task_struct fields with BPF_CORE_READ (offsets fixed up against the
// running kernel's BTF at load), asks for a field that does not exist (a ___flavor of
// task_struct), and keeps a read of it behind the existence check, which the relocation poisons;
// the offset of a field inside anonymous unions and structs (sock_common's skc_num).
// Needs vmlinux.h of the running kernel: the test generates it with bpftool.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

struct task_struct___jbpf_missing {
	int no_such_field_jbpf;
} __attribute__((preserve_access_index));

static void put(__u32 key, __u64 value)
{
	bpf_map_update_elem(&seen, &key, &value, BPF_ANY);
}

SEC("tracepoint/syscalls/sys_enter_getpid")
int core_getpid(void *ctx)
{
	__u32 filter = 0;
	__u64 *want = bpf_map_lookup_elem(&seen, &filter);
	if (!want || *want != (bpf_get_current_pid_tgid() >> 32))
		return 0;
	struct task_struct *t = (void *)bpf_get_current_task();
	put(1, BPF_CORE_READ(t, tgid));
	put(2, BPF_CORE_READ(t, real_parent, tgid));
	put(3, bpf_core_field_exists(((struct task_struct___jbpf_missing *)t)->no_such_field_jbpf));
	put(4, bpf_core_type_size(struct task_struct));
	put(5, bpf_core_field_exists(t->pid));
	put(7, bpf_core_field_offset(struct sock_common, skc_num));
	if (bpf_core_field_exists(((struct task_struct___jbpf_missing *)t)->no_such_field_jbpf))
		put(6, BPF_CORE_READ((struct task_struct___jbpf_missing *)t, no_such_field_jbpf));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
