// Test data for the VM-versus-kernel differential test: packet parsers that must give the same
// verdict, packet and maps in jbpf's VM as under BPF_PROG_TEST_RUN for any bytes at all.
//   xdp_parse  Ethernet, up to two VLAN tags, IPv4 (options, fragments), IPv6, TCP/UDP/ICMP/ICMPv6
//              with a bounds check before every read; counts per protocol in a per-CPU array and per
//              5-tuple in a hash map; decrements the IPv4 TTL with an incremental checksum fix (and
//              the IPv6 hop limit); answers ICMP echo requests with XDP_TX.
//   tc_rewrite the same through bpf_skb_load_bytes/bpf_skb_store_bytes: rewrites the IPv4
//              destination and the TCP/UDP destination port, fixing the checksums with
//              bpf_l3_csum_replace and bpf_l4_csum_replace; writes skb->mark.
//   sock_len   a socket filter keeping UDP datagrams whole and truncating everything else.
//   xdp_bytes  bpf_xdp_get_buff_len/load_bytes/store_bytes at offsets the packet chooses (in range,
//              at the end, past it, past 0xffff), pops a VLAN tag with bpf_xdp_adjust_head, trims
//              the frame to the IPv4 total length with bpf_xdp_adjust_tail, sums the IPv4 header
//              with bpf_csum_diff.
//   tc_bytes   bpf_skb_pull_data and bpf_skb_load_bytes_relative from the MAC and network headers
//              at offsets the packet chooses.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/in.h>
#include <linux/pkt_cls.h>
#include <stddef.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

// <linux/icmp.h> pulls in libc's socket headers, which a BPF target cannot build
struct icmphdr {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	__be32 rest;
};
#define ICMP_ECHOREPLY 0
#define ICMP_ECHO 8

enum counter {
	C_FRAMES, C_VLAN, C_IPV4, C_IPV6, C_TCP, C_UDP, C_ICMP, C_ICMPV6, C_FRAGMENT, C_MALFORMED,
	C_TTL_EXPIRED, C_OTHER, C_MAX
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, C_MAX);
	__type(key, __u32);
	__type(value, __u64);
} proto_counts SEC(".maps");

struct flow_key {
	__u32 src[4];
	__u32 dst[4];
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct flow_stats {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct flow_key);
	__type(value, struct flow_stats);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} tc_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} results SEC(".maps");

const volatile __u8 min_ttl = 2;                 // .rodata
const volatile __u32 new_daddr = 0x0900000a;     // 10.0.0.9 as stored (network order)
const volatile __u16 new_dport = 0x5000;         // 80, network order
__u64 total_bytes;                               // .bss
__u32 last_vlan = 0xffffffff;                    // .data

static __always_inline void result(__u32 slot, __u64 value)
{
	bpf_map_update_elem(&results, &slot, &value, BPF_ANY);
}

static __always_inline void count(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&proto_counts, &which);
	if (v)
		*v += 1;
}

static __noinline int account(struct flow_key *key, __u32 bytes)
{
	struct flow_stats *s = bpf_map_lookup_elem(&flows, key);
	if (!s) {
		struct flow_stats init = { .packets = 1, .bytes = bytes };
		return bpf_map_update_elem(&flows, key, &init, BPF_NOEXIST);
	}
	__sync_fetch_and_add(&s->packets, 1);
	__sync_fetch_and_add(&s->bytes, bytes);
	return 0;
}

static __always_inline __u16 csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

