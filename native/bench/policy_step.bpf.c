// The C baseline of PolicyStepBenchmark (benchmarks/): the netpolicy datapath's policy step as
// jbpf-netpolicy's PolicyProbe assembles it — read the question (u32 identity, u16 endpoint,
// u8 direction, u8 protocol, u16 port, big-endian) from the frame, look the key up in the policy
// LPM trie for the identity and for identity 0, return the larger verdict code (2 deny, 1 allow,
// 0 none). Same map type, key and value layout as PolicyMap. Built by `make -C native`.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct policy_key {
    __u32 prefixlen;
    __u32 identity;    /* big-endian, like every field below */
    __u16 endpoint;
    __u8 direction;
    __u8 protocol;
    __u16 port;
    __u16 pad;
};

struct policy_value {
    __u8 verdict;
    __u8 pad[7];
    __u64 packets;
    __u64 bytes;
};

struct question {
    __u32 identity;
    __u16 endpoint;
    __u8 direction;
    __u8 protocol;
    __u16 port;
} __attribute__((packed));

struct {
    __uint(type, BPF_MAP_TYPE_LPM_TRIE);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __uint(max_entries, 65536);
    __type(key, struct policy_key);
    __type(value, struct policy_value);
} policy SEC(".maps");

SEC("tc")
int policy_step(struct __sk_buff *skb)
{
    void *data = (void *)(long)skb->data;
    void *end = (void *)(long)skb->data_end;
    struct question *q = data;
    if ((void *)(q + 1) > end)
        return 0xff;
    struct policy_key key = {
        .prefixlen = 80,
        .identity = q->identity,
        .endpoint = q->endpoint,
        .direction = q->direction,
        .protocol = q->protocol,
        .port = q->port,
    };
    int verdict = 0;
    struct policy_value *v = bpf_map_lookup_elem(&policy, &key);
    if (v) {
        verdict = v->verdict;
        if (verdict == 2)
            return 2;
    }
    key.identity = 0;
    v = bpf_map_lookup_elem(&policy, &key);
    if (v && v->verdict > verdict)
        verdict = v->verdict;
    return verdict;
}

char LICENSE[] SEC("license") = "GPL";
