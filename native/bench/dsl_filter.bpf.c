// The C baseline of DslFilterBenchmark (benchmarks/): the same filter as the DSL program
//   when(ipv4().src().in("10.0.0.0/8", "192.168.0.0/16").and(tcp().dstPort().between(80, 90)))
//       .then(drop()).otherwise(pass())
// with the same meaning: up to two VLAN tags (0x8100, 0x88a8, 0x9100), IPv4 options through IHL,
// no transport header in later fragments or behind an IHL below 5, a whole 20-byte TCP header.
// Built by `make -C native` into native/build/dsl_filter.bpf.o.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct tag {
    __be16 tci;
    __be16 proto;
};

static __always_inline int is_tpid(__be16 p)
{
    return p == bpf_htons(0x8100) || p == bpf_htons(0x88a8) || p == bpf_htons(0x9100);
}

SEC("xdp")
int dsl_filter(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data;
    void *end = (void *)(long)ctx->data_end;
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > end)
        return XDP_PASS;
    __be16 proto = eth->h_proto;
    void *cur = eth + 1;
#pragma unroll
    for (int i = 0; i < 2; i++) {
        if (!is_tpid(proto))
            break;
        struct tag *t = cur;
        if ((void *)(t + 1) > end)
            return XDP_PASS;
        proto = t->proto;
        cur = t + 1;
    }
    if (proto != bpf_htons(ETH_P_IP))
        return XDP_PASS;
    struct iphdr *ip = cur;
    if ((void *)(ip + 1) > end)
        return XDP_PASS;
    __u32 src = ip->saddr;
    if ((src & bpf_htonl(0xff000000)) != bpf_htonl(0x0a000000)
            && (src & bpf_htonl(0xffff0000)) != bpf_htonl(0xc0a80000))
        return XDP_PASS;
    if (ip->frag_off & bpf_htons(0x1fff))
        return XDP_PASS;
    if (ip->protocol != IPPROTO_TCP)
        return XDP_PASS;
    __u32 ihl = ip->ihl;
    if (ihl < 5)
        return XDP_PASS;
    struct tcphdr *tcp = (void *)ip + ihl * 4;
    if ((void *)(tcp + 1) > end)
        return XDP_PASS;
    __u16 port = bpf_ntohs(tcp->dest);
    if (port >= 80 && port <= 90)
        return XDP_DROP;
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