SEC("xdp")
int xdp_parse(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct flow_key key = {};
	void *l4;
	__u16 proto;
	__u32 len = data_end - data;

	count(C_FRAMES);
	total_bytes += len;
	if ((void *)(eth + 1) > data_end) {
		count(C_MALFORMED);
		return XDP_ABORTED;
	}
	proto = eth->h_proto;
	l4 = eth + 1;
#pragma unroll
	for (int i = 0; i < 2; i++) {
		if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
			break;
		__be16 *tag = l4;
		if ((void *)(tag + 2) > data_end) {
			count(C_MALFORMED);
			return XDP_DROP;
		}
		last_vlan = bpf_ntohs(tag[0]) & 0x0fff;
		proto = tag[1];
		l4 = tag + 2;
		count(C_VLAN);
	}

	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = l4;
		if ((void *)(ip + 1) > data_end) {
			count(C_MALFORMED);
			return XDP_DROP;
		}
		__u32 hlen = ip->ihl * 4;
		if (ip->version != 4 || hlen < sizeof(*ip) || (void *)ip + hlen > data_end) {
			count(C_MALFORMED);
			return XDP_DROP;
		}
		count(C_IPV4);
		if (ip->ttl < min_ttl) {
			count(C_TTL_EXPIRED);
			return XDP_DROP;
		}
		// ttl and protocol share a 16-bit word of the checksum
		__u16 old = *(__u16 *)&ip->ttl;
		ip->ttl--;
		__u16 new = *(__u16 *)&ip->ttl;
		__u32 sum = (__u16)~ip->check + (__u16)~old + new;
		ip->check = csum_fold(sum);
		key.src[0] = ip->saddr;
		key.dst[0] = ip->daddr;
		key.proto = ip->protocol;
		if (ip->frag_off & bpf_htons(0x1fff)) {
			count(C_FRAGMENT);
			account(&key, len);
			return XDP_PASS;
		}
		l4 = (void *)ip + hlen;
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = l4;
		if ((void *)(ip6 + 1) > data_end) {
			count(C_MALFORMED);
			return XDP_DROP;
		}
		if (ip6->version != 6) {
			count(C_MALFORMED);
			return XDP_DROP;
		}
		count(C_IPV6);
		if (ip6->hop_limit < min_ttl) {
			count(C_TTL_EXPIRED);
			return XDP_DROP;
		}
		ip6->hop_limit--;
		__builtin_memcpy(key.src, &ip6->saddr, 16);
		__builtin_memcpy(key.dst, &ip6->daddr, 16);
		key.proto = ip6->nexthdr;
		l4 = ip6 + 1;
	} else {
		count(C_OTHER);
		return XDP_PASS;
	}

	if (key.proto == IPPROTO_TCP) {
		struct tcphdr *tcp = l4;
		if ((void *)(tcp + 1) > data_end || tcp->doff < 5 || l4 + tcp->doff * 4 > data_end) {
			count(C_MALFORMED);
			return XDP_DROP;
		}
		count(C_TCP);
		key.sport = tcp->source;
		key.dport = tcp->dest;
		if (tcp->syn && tcp->fin) {
			count(C_MALFORMED);
			return XDP_DROP;
		}
	} else if (key.proto == IPPROTO_UDP) {
		struct udphdr *udp = l4;
		if ((void *)(udp + 1) > data_end) {
			count(C_MALFORMED);
			return XDP_DROP;
		}
		if (bpf_ntohs(udp->len) < sizeof(*udp) || l4 + bpf_ntohs(udp->len) > data_end) {
			count(C_MALFORMED);
			return XDP_DROP;
		}
		count(C_UDP);
		key.sport = udp->source;
		key.dport = udp->dest;
	} else if (key.proto == IPPROTO_ICMP || key.proto == IPPROTO_ICMPV6) {
		struct icmphdr *icmp = l4;
		if ((void *)(icmp + 1) > data_end) {
			count(C_MALFORMED);
			return XDP_DROP;
		}
		count(key.proto == IPPROTO_ICMP ? C_ICMP : C_ICMPV6);
		key.sport = icmp->type;
		key.dport = icmp->code;
		if (key.proto == IPPROTO_ICMP && icmp->type == ICMP_ECHO && icmp->code == 0) {
			// answer: swap the MACs, make it a reply and fix the ICMP checksum (type 8 -> 0)
			__u8 tmp[ETH_ALEN];
			__builtin_memcpy(tmp, eth->h_dest, ETH_ALEN);
			__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
			__builtin_memcpy(eth->h_source, tmp, ETH_ALEN);
			icmp->type = ICMP_ECHOREPLY;
			__u32 sum = (__u16)~icmp->checksum + (__u16)~bpf_htons(ICMP_ECHO << 8) + bpf_htons(ICMP_ECHOREPLY << 8);
			icmp->checksum = csum_fold(sum);
			account(&key, len);
			return XDP_TX;
		}
	} else {
		count(C_OTHER);
	}
	if (account(&key, len) != 0)
		return XDP_ABORTED;
	return XDP_PASS;
}

