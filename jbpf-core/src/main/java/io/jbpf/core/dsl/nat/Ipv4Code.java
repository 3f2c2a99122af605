package io.jbpf.core.dsl.nat;

import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R3;
import static io.jbpf.core.insn.Reg.R4;
import static io.jbpf.core.insn.Reg.R5;
import static io.jbpf.core.insn.Reg.R6;
import static io.jbpf.core.insn.Reg.R10;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.dsl.CodeAction;
import io.jbpf.core.dsl.Target;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.insn.Size;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.prog.ProgramSpec;
import java.util.List;
import java.util.function.Consumer;
import java.util.Objects;

/**
 * Code pieces the NAT and load-balancing programs share, for Ethernet and IPv4 without options on
 * TC ({@code __sk_buff}) or XDP ({@code xdp_md}): parse the 5-tuple onto the stack, and rewrite an
 * address or a port with the checksums updated incrementally — on TC with
 * {@code bpf_skb_store_bytes} and the kernel's {@code bpf_l3_csum_replace}/{@code bpf_l4_csum_replace}
 * (which also keep {@code skb->csum} right for partial and complete checksums), on XDP by writing
 * the packet directly and computing the RFC 1624 update in code.
 *
 * <p>It emits straight into an {@link Assembler}, so it can go into the packet DSL's programs
 * through their emitter as well. Conventions: {@code r6} holds the context for the whole program
 * (set by {@link #parseFlow} in a program of its own); only {@code r0}–{@code r5} are used, so
 * {@code r7}–{@code r9} stay the enclosing program's; the flow key lives at {@link #FLOW} on the stack.
 *
 * <p>Blocks of their own (the NAT and load-balancer programs here, or a datapath's translation
 * with maps laid out its own way) are written as a body over an {@code Ipv4Code} and wrapped by
 * {@link #program} as a whole program or by {@link #action} as a packet DSL action. A body jumps to
 * its {@code pass} label ({@link #l(String) l("pass")}) for packets it leaves alone, falls through
 * after rewriting, and (when it drops) jumps to {@code l("drop")}: the verifier refuses unreachable
 * code, so a body that never drops gets no drop block.
 */
public final class Ipv4Code {
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

    private final Assembler a;
    private final Target target;
    private final int top;
    private final String labelPrefix;
    private final boolean setContext;

    /** Code for {@code target} ({@link Target#XDP}, {@link Target#TC_INGRESS} or {@link Target#TC_EGRESS}) into {@code a}. */
    public Ipv4Code(Assembler a, Target target) {
        this(a, target, 0, "", true);
    }

    /**
     * Code inside another program (the packet DSL's): stack offsets are relative to {@code top}
     * (the end of an area the program gave, {@link #STACK} bytes or more below it), labels start
     * with {@code labelPrefix}, and {@code r6} already holds the context when {@code setContext} is false.
     */
    public Ipv4Code(Assembler a, Target target, int top, String labelPrefix, boolean setContext) {
        this.a = Objects.requireNonNull(a, "a");
        this.target = Objects.requireNonNull(target, "target");
        this.top = top;
        this.labelPrefix = Objects.requireNonNull(labelPrefix, "labelPrefix");
        this.setContext = setContext;
        if (target == Target.SOCKET_FILTER) {
            throw new IllegalArgumentException("NAT and load balancing rewrite packets: XDP or TC, not a socket filter");
        }
    }

    private boolean xdp() {
        return target == Target.XDP;
    }

    /** How many bytes of stack the NAT and load-balancer programs use below their top. */
    public static final int STACK = 128;

    /** The stack offset from r10 of frame offset {@code off} (negative, at least {@code -STACK}). */
    public int at(int off) {
        return top + off;
    }

    /** The program-wide label of the block's label {@code name}. */
    public String l(String name) {
        return labelPrefix + name;
    }

    /** The assembler. */
    public Assembler asm() {
        return a;
    }

    /** Emits {@code r0 = pass verdict; exit}. */
    public void exitPass() {
        a.mov(R0, target.passVerdict()).exit();
    }

    /** Emits {@code r0 = drop verdict; exit}. */
    public void exitDrop() {
        a.mov(R0, target.dropVerdict()).exit();
    }

