package io.jbpf.core.dsl.nat.internal;

import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R3;
import static io.jbpf.core.insn.Reg.R4;
import static io.jbpf.core.insn.Reg.R5;
import static io.jbpf.core.insn.Reg.R6;
import static io.jbpf.core.insn.Reg.R7;
import static io.jbpf.core.insn.Reg.R10;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.insn.Size;

/**
 * Code pieces the NAT and load-balancing programs share, for TC ({@code __sk_buff}) programs over
 * Ethernet and IPv4 without options: parse the 5-tuple onto the stack, and rewrite an address or a
 * port with {@code bpf_skb_store_bytes} and the kernel's incremental checksum helpers.
 *
 * <p>This emits straight into an {@link Assembler}; it is the one place to re-point at the packet
 * DSL's builder once that offers the same pieces. Conventions: {@code r6} holds the context for the
 * whole program; the flow key lives at {@link #FLOW} on the stack.
 */
public final class TcIpv4Code {
    /** Stack offset of the parsed {@code FlowKey} (16 bytes). */
    public static final int FLOW = -16;
    /** Offsets in the packet (Ethernet, then IPv4 of 20 bytes). */
    public static final int IP_CSUM = 24;
    public static final int IP_SADDR = 26;
    public static final int IP_DADDR = 30;
    public static final int L4_SPORT = 34;
    public static final int L4_DPORT = 36;
    public static final int ICMP_TYPE = 34;
    public static final int ICMP_CSUM = 36;
    public static final int ICMP_ID = 38;
    public static final int TCP_CSUM = 50;
    public static final int UDP_CSUM = 40;

    private static final int F_PSEUDO_HDR = 0x10;
    private static final int F_MARK_MANGLED_0 = 0x20;

    private TcIpv4Code() {}

    /**
     * Loads {@code r6 = r1} and parses: Ethernet type IPv4, header length 20, not a fragment, and TCP
     * or UDP (or ICMP echo request/reply when {@code icmp}), with the 5-tuple stored at {@link #FLOW}.
     * Anything else jumps to {@code other}. For ICMP echo both ports are the identifier.
     */
    public static void parseFlow(Assembler a, boolean icmp, String other, String prefix) {
        a.mov(R6, R1)
                .load(Size.W, R2, R6, 76)           // data
                .load(Size.W, R3, R6, 80)           // data_end
                .mov(R4, R2).add(R4, 40)
                .jgt(R4, R3, other)
                .load(Size.H, R4, R2, 12).jne(R4, 0x0008, other)     // ETH_P_IP, network order
                .load(Size.B, R4, R2, 14).jne(R4, 0x45, other)       // version 4, IHL 5
                .load(Size.H, R4, R2, 20).and(R4, 0xff3f).jne(R4, 0, other) // MF or offset: a fragment
                .load(Size.B, R5, R2, 23);
        a.store(Size.DW, R10, FLOW + 8, 0)
                .load(Size.W, R4, R2, IP_SADDR).store(Size.W, R10, FLOW, R4)
                .load(Size.W, R4, R2, IP_DADDR).store(Size.W, R10, FLOW + 4, R4)
                .store(Size.B, R10, FLOW + 12, R5);
        String ports = prefix + "_ports";
        a.jeq(R5, 6, ports).jeq(R5, 17, ports);
        if (icmp) {
            a.jne(R5, 1, other)
                    .load(Size.B, R4, R2, ICMP_TYPE).jeq(R4, 8, prefix + "_echo").jne(R4, 0, other)
                    .label(prefix + "_echo")
                    .load(Size.H, R4, R2, ICMP_ID)
                    .store(Size.H, R10, FLOW + 8, R4).store(Size.H, R10, FLOW + 10, R4)
                    .ja(prefix + "_parsed");
        } else {
            a.ja(other);
        }
        a.label(ports)
                .load(Size.W, R4, R2, L4_SPORT).store(Size.W, R10, FLOW + 8, R4)
                .label(prefix + "_parsed");
    }

    /**
     * Rewrites the IPv4 source ({@code source}) or destination address to the 4 bytes at stack
     * offset {@code newAt}, the old value being the flow key's, and fixes the IP checksum and the TCP
     * or UDP one (the pseudo header; a UDP checksum of 0 stays 0). ICMP has no pseudo header.
     */
    public static void rewriteAddress(Assembler a, boolean source, int newAt, String prefix) {
        int pkt = source ? IP_SADDR : IP_DADDR;
        int oldAt = source ? FLOW : FLOW + 4;
        storeBytes(a, pkt, newAt, 4);
        a.mov(R1, R6).mov(R2, IP_CSUM).load(Size.W, R3, R10, oldAt).load(Size.W, R4, R10, newAt).mov(R5, 4)
                .call("bpf_l3_csum_replace");
        l4Checksum(a, Size.W, oldAt, newAt, true, prefix);
    }

