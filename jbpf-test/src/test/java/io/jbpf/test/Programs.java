package io.jbpf.test;

import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.test.packet.EthernetBuilder;
import io.jbpf.test.packet.Packet;

/** Realistic small programs the kit's tests run on every engine, written in assembly text. */
final class Programs {
    private Programs() {}

    static final String CLIENT_MAC = "02:00:00:00:00:01";
    static final String SERVER_MAC = "02:00:00:00:00:02";

    /** An Ethernet frame from the client to the server. */
    static EthernetBuilder frame() {
        return Packet.ether(CLIENT_MAC, SERVER_MAC);
    }

    /**
     * XDP: drops IPv4 TCP segments to port 80 (IP options respected), passes everything else.
     */
    static TestProgram dropTcp80() {
        return TestProgram.assemble("drop_tcp80", ProgramType.XDP, """
                r2 = *(u32 *)(r1 + 4)          ; data_end
                r1 = *(u32 *)(r1 + 0)          ; data
                r3 = r1
                r3 += 34                       ; Ethernet + minimal IPv4 header
                if r3 > r2 goto pass
                r4 = *(u16 *)(r1 + 12)
                if r4 != 0x0008 goto pass      ; EtherType 0x0800, read little-endian
                r4 = *(u8 *)(r1 + 23)
                if r4 != 6 goto pass           ; TCP
                r4 = *(u8 *)(r1 + 14)
                r4 &= 0xf
                r4 <<= 2                       ; IPv4 header length
                r5 = r1
                r5 += r4                       ; the TCP header is at r5 + 14
                r6 = r5
                r6 += 18
                if r6 > r2 goto pass
                r4 = *(u16 *)(r5 + 16)         ; destination port, network order
                if r4 != 0x5000 goto pass      ; 80
                r0 = 1                         ; XDP_DROP
                exit
                pass:
                r0 = 2                         ; XDP_PASS
                exit
                """);
    }

    /**
     * XDP: decrements the IPv4 TTL and fixes the header checksum incrementally (RFC 1624, as the
     * kernel's ip_decrease_ttl); drops packets whose TTL would reach 0.
     */
    static TestProgram ttlDecrementer() {
        return TestProgram.assemble("ttl_dec", ProgramType.XDP, """
                r2 = *(u32 *)(r1 + 4)
                r1 = *(u32 *)(r1 + 0)
                r3 = r1
                r3 += 34
                if r3 > r2 goto pass
                r4 = *(u16 *)(r1 + 12)
                if r4 != 0x0008 goto pass
                r4 = *(u8 *)(r1 + 22)          ; TTL
                if r4 <= 1 goto drop
                r4 -= 1
                *(u8 *)(r1 + 22) = r4
                r5 = *(u16 *)(r1 + 24)         ; checksum, network order
                r5 = be16 r5
                r5 += 0x100                    ; the TTL is the high byte of its 16-bit word
                r6 = r5
                r6 >>= 16
                r5 &= 0xffff
                r5 += r6                       ; end-around carry
                r5 = be16 r5
                *(u16 *)(r1 + 24) = r5
                pass:
                r0 = 2
                exit
                drop:
                r0 = 1
                exit
                """);
    }

    /** The per-CPU counts of {@link #protocolCounter()}: u32 IP protocol to u64 packets. */
    static final MapSpec XDP_COUNTS = MapSpec.of("counts", MapType.PERCPU_ARRAY, 4, 8, 256);

    /** XDP: counts IPv4 packets per IP protocol in a per-CPU array, passes everything. */
    static TestProgram protocolCounter() {
        return TestProgram.assemble("proto_count", ProgramType.XDP, """
                r2 = *(u32 *)(r1 + 0)
                r3 = *(u32 *)(r1 + 4)
                r4 = r2
                r4 += 34
                if r4 > r3 goto out
                r4 = *(u16 *)(r2 + 12)
                if r4 != 0x0008 goto out
                r4 = *(u8 *)(r2 + 23)
                *(u32 *)(r10 - 4) = r4
                r1 = map[counts] ll
                r2 = r10
                r2 += -4
                call bpf_map_lookup_elem
                if r0 == 0 goto out
                r1 = *(u64 *)(r0 + 0)
                r1 += 1
                *(u64 *)(r0 + 0) = r1
                out:
                r0 = 2
                exit
                """, XDP_COUNTS);
    }