    /** {@code r2 = data, r3 = data_end}; jumps to {@code other} unless {@code len} bytes are there. */
    private void packet(int len, String other) {
        a.load(Size.W, R2, R6, target.dataOffset()).load(Size.W, R3, R6, target.dataEndOffset())
                .mov(R4, R2).add(R4, len).jgt(R4, R3, other);
    }

    /**
     * Loads {@code r6 = r1} and parses: Ethernet type IPv4, header length 20, not a fragment, and TCP
     * or UDP (or ICMP echo request/reply when {@code icmp}), with the 5-tuple stored at {@link #FLOW}.
     * Anything else jumps to {@code other}. For ICMP echo both ports are the identifier. On XDP the
     * whole layer 4 header up to its checksum must be in the packet.
     */
    public void parseFlow(boolean icmp, String other, String prefix) {
        other = l(other);
        prefix = l(prefix);
        if (setContext) {
            a.mov(R6, R1);
        }
        packet(42, other);
        a.load(Size.H, R4, R2, 12).jne(R4, 0x0008, other)     // ETH_P_IP, network order
                .load(Size.B, R4, R2, 14).jne(R4, 0x45, other)       // version 4, IHL 5
                .load(Size.H, R4, R2, 20).and(R4, 0xff3f).jne(R4, 0, other) // MF or offset: a fragment
                .load(Size.B, R5, R2, 23);
        a.store(Size.DW, R10, at(FLOW + 8), 0)
                .load(Size.W, R4, R2, IP_SADDR).store(Size.W, R10, at(FLOW), R4)
                .load(Size.W, R4, R2, IP_DADDR).store(Size.W, R10, at(FLOW + 4), R4)
                .store(Size.B, R10, at(FLOW + 12), R5);
        String ports = prefix + "_ports";
        if (xdp()) {
            a.jne(R5, 6, prefix + "_short").mov(R4, R2).add(R4, 54).jgt(R4, R3, other).label(prefix + "_short");
        }
        a.jeq(R5, 6, ports).jeq(R5, 17, ports);
        if (icmp) {
            a.jne(R5, 1, other)
                    .load(Size.B, R4, R2, ICMP_TYPE).jeq(R4, 8, prefix + "_echo").jne(R4, 0, other)
                    .label(prefix + "_echo")
                    .load(Size.H, R4, R2, ICMP_ID)
                    .store(Size.H, R10, at(FLOW + 8), R4).store(Size.H, R10, at(FLOW + 10), R4)
                    .ja(prefix + "_parsed");
        } else {
            a.ja(other);
        }
        a.label(ports)
                .load(Size.W, R4, R2, L4_SPORT).store(Size.W, R10, at(FLOW + 8), R4)
                .label(prefix + "_parsed");
    }

    /**
     * Rewrites the IPv4 source ({@code source}) or destination address to the 4 bytes at stack
     * offset {@code newAt}, the old value being the flow key's, and fixes the IP checksum and the TCP
     * or UDP one (the pseudo header; a UDP checksum of 0 stays 0). ICMP has no pseudo header.
     */
    public void rewriteAddress(boolean source, int newAt, String prefix) {
        prefix = l(prefix);
        int pkt = source ? IP_SADDR : IP_DADDR;
        int oldAt = source ? FLOW : FLOW + 4;
        if (xdp()) {
            String end = prefix + "_aend";
            packet(42, end);
            a.load(Size.W, R4, R10, at(newAt)).store(Size.W, R2, pkt, R4);
            xdpChecksum(IP_CSUM, Size.W, oldAt, newAt, false);
            l4Xdp(Size.W, oldAt, newAt, true, prefix + "_a", end);
            a.label(end);
            return;
        }
        storeBytes(pkt, newAt, 4);
        a.mov(R1, R6).mov(R2, IP_CSUM).load(Size.W, R3, R10, at(oldAt)).load(Size.W, R4, R10, at(newAt)).mov(R5, 4)
                .call("bpf_l3_csum_replace");
        l4Tc(Size.W, oldAt, newAt, true, prefix);
    }