    /**
     * Rewrites the source ({@code source}) or destination port, or for ICMP the echo identifier, to
     * the 2 bytes at stack offset {@code newAt}, fixing the layer 4 checksum.
     */
    public static void rewritePort(Assembler a, boolean source, int newAt, String prefix) {
        int oldAt = source ? FLOW + 8 : FLOW + 10;
        String icmp = prefix + "_icmpid";
        String done = prefix + "_portdone";
        a.load(Size.B, R7, R10, FLOW + 12).jeq(R7, 1, icmp);
        storeBytes(a, source ? L4_SPORT : L4_DPORT, newAt, 2);
        a.ja(prefix + "_pcsum").label(icmp);
        storeBytes(a, ICMP_ID, newAt, 2);
        a.label(prefix + "_pcsum");
        l4Checksum(a, Size.H, oldAt, newAt, false, prefix);
        a.label(done);
    }

    private static void storeBytes(Assembler a, int pktOffset, int fromAt, int len) {
        a.mov(R1, R6).mov(R2, pktOffset).mov(R3, R10).add(R3, fromAt).mov(R4, len).mov(R5, 0)
                .call("bpf_skb_store_bytes");
    }

    private static void l4Checksum(Assembler a, Size size, int oldAt, int newAt, boolean pseudo, String prefix) {
        String udp = prefix + (pseudo ? "_a" : "_p") + "udp";
        String icmp = prefix + (pseudo ? "_a" : "_p") + "icmp";
        String call = prefix + (pseudo ? "_a" : "_p") + "call";
        String end = prefix + (pseudo ? "_a" : "_p") + "end";
        int bytes = size == Size.W ? 4 : 2;
        a.load(Size.B, R7, R10, FLOW + 12)
                .jeq(R7, 17, udp).jeq(R7, 1, icmp)
                .mov(R2, TCP_CSUM).mov(R5, (pseudo ? F_PSEUDO_HDR : 0) | bytes).ja(call)
                .label(udp)
                .mov(R2, UDP_CSUM).mov(R5, F_MARK_MANGLED_0 | (pseudo ? F_PSEUDO_HDR : 0) | bytes).ja(call)
                .label(icmp);
        if (pseudo) {
            a.ja(end);
        } else {
            a.mov(R2, ICMP_CSUM).mov(R5, bytes);
        }
        a.label(call).mov(R1, R6).load(size, R3, R10, oldAt).load(size, R4, R10, newAt)
                .call("bpf_l4_csum_replace")
                .label(end);
    }

    /** {@code r0 = lookup(map, r10 + keyAt)}; jumps to {@code missing} when there is none. */
    public static void lookup(Assembler a, String map, int keyAt, String missing) {
        a.ldMap(R1, map).mov(R2, R10).add(R2, keyAt).call("bpf_map_lookup_elem").jeq(R0, 0, missing);
    }

    /** {@code update(map, r10 + keyAt, r10 + valueAt, flags)}, result in r0. */
    public static void update(Assembler a, String map, int keyAt, int valueAt, int flags) {
        a.ldMap(R1, map).mov(R2, R10).add(R2, keyAt).mov(R3, R10).add(R3, valueAt).mov(R4, flags)
                .call("bpf_map_update_elem");
    }

    /** Copies {@code bytes} (a multiple of 4) from {@code *(src + srcOff)} to the stack at {@code dstAt}. */
    public static void copyToStack(Assembler a, Reg src, int srcOff, int dstAt, int bytes) {
        for (int i = 0; i < bytes; i += 4) {
            a.load(Size.W, R1, src, srcOff + i).store(Size.W, R10, dstAt + i, R1);
        }
    }

    /**
     * {@code dst = hash(flow key)}, a 32-bit mix of the 5-tuple on the stack (see
     * {@link io.jbpf.core.dsl.nat.FlowHash}); uses r1 and r2.
     */
    public static void flowHash(Assembler a, Reg dst) {
        a.load(Size.W, dst, R10, FLOW).mul32(dst, 0x9E3779B1)
                .load(Size.W, R1, R10, FLOW + 4).xor32(dst, R1).mul32(dst, 0x85EBCA6B)
                .load(Size.W, R1, R10, FLOW + 8).xor32(dst, R1).mul32(dst, 0xC2B2AE35)
                .load(Size.B, R1, R10, FLOW + 12).xor32(dst, R1)
                .mov32(R2, dst).rsh32(R2, 16).xor32(dst, R2).mul32(dst, 0x9E3779B1)
                .mov32(R2, dst).rsh32(R2, 15).xor32(dst, R2);
    }
}
