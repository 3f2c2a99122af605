package io.jbpf.core.dsl.nat;

import static io.jbpf.core.dsl.nat.Ipv4Code.FLOW;
import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R10;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.dsl.Target;
import io.jbpf.core.dsl.CodeAction;
import io.jbpf.core.dsl.nat.Ipv4Code;
import io.jbpf.core.insn.Size;
import io.jbpf.core.prog.ProgramSpec;

/**
 * Source NAT of TCP, UDP and ICMP echo (the identifier as the port) over {@link NatMaps}, as two
 * programs for TC or XDP:
 * <ul>
 * <li>{@link #egress()} / {@link #outbound(Target)}: a packet from the private network keeps
 *     its flow's translation from {@code nat_fwd}, or gets a new one: up to {@value #ATTEMPTS}
 *     candidate ports of the configured range, starting where the flow hash points, are tried by
 *     inserting the reply's key into {@code nat_rev} with {@code BPF_NOEXIST}; the first that
 *     inserts is the flow's port (all taken: the packet is dropped). The source address and port are
 *     rewritten with incremental checksum updates ({@code bpf_l3_csum_replace} and
 *     {@code bpf_l4_csum_replace} on TC, computed in the program on XDP). On TC it runs on the
 *     outside interface's egress; on XDP on the inside interface's ingress, before routing (so the
 *     external address must not be one of the gateway's own: the kernel drops packets arriving
 *     with a local source address).
 * <li>{@link #ingress()} / {@link #inbound(Target)}, on the outside interface's ingress: a reply
 *     whose 5-tuple is in {@code nat_rev} gets the original private address and port back as its
 *     destination, before the kernel routes it.
 * </ul>
 * Other packets pass untouched. IPv4 without options over Ethernet; fragments pass untouched.
 */
public final class SourceNat {
    /** How many candidate ports a new flow tries. */
    public static final int ATTEMPTS = 8;

    private static final int KEY0 = -20;
    private static final int CFG = -40;
    private static final int NEW = -48;
    private static final int REV = -64;
    private static final int ORIG = -72;
    private static final int RANGE = -76;
    private static final int HASH = -80;

    private SourceNat() {}

    /** The TC egress program: translate outgoing flows. */
    public static ProgramSpec egress() {
        return outbound(Target.TC_EGRESS);
    }

    /**
     * The program that translates outgoing flows, for {@code target}: {@link Target#TC_EGRESS} on the
     * outside interface, or {@link Target#XDP} (checksums computed in the program) on the ingress of
     * the inside interface, before the kernel routes the packet out.
     */
    public static ProgramSpec outbound(Target target) {
        return Ipv4Code.program(target == Target.XDP ? "snat_out_xdp" : "snat_egress", target, true, SourceNat::outboundBody);
    }

    /**
     * The outgoing translation as a packet DSL action (TC egress or XDP, as the program's target):
     * it falls through to the next action, translated or not, and drops when no port is free.
     */
    public static CodeAction outboundAction(NatMaps maps) {
        return Ipv4Code.action("snat_out", maps.specs(), true, SourceNat::outboundBody);
    }

    /** The reply translation as a packet DSL action; it always falls through to the next action. */
    public static CodeAction inboundAction(NatMaps maps) {
        return Ipv4Code.action("snat_in", maps.specs(), false, SourceNat::inboundBody);
    }