    /**
     * Rewrites the source ({@code source}) or destination port, or for ICMP the echo identifier, to
     * the 2 bytes at stack offset {@code newAt}, fixing the layer 4 checksum.
     */
    public void rewritePort(boolean source, int newAt, String prefix) {
        prefix = l(prefix);
        int oldAt = source ? FLOW + 8 : FLOW + 10;
        String icmp = prefix + "_icmpid";
        String csum = prefix + "_pcsum";
        if (xdp()) {
            String end = prefix + "_pend";
            packet(42, end);
            a.load(Size.H, R4, R10, at(newAt))
                    .load(Size.B, R5, R10, at(FLOW + 12)).jeq(R5, 1, icmp)
                    .store(Size.H, R2, source ? L4_SPORT : L4_DPORT, R4).ja(csum)
                    .label(icmp).store(Size.H, R2, ICMP_ID, R4)
                    .label(csum);
            l4Xdp(Size.H, oldAt, newAt, false, prefix + "_p", end);
            a.label(end);
            return;
        }
        a.load(Size.B, R1, R10, at(FLOW + 12)).jeq(R1, 1, icmp);
        storeBytes(source ? L4_SPORT : L4_DPORT, newAt, 2);
        a.ja(csum).label(icmp);
        storeBytes(ICMP_ID, newAt, 2);
        a.label(csum);
        l4Tc(Size.H, oldAt, newAt, false, prefix);
    }

    private void storeBytes(int pktOffset, int fromAt, int len) {
        a.mov(R1, R6).mov(R2, pktOffset).mov(R3, R10).add(R3, at(fromAt)).mov(R4, len).mov(R5, 0)
                .call("bpf_skb_store_bytes");
    }

    private void l4Tc(Size size, int oldAt, int newAt, boolean pseudo, String prefix) {
        String p = prefix + (pseudo ? "_a" : "_p");
        int bytes = size == Size.W ? 4 : 2;
        a.load(Size.B, R3, R10, at(FLOW + 12))
                .jeq(R3, 17, p + "udp").jeq(R3, 1, p + "icmp")
                .mov(R2, TCP_CSUM).mov(R5, (pseudo ? F_PSEUDO_HDR : 0) | bytes).ja(p + "call")
                .label(p + "udp")
                .mov(R2, UDP_CSUM).mov(R5, F_MARK_MANGLED_0 | (pseudo ? F_PSEUDO_HDR : 0) | bytes).ja(p + "call")
                .label(p + "icmp");
        if (pseudo) {
            a.ja(p + "end");
        } else {
            a.mov(R2, ICMP_CSUM).mov(R5, bytes);
        }
        a.label(p + "call").mov(R1, R6).load(size, R3, R10, at(oldAt)).load(size, R4, R10, at(newAt))
                .call("bpf_l4_csum_replace")
                .label(p + "end");
    }

    /** The layer 4 checksum on XDP; {@code r2}/{@code r3} hold data/data_end, checked for 42 bytes (54 for TCP by the parser). */
    private void l4Xdp(Size size, int oldAt, int newAt, boolean pseudo, String p, String end) {
        a.load(Size.B, R1, R10, at(FLOW + 12))
                .jeq(R1, 17, p + "udp").jeq(R1, 1, p + "icmp")
                .mov(R4, R2).add(R4, 54).jgt(R4, R3, end);
        xdpChecksum(TCP_CSUM, size, oldAt, newAt, false);
        a.ja(end).label(p + "udp")
                .load(Size.H, R4, R2, UDP_CSUM).jeq(R4, 0, end);  // no UDP checksum: stays 0
        xdpChecksum(UDP_CSUM, size, oldAt, newAt, true);
        a.ja(end).label(p + "icmp");
        if (!pseudo) {
            xdpChecksum(ICMP_CSUM, size, oldAt, newAt, false);
        }
    }