    /** The counts of {@link #tcProtocolCounter()}: u32 IP protocol to u64 packets, only protocols seen. */
    static final MapSpec TC_COUNTS = MapSpec.of("counts", MapType.HASH, 4, 8, 64);

    /** TC: counts IPv4 packets per IP protocol in a hash map (atomically), lets everything through. */
    static TestProgram tcProtocolCounter() {
        return TestProgram.assemble("tc_count", ProgramType.SCHED_CLS, """
                r2 = *(u32 *)(r1 + 76)         ; data
                r3 = *(u32 *)(r1 + 80)         ; data_end
                r4 = r2
                r4 += 34
                if r4 > r3 goto out
                r4 = *(u16 *)(r2 + 12)
                if r4 != 0x0008 goto out
                r4 = *(u8 *)(r2 + 23)
                *(u32 *)(r10 - 4) = r4
                r1 = map[counts] ll
                r2 = r10
                r2 += -4
                call bpf_map_lookup_elem
                if r0 == 0 goto new
                r1 = 1
                lock *(u64 *)(r0 + 0) += r1
                goto out
                new:
                *(u64 *)(r10 - 16) = 1
                r1 = map[counts] ll
                r2 = r10
                r2 += -4
                r3 = r10
                r3 += -16
                r4 = 1                         ; BPF_NOEXIST
                call bpf_map_update_elem
                out:
                r0 = 0                         ; TC_ACT_OK
                exit
                """, TC_COUNTS);
    }

    /** The blocked ports of {@link #tcPortFilter()}: u16 port (host order) to u8 (1 = blocked). */
    static final MapSpec BLOCKED = MapSpec.of("blocked", MapType.HASH, 2, 1, 16);

    /**
     * TC: shoots TCP segments whose destination port is in the map {@code blocked}; marks the
     * others with 0x42 and lets them through.
     */
    static TestProgram tcPortFilter() {
        return TestProgram.assemble("tc_ports", ProgramType.SCHED_CLS, """
                r6 = r1
                r2 = *(u32 *)(r6 + 76)
                r3 = *(u32 *)(r6 + 80)
                r4 = r2
                r4 += 54
                if r4 > r3 goto ok
                r4 = *(u16 *)(r2 + 12)
                if r4 != 0x0008 goto ok
                r4 = *(u8 *)(r2 + 23)
                if r4 != 6 goto ok
                r4 = *(u16 *)(r2 + 36)
                r4 = be16 r4
                *(u16 *)(r10 - 2) = r4
                r1 = map[blocked] ll
                r2 = r10
                r2 += -2
                call bpf_map_lookup_elem
                if r0 == 0 goto ok
                r0 = 2                         ; TC_ACT_SHOT
                exit
                ok:
                r1 = 0x42
                *(u32 *)(r6 + 8) = r1          ; skb->mark
                r0 = 0                         ; TC_ACT_OK
                exit
                """, BLOCKED);
    }

    /** TC: redirects UDP to ifindex 1 ({@code bpf_redirect}), lets the rest through. */
    static TestProgram tcRedirectUdp() {
        return TestProgram.assemble("tc_redirect", ProgramType.SCHED_CLS, """
                r2 = *(u32 *)(r1 + 76)
                r3 = *(u32 *)(r1 + 80)
                r4 = r2
                r4 += 34
                if r4 > r3 goto ok
                r4 = *(u8 *)(r2 + 23)
                if r4 != 17 goto ok
                r1 = 1
                r2 = 0
                call bpf_redirect
                exit
                ok:
                r0 = 0
                exit
                """);
    }

    /** Socket filter: keeps the first 42 bytes (from the IP header) of UDP, drops the rest. */
    static TestProgram udpSnap() {
        return TestProgram.assemble("udp_snap", ProgramType.SOCKET_FILTER, """
                r6 = r1
                r0 = *(u8 *)skb[9]             ; IP protocol (data starts at the IP header)
                if r0 != 17 goto drop
                r0 = 42
                exit
                drop:
                r0 = 0
                exit
                """);
    }
}