static __always_inline void tc_count(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&tc_counts, &which);
	if (v)
		__sync_fetch_and_add(v, 1);
}

#define IP_CSUM_OFF (ETH_HLEN + offsetof(struct iphdr, check))
#define IP_DST_OFF (ETH_HLEN + offsetof(struct iphdr, daddr))

SEC("tc")
int tc_rewrite(struct __sk_buff *skb)
{
	struct ethhdr eth;
	struct iphdr ip;
	__u16 port;
	long err;

	tc_count(0);
	if (bpf_skb_load_bytes(skb, 0, &eth, sizeof(eth)) < 0) {
		tc_count(1);
		return TC_ACT_SHOT;
	}
	if (eth.h_proto != bpf_htons(ETH_P_IP)) {
		skb->mark = bpf_ntohs(eth.h_proto);
		return TC_ACT_OK;
	}
	if (bpf_skb_load_bytes(skb, ETH_HLEN, &ip, sizeof(ip)) < 0 || ip.ihl != 5 || ip.version != 4) {
		tc_count(1);
		return TC_ACT_SHOT;
	}
	tc_count(2);
	__u32 old = ip.daddr;
	__u32 new = new_daddr;
	__u32 l4_off = ETH_HLEN + sizeof(ip);
	__u32 csum_off;
	__u64 mangled = 0;
	if (ip.protocol == IPPROTO_TCP) {
		csum_off = l4_off + offsetof(struct tcphdr, check);
	} else if (ip.protocol == IPPROTO_UDP) {
		csum_off = l4_off + offsetof(struct udphdr, check);
		mangled = BPF_F_MARK_MANGLED_0;
	} else {
		skb->mark = ip.protocol;
		return TC_ACT_UNSPEC;
	}
	err = bpf_skb_store_bytes(skb, IP_DST_OFF, &new, sizeof(new), 0);
	err = err << 8 | (bpf_l3_csum_replace(skb, IP_CSUM_OFF, old, new, sizeof(new)) & 0xff);
	err = err << 8 | (bpf_l4_csum_replace(skb, csum_off, old, new, BPF_F_PSEUDO_HDR | mangled | sizeof(new)) & 0xff);
	if (bpf_skb_load_bytes(skb, l4_off + 2, &port, sizeof(port)) == 0) {
		__u16 np = new_dport;
		err = err << 8 | (bpf_skb_store_bytes(skb, l4_off + 2, &np, sizeof(np), 0) & 0xff);
		err = err << 8 | (bpf_l4_csum_replace(skb, csum_off, port, np, mangled | sizeof(np)) & 0xff);
	} else {
		tc_count(3);
	}
	skb->mark = (__u32)err ^ (__u32)(err >> 32);
	skb->priority = skb->len;
	if (err)
		tc_count(4);
	return err ? TC_ACT_SHOT : TC_ACT_OK;
}

SEC("socket")
int sock_len(struct __sk_buff *skb)
{
	__u8 proto;
	__u8 vihl;

	// a socket filter's data starts at the network header
	__u8 mac[8] = {};

	// a socket filter's MAC header lies before its data
	long r = bpf_skb_load_bytes_relative(skb, 6, mac, sizeof(mac), BPF_HDR_START_MAC);
	result(13, (__u64)r << 32 ^ *(__u64 *)mac);
	if (skb->protocol != bpf_htons(ETH_P_IP))
		return skb->len > 20 ? 20 : 0;
	if (bpf_skb_load_bytes(skb, 0, &vihl, 1) < 0 || bpf_skb_load_bytes(skb, 9, &proto, 1) < 0)
		return 0;
	tc_count(5);
	if ((vihl >> 4) != 4)
		return 1;
	return proto == IPPROTO_UDP ? skb->len : 40;
}

