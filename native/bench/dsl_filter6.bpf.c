// The second C baseline of DslFilterBenchmark (benchmarks/), shaped differently from
// dsl_filter.bpf.c: the DSL program
//   when(ipv6().dst().in("2001:db8::/32", "fd00::/8").and(udp().dstPort().in(53, 123, 443)))
//       .then(drop()).otherwise(pass())
// with the same meaning: up to two VLAN tags (0x8100, 0x88a8, 0x9100); the IPv6 extension headers
// (hop-by-hop, routing, destination options, AH, fragment) walked up to 4 deep, no transport header
// in a later fragment or behind more extension headers; a whole 8-byte UDP header.
// Built by `make -C native` into native/build/dsl_filter6.bpf.o.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
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
int dsl_filter6(struct xdp_md *ctx)
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
    if (proto != bpf_htons(ETH_P_IPV6))
        return XDP_PASS;
    struct ipv6hdr *ip6 = cur;
    if ((void *)(ip6 + 1) > end)
        return XDP_PASS;
    __u32 w0 = ip6->daddr.in6_u.u6_addr32[0];
    if (w0 != bpf_htonl(0x20010db8) && (w0 & bpf_htonl(0xff000000)) != bpf_htonl(0xfd000000))
        return XDP_PASS;
    __u8 nh = ip6->nexthdr;
    cur = ip6 + 1;
#pragma unroll
    for (int i = 0; i < 4; i++) {
        __u8 *h = cur;
        if (nh == 0 || nh == 43 || nh == 60) {
            if ((void *)(h + 8) > end)
                return XDP_PASS;
            nh = h[0];
            cur += (h[1] + 1) * 8;
        } else if (nh == 51) {
            if ((void *)(h + 8) > end)
                return XDP_PASS;
            nh = h[0];
            cur += (h[1] + 2) * 4;
        } else if (nh == 44) {
            if ((void *)(h + 8) > end)
                return XDP_PASS;
            if (*(__be16 *)(h + 2) & bpf_htons(0xfff8))
                return XDP_PASS;
            nh = h[0];
            cur += 8;
        } else {
            break;
        }
    }
    if (nh != IPPROTO_UDP)
        return XDP_PASS;
    struct udphdr *udp = cur;
    if ((void *)(udp + 1) > end)
        return XDP_PASS;
    __u16 port = bpf_ntohs(udp->dest);
    if (port == 53 || port == 123 || port == 443)
        return XDP_DROP;
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
