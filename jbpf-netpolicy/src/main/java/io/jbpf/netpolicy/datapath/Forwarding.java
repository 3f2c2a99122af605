package io.jbpf.netpolicy.datapath;

import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R10;
import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R3;
import static io.jbpf.core.insn.Reg.R4;
import static io.jbpf.core.insn.Reg.R5;
import static io.jbpf.core.insn.Reg.R6;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.dsl.Emitter;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Size;

/**
 * The code of {@link HostRouting#BPF}: a block, emitted once at the end of a TC program, that
 * forwards the packet and ends the program. It reads the packet itself (the DSL's parse registers
 * may be gone by then), needs only {@code r6} = the context, and expects plain Ethernet and IPv4
 * (without options or with: only the fixed header is read).
 */
final class Forwarding {
    private static final int TC_ACT_OK = 0;
    private static final int ETH_HLEN = 14;
    private static final int AF_INET = 2;
    private static final int SKB_IFINDEX = 40;
    /** {@code struct bpf_fib_lookup}: its size and offsets. */
    private static final int FIB_SIZE = 64, FIB_FAMILY = 0, FIB_PROTO = 1, FIB_IFINDEX = 8, FIB_TOS = 12,
            FIB_SRC = 16, FIB_DST = 32, FIB_SMAC = 52, FIB_DMAC = 58;
    private static final int FIB_SUCCESS = 0, FIB_NO_NEIGH = 7;
    /** {@code struct bpf_redir_neigh}: family at 0, the IPv4 next hop at 4. */
    private static final int NEIGH_SIZE = 20;

    private Forwarding() {}

    /**
     * Emits the block at label {@code at}: a packet for an endpoint in {@link DatapathPrograms#ENDPOINTS}
     * goes to its veth with its MACs; other packets, when {@code route}, where the FIB sends them;
     * what is left passes to the kernel.
     */
    static void emit(Emitter e, String at, boolean route) {
        Assembler a = e.asm();
        int params = e.stack(FIB_SIZE);
        int small = e.stack(8);      // the endpoint key; then the new TTL
        String pass = e.label("fwd_pass");
        String fib = e.label("fwd_fib");
        String redirect = e.label("fwd_redirect");
        a.label(at);
        ipHeader(e, pass);
        a.load(Size.B, R3, R2, ETH_HLEN + 8).jle(R3, 1, pass)       // the kernel answers an expiring TTL
                .load(Size.W, R3, R2, ETH_HLEN + 16).store(Size.W, R10, small, R3)
                .ldMap(R1, DatapathPrograms.ENDPOINTS).mov(R2, R10).add(R2, small).call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, route ? fib : pass);
        // an endpoint of this node: its MAC from the host side's, to the egress of its lxc
        a.load(Size.W, R3, R0, EndpointMap.IFINDEX).store(Size.W, R10, params + FIB_IFINDEX, R3)
                .mov(R1, R6).mov(R2, 0).mov(R3, R0).add(R3, EndpointMap.MAC).mov(R4, 12).mov(R5, 0)
                .call(Helper.SKB_STORE_BYTES)                          // mac and nodeMac: Ethernet's dst, src
                .jne(R0, 0, pass);
        decrementTtl(e, small, pass);
        a.ja(redirect);
        if (route) {
            String neighbour = e.label("fwd_neigh");
            int neigh = e.stack(24);
            a.label(fib);
            for (int off = 0; off < FIB_SIZE; off += 8) {
                a.store(Size.DW, R10, params + off, 0);
            }
            ipHeader(e, pass);
            a.store(Size.B, R10, params + FIB_FAMILY, AF_INET)
                    .load(Size.B, R3, R2, ETH_HLEN + 1).store(Size.B, R10, params + FIB_TOS, R3)
                    .load(Size.B, R3, R2, ETH_HLEN + 9).store(Size.B, R10, params + FIB_PROTO, R3)
                    .load(Size.W, R3, R2, ETH_HLEN + 12).store(Size.W, R10, params + FIB_SRC, R3)
                    .load(Size.W, R3, R2, ETH_HLEN + 16).store(Size.W, R10, params + FIB_DST, R3)
                    .load(Size.W, R3, R6, SKB_IFINDEX).store(Size.W, R10, params + FIB_IFINDEX, R3)
                    .mov(R1, R6).mov(R2, R10).add(R2, params).mov(R3, FIB_SIZE).mov(R4, 0)
                    .call(Helper.FIB_LOOKUP)
                    .jeq(R0, FIB_NO_NEIGH, neighbour)
                    .jne(R0, FIB_SUCCESS, pass)
                    .mov(R1, R6).mov(R2, 0).mov(R3, R10).add(R3, params + FIB_DMAC).mov(R4, 6).mov(R5, 0)
                    .call(Helper.SKB_STORE_BYTES).jne(R0, 0, pass)
                    .mov(R1, R6).mov(R2, 6).mov(R3, R10).add(R3, params + FIB_SMAC).mov(R4, 6).mov(R5, 0)
                    .call(Helper.SKB_STORE_BYTES).jne(R0, 0, pass);
            decrementTtl(e, small, pass);
            a.ja(redirect);
            // no neighbour entry yet: the kernel resolves the route's next hop and fills the MACs
            a.label(neighbour);
            decrementTtl(e, small, pass);
            a.store(Size.DW, R10, neigh, 0).store(Size.DW, R10, neigh + 8, 0).store(Size.DW, R10, neigh + 16, 0)
                    .store(Size.W, R10, neigh, AF_INET)
                    .load(Size.W, R3, R10, params + FIB_DST).store(Size.W, R10, neigh + 4, R3)
                    .load(Size.W, R1, R10, params + FIB_IFINDEX).mov(R2, R10).add(R2, neigh).mov(R3, NEIGH_SIZE).mov(R4, 0)
                    .call(Helper.REDIRECT_NEIGH).exit();
        }
        a.label(redirect)
                .load(Size.W, R1, R10, params + FIB_IFINDEX).mov(R2, 0).call(Helper.REDIRECT).exit();
        a.label(pass);
        e.exitWith(TC_ACT_OK);
    }

    /** {@code r2} = the packet, with Ethernet and 20 bytes of IPv4 in it; else a jump to {@code other}. */
    private static void ipHeader(Emitter e, String other) {
        Assembler a = e.asm();
        e.loadPacketStart(R2);
        e.loadPacketEnd(R3);
        a.mov(R4, R2).add(R4, ETH_HLEN + 20).jgt(R4, R3, other)
                .load(Size.H, R3, R2, 12).jne(R3, 0x0008, other);       // ETH_P_IP as a little-endian load sees it
    }

    /** TTL - 1, with the IP checksum updated (the caller checked the TTL is above 1). */
    private static void decrementTtl(Emitter e, int scratch, String other) {
        Assembler a = e.asm();
        ipHeader(e, other);
        // TTL and protocol as one 16-bit word as it lies in the packet; the TTL is its low byte on a little-endian load
        a.load(Size.H, R3, R2, ETH_HLEN + 8).mov(R4, R3).sub(R4, 1)
                .store(Size.B, R10, scratch, R4)
                .mov(R1, R6).mov(R2, ETH_HLEN + 10).mov(R5, 2)
                .call(Helper.L3_CSUM_REPLACE).jne(R0, 0, other)
                .mov(R1, R6).mov(R2, ETH_HLEN + 8).mov(R3, R10).add(R3, scratch).mov(R4, 1).mov(R5, 0)
                .call(Helper.SKB_STORE_BYTES).jne(R0, 0, other);
    }
}