SEC("xdp")
int xdp_bytes(struct xdp_md *ctx)
{
	__u8 hdr[20];
	__u8 mac[12];
	__u8 off8;
	long r;

	result(0, bpf_xdp_get_buff_len(ctx));
	if (bpf_xdp_load_bytes(ctx, 6, &off8, 1) != 0)
		return XDP_ABORTED;
	// offsets the packet chooses: inside, at or past the end, past 0xffff
	r = bpf_xdp_load_bytes(ctx, off8, hdr, 8);
	result(1, r == 0 ? *(__u64 *)hdr : (__u64)r);
	r = bpf_xdp_load_bytes(ctx, (__u32)off8 << 9, hdr, 4);
	result(2, (__u64)r);
	__u32 stamp = 0x6a627066;
	r = bpf_xdp_store_bytes(ctx, (__u32)off8 * 4, &stamp, sizeof(stamp));
	result(3, (__u64)r);

	if (bpf_xdp_load_bytes(ctx, 0, mac, sizeof(mac)) != 0)
		return XDP_ABORTED;
	__be16 proto;
	if (bpf_xdp_load_bytes(ctx, 12, &proto, sizeof(proto)) != 0)
		return XDP_ABORTED;
	if (proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD)) {
		// pop the tag: the MACs move 4 bytes on, the head follows them
		r = bpf_xdp_adjust_head(ctx, 4);
		result(4, (__u64)r);
		if (r == 0 && bpf_xdp_store_bytes(ctx, 0, mac, sizeof(mac)) != 0)
			return XDP_ABORTED;
		if (bpf_xdp_load_bytes(ctx, 12, &proto, sizeof(proto)) != 0)
			return XDP_DROP;
	}
	if (proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	if (bpf_xdp_load_bytes(ctx, ETH_HLEN, hdr, sizeof(hdr)) != 0)
		return XDP_DROP;
	struct iphdr *ip = (struct iphdr *)hdr;
	result(5, bpf_csum_diff(0, 0, (__be32 *)hdr, sizeof(hdr), 0));
	__u32 want = ETH_HLEN + bpf_ntohs(ip->tot_len);
	__u32 have = bpf_xdp_get_buff_len(ctx);
	if (want < have) {
		r = bpf_xdp_adjust_tail(ctx, (int)want - (int)have);
		result(6, (__u64)r << 32 | bpf_xdp_get_buff_len(ctx));
	}
	return ip->ihl == 5 ? XDP_PASS : XDP_DROP;
}

SEC("tc")
int tc_bytes(struct __sk_buff *skb)
{
	__u8 b[8] = {};
	__u8 off8;
	long r;

	result(8, (__u64)bpf_skb_pull_data(skb, 0) << 32 | (__u32)bpf_skb_pull_data(skb, skb->len + 1));
	result(9, (__u32)bpf_skb_pull_data(skb, 34));
	if (bpf_skb_load_bytes_relative(skb, 1, &off8, 1, BPF_HDR_START_NET) != 0)
		off8 = 0xff;
	r = bpf_skb_load_bytes_relative(skb, off8, b, sizeof(b), BPF_HDR_START_MAC);
	result(10, (__u64)r << 32 ^ *(__u64 *)b);
	r = bpf_skb_load_bytes_relative(skb, off8, b, sizeof(b), BPF_HDR_START_NET);
	result(11, (__u64)r << 32 ^ *(__u64 *)b);
	r = bpf_skb_load_bytes_relative(skb, 0, b, sizeof(b), 2);
	result(12, (__u64)r << 32 ^ *(__u64 *)b);
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	if (data + 16 > data_end)
		return TC_ACT_SHOT;
	return *(__u8 *)(data + 15) & 1 ? TC_ACT_OK : TC_ACT_UNSPEC;
}

char LICENSE[] SEC("license") = "GPL";