    /**
     * {@code csum = ~(~csum + ~old + new)} over 16-bit words (RFC 1624, eqn. 3), the words as loaded
     * (the sum does not depend on byte order); a UDP result of 0 is sent as 0xffff. {@code r2}
     * holds data, bounds-checked past {@code csumAt + 2}. Uses r4 and r5.
     */
    private void xdpChecksum(int csumAt, Size size, int oldAt, int newAt, boolean udp) {
        a.load(Size.H, R4, R2, csumAt).xor(R4, 0xffff);
        int words = size == Size.W ? 2 : 1;
        for (int i = 0; i < words; i++) {
            a.load(Size.H, R5, R10, at(oldAt + 2 * i)).xor(R5, 0xffff).add(R4, R5)
                    .load(Size.H, R5, R10, at(newAt + 2 * i)).add(R4, R5);
        }
        for (int i = 0; i < 2; i++) {
            a.mov(R5, R4).rsh(R5, 16).and(R4, 0xffff).add(R4, R5);
        }
        a.xor(R4, 0xffff);
        if (udp) {
            String nz = l("csum_nonzero_" + counter++);
            a.jne(R4, 0, nz).mov(R4, 0xffff).label(nz);
        }
        a.store(Size.H, R2, csumAt, R4);
    }

    private int counter;

    /** {@code r0 = lookup(map, r10 + keyAt)}; jumps to {@code missing} when there is none. */
    public void lookup(String map, int keyAt, String missing) {
        missing = l(missing);
        a.ldMap(R1, map).mov(R2, R10).add(R2, at(keyAt)).call("bpf_map_lookup_elem").jeq(R0, 0, missing);
    }

    /** {@code update(map, r10 + keyAt, r10 + valueAt, flags)}, result in r0. */
    public void update(String map, int keyAt, int valueAt, int flags) {
        a.ldMap(R1, map).mov(R2, R10).add(R2, at(keyAt)).mov(R3, R10).add(R3, at(valueAt)).mov(R4, flags)
                .call("bpf_map_update_elem");
    }

    /** Copies {@code bytes} (a multiple of 4) from {@code *(src + srcOff)} to the stack at {@code dstAt}. */
    public void copyToStack(Reg src, int srcOff, int dstAt, int bytes) {
        for (int i = 0; i < bytes; i += 4) {
            a.load(Size.W, R1, src, srcOff + i).store(Size.W, R10, at(dstAt + i), R1);
        }
    }

    /**
     * {@code dst = hash(flow key)}, a 32-bit mix of the 5-tuple on the stack (see
     * {@link io.jbpf.core.dsl.nat.FlowHash}); uses r1 and r2.
     */
    public void flowHash(Reg dst) {
        a.load(Size.W, dst, R10, at(FLOW)).mul32(dst, 0x9E3779B1)
                .load(Size.W, R1, R10, at(FLOW + 4)).xor32(dst, R1).mul32(dst, 0x85EBCA6B)
                .load(Size.W, R1, R10, at(FLOW + 8)).xor32(dst, R1).mul32(dst, 0xC2B2AE35)
                .load(Size.B, R1, R10, at(FLOW + 12)).xor32(dst, R1)
                .mov32(R2, dst).rsh32(R2, 16).xor32(dst, R2).mul32(dst, 0x9E3779B1)
                .mov32(R2, dst).rsh32(R2, 15).xor32(dst, R2);
    }

    /** A program of the body alone: pass and drop end it with the target's verdicts. */
    public static ProgramSpec program(String name, Target target, boolean drops, Consumer<Ipv4Code> body) {
        Assembler a = new Assembler();
        Ipv4Code c = new Ipv4Code(a, target);
        body.accept(c);
        a.label(c.l("pass"));
        c.exitPass();
        if (drops) {
            a.label(c.l("drop"));
            c.exitDrop();
        }
        return ProgramSpec.builder(name, target.programType()).instructions(a.build()).license("GPL").build();
    }

    /**
     * The body as a DSL action: it declares {@code maps}, takes its stack from the emitter, uses only
     * r0–r5 (r6 is the context), drops with the target's drop verdict, and otherwise falls through to the next
     * action with the headers parsed again (the packet may have changed).
     */
    public static CodeAction action(String hint, List<MapSpec> maps, boolean drops, Consumer<Ipv4Code> body) {
        return e -> {
            for (MapSpec m : maps) {
                e.declareMap(m);
            }
            int area = e.stack(Ipv4Code.STACK);
            Assembler a = e.asm();
            Ipv4Code c = new Ipv4Code(a, e.target(), area + Ipv4Code.STACK, e.label(hint) + "_", false);
            body.accept(c);
            if (drops) {
                a.ja(c.l("pass"));
                a.label(c.l("drop"));
                c.exitDrop();
            }
            a.label(c.l("pass"));
            e.reparse();
        };
    }
}