    private static void outboundBody(Ipv4Code c) {
        Assembler a = c.asm();
        c.parseFlow(true, "pass", "out");
        a.store(Size.W, R10, c.at(KEY0), 0);
        c.lookup(NatMaps.CONFIG, KEY0, "pass");
        c.copyToStack(R0, 0, CFG, 16);
        a.load(Size.W, R1, R10, c.at(FLOW)).load(Size.W, R2, R10, c.at(CFG + 8)).and32(R1, R2)
                .load(Size.W, R2, R10, c.at(CFG + 4)).jne(R1, R2, c.l("pass"));
        // the reply's key: remote -> external:port (the port filled in below)
        a.load(Size.W, R1, R10, c.at(FLOW + 4)).store(Size.W, R10, c.at(REV), R1)
                .load(Size.W, R1, R10, c.at(CFG)).store(Size.W, R10, c.at(REV + 4), R1)
                .load(Size.H, R1, R10, c.at(FLOW + 10)).store(Size.H, R10, c.at(REV + 8), R1)
                .store(Size.W, R10, c.at(REV + 12), 0)
                .load(Size.B, R1, R10, c.at(FLOW + 12)).store(Size.B, R10, c.at(REV + 12), R1)
                .load(Size.W, R1, R10, c.at(FLOW)).store(Size.W, R10, c.at(ORIG), R1)
                .load(Size.H, R1, R10, c.at(FLOW + 8)).store(Size.H, R10, c.at(ORIG + 4), R1)
                .store(Size.H, R10, c.at(ORIG + 6), 0);
        c.lookup(NatMaps.FORWARD, FLOW, "allocate");
        c.copyToStack(R0, 0, NEW, 8);
        revPort(c, NEW + 4, "hit_port");
        c.update(NatMaps.REVERSE, REV, ORIG, 0);
        a.ja(c.l("rewrite"));

        a.label(c.l("allocate"));
        c.flowHash(R0);
        a.store(Size.W, R10, c.at(HASH), R0)
                .load(Size.H, R0, R10, c.at(CFG + 14)).load(Size.H, R1, R10, c.at(CFG + 12)).sub32(R0, R1).add32(R0, 1)
                .store(Size.W, R10, c.at(RANGE), R0);
        for (int k = 0; k < ATTEMPTS; k++) {
            a.load(Size.W, R1, R10, c.at(HASH)).add32(R1, k).load(Size.W, R2, R10, c.at(RANGE)).mod32(R1, R2)
                    .load(Size.H, R2, R10, c.at(CFG + 12)).add32(R1, R2).toBe(R1, 16)
                    .store(Size.W, R10, c.at(NEW), 0).store(Size.H, R10, c.at(NEW + 4), R1).store(Size.H, R10, c.at(NEW + 6), 0);
            revPort(c, NEW + 4, "try" + k + "_port");
            c.update(NatMaps.REVERSE, REV, ORIG, 1); // BPF_NOEXIST: the port is ours if it inserts
            a.jeq(R0, 0, c.l("claimed"));
        }
        a.ja(c.l("drop")); // no free port among the candidates
        a.label(c.l("claimed"))
                .load(Size.W, R1, R10, c.at(CFG)).store(Size.W, R10, c.at(NEW), R1);
        c.update(NatMaps.FORWARD, FLOW, NEW, 0);

        a.label(c.l("rewrite"));
        c.rewriteAddress(true, NEW, "snat");
        c.rewritePort(true, NEW + 4, "snat");
    }

    /** Puts the port at {@code portAt} into the reply key's destination port (and, for ICMP, its source too). */
    private static void revPort(Ipv4Code c, int portAt, String notIcmp) {
        notIcmp = c.l(notIcmp);
        c.asm().load(Size.H, R1, R10, c.at(portAt)).store(Size.H, R10, c.at(REV + 10), R1)
                .load(Size.B, R2, R10, c.at(FLOW + 12)).jne(R2, 1, notIcmp)
                .store(Size.H, R10, c.at(REV + 8), R1)
                .label(notIcmp);
    }

    /** The TC ingress program: give replies their original destination back. */
    public static ProgramSpec ingress() {
        return inbound(Target.TC_INGRESS);
    }

    /** The program that gives replies their original destination back, on the outside interface's ingress (TC or XDP). */
    public static ProgramSpec inbound(Target target) {
        return Ipv4Code.program(target == Target.XDP ? "snat_in_xdp" : "snat_ingress", target, false, SourceNat::inboundBody);
    }

    private static void inboundBody(Ipv4Code c) {
        c.parseFlow(true, "pass", "in");
        c.lookup(NatMaps.REVERSE, FLOW, "pass");
        c.copyToStack(R0, 0, ORIG, 8);
        c.rewriteAddress(false, ORIG, "dnat");
        c.rewritePort(false, ORIG + 4, "dnat");
    }
}
