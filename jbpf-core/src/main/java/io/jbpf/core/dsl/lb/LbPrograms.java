package io.jbpf.core.dsl.lb;

import static io.jbpf.core.dsl.nat.Ipv4Code.FLOW;
import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R10;
import static io.jbpf.core.insn.Reg.R2;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.dsl.Target;
import io.jbpf.core.dsl.CodeAction;
import io.jbpf.core.dsl.nat.Ipv4Code;
import io.jbpf.core.insn.Size;
import io.jbpf.core.prog.ProgramSpec;
import java.util.Objects;

/**
 * The two programs (TC or XDP, both on ingress) of the L4 load balancer, over the maps of {@link LbMaps}:
 * <ul>
 * <li>{@link #ingress()} — on the interface clients reach the VIP through: a TCP or UDP packet to a
 *     service's VIP:port keeps the backend its flow has in {@code lb_aff}, or picks one (random,
 *     flow hash or Maglev table, as the service says) and remembers it; the packet's destination is
 *     rewritten to the backend (DNAT, checksums fixed incrementally) and the reply's reverse entry
 *     written to {@code lb_rev}; the kernel then routes it to the backend.
 * <li>{@link #reply()} — on the interfaces replies come back through: a packet whose 5-tuple is in
 *     {@code lb_rev} gets the VIP:port back as its source (reverse NAT).
 * </ul>
 * Other packets pass untouched. IPv4 without options over Ethernet; fragments pass untouched.
 * Both return the target's pass verdict, or its drop verdict for a flow to a service that has no backend.
 */
public final class LbPrograms {
    private static final int SVC_KEY = -24;
    private static final int U32_KEY = -32;
    private static final int SVC = -48;
    private static final int BACKEND = -56;
    private static final int REV_KEY = -72;
    private static final int REV_VALUE = -80;
    private static final int AFF_VALUE = -96;

    private final LbMaps maps;
    private final Target target;

    /** TC programs for maps of these sizes (the Maglev size and backends per service are built into the code). */
    public LbPrograms(LbMaps maps) {
        this(maps, Target.TC_INGRESS);
    }

    /**
     * Programs for {@code target}: {@link Target#TC_INGRESS} (checksums by the kernel's csum
     * helpers) or {@link Target#XDP} (checksums computed in the program). Both attach on ingress.
     */
    public LbPrograms(LbMaps maps, Target target) {
        this.maps = Objects.requireNonNull(maps, "maps");
        this.target = Objects.requireNonNull(target, "target");
        if (target == Target.SOCKET_FILTER) {
            throw new IllegalArgumentException("the load balancer rewrites packets: XDP or TC, not " + target);
        }
    }

    /** The ingress program ({@code lb_ingress}): backend choice, affinity, DNAT. */
    public ProgramSpec ingress() {
        return Ipv4Code.program("lb_ingress", target, true, this::ingressBody);
    }

    /** The reply program ({@code lb_reply}): reverse NAT of packets from backends. */
    public ProgramSpec reply() {
        return Ipv4Code.program("lb_reply", target, false, LbPrograms::replyBody);
    }

    /**
     * The ingress logic as a packet DSL action, for a program of any target but the socket filter:
     * it falls through to the next action, translated or not, and drops a new flow to a service
     * without backends. The program gets the maps of {@code maps} (this object's sizes).
     */
    public CodeAction ingressAction() {
        return Ipv4Code.action("lb_in", maps.specs(), true, this::ingressBody);
    }

    /** The reply logic as a packet DSL action; it always falls through to the next action. */
    public CodeAction replyAction() {
        return Ipv4Code.action("lb_rep", maps.specs(), false, LbPrograms::replyBody);
    }

    private void ingressBody(Ipv4Code c) {
        Assembler a = c.asm();
        c.parseFlow(false, "pass", "in");
        // the service key from the flow's destination
        a.load(Size.W, R1, R10, c.at(FLOW + 4)).store(Size.W, R10, c.at(SVC_KEY), R1)
                .load(Size.H, R1, R10, c.at(FLOW + 10)).store(Size.H, R10, c.at(SVC_KEY + 4), R1)
                .load(Size.B, R1, R10, c.at(FLOW + 12)).store(Size.B, R10, c.at(SVC_KEY + 6), R1)
                .store(Size.B, R10, c.at(SVC_KEY + 7), 0);
        c.lookup(LbMaps.SERVICES, SVC_KEY, "pass");
        c.copyToStack(R0, 0, SVC, 16);
        // an affinity entry whose backend still exists wins
        c.lookup(LbMaps.AFFINITY, FLOW, "select");
        a.load(Size.W, R1, R0, 0).store(Size.W, R10, c.at(U32_KEY), R1);
        c.lookup(LbMaps.BACKENDS, U32_KEY, "select");
        c.copyToStack(R0, 0, BACKEND, 8);
        a.ja(c.l("have"));

        a.label(c.l("select"))
                .load(Size.W, R1, R10, c.at(SVC + 4)).jeq(R1, 0, c.l("drop"))
                .load(Size.W, R2, R10, c.at(SVC + 8))
                .jeq(R2, Algorithm.MAGLEV.number(), c.l("maglev"))
                .jeq(R2, Algorithm.HASH.number(), c.l("hash"))
                .call("bpf_get_prandom_u32")
                .load(Size.W, R1, R10, c.at(SVC + 4)).mod32(R0, R1).ja(c.l("bsel"))
                .label(c.l("hash"));
        c.flowHash(R0);
        a.load(Size.W, R1, R10, c.at(SVC + 4)).mod32(R0, R1)
                .label(c.l("bsel"))
                .load(Size.W, R1, R10, c.at(SVC)).mul32(R1, maps.maxBackendsPerService()).add32(R1, R0)
                .store(Size.W, R10, c.at(U32_KEY), R1);
        c.lookup(LbMaps.SELECTION, U32_KEY, "drop");
        a.ja(c.l("gotid")).label(c.l("maglev"));
        c.flowHash(R0);
        a.mod32(R0, maps.maglevSize())
                .load(Size.W, R1, R10, c.at(SVC)).mul32(R1, maps.maglevSize()).add32(R1, R0)
                .store(Size.W, R10, c.at(U32_KEY), R1);
        c.lookup(LbMaps.MAGLEV, U32_KEY, "drop");
        a.label(c.l("gotid"))
                .load(Size.W, R1, R0, 0).store(Size.W, R10, c.at(U32_KEY), R1)
                .store(Size.W, R10, c.at(AFF_VALUE), R1).store(Size.W, R10, c.at(AFF_VALUE + 4), 0);
        c.lookup(LbMaps.BACKENDS, U32_KEY, "drop");
        c.copyToStack(R0, 0, BACKEND, 8);
        c.update(LbMaps.AFFINITY, FLOW, AFF_VALUE, 0);

        // the reply's key (backend -> client) and the VIP to restore
        a.label(c.l("have"))
                .load(Size.W, R1, R10, c.at(BACKEND)).store(Size.W, R10, c.at(REV_KEY), R1)
                .load(Size.W, R1, R10, c.at(FLOW)).store(Size.W, R10, c.at(REV_KEY + 4), R1)
                .load(Size.H, R1, R10, c.at(BACKEND + 4)).store(Size.H, R10, c.at(REV_KEY + 8), R1)
                .load(Size.H, R1, R10, c.at(FLOW + 8)).store(Size.H, R10, c.at(REV_KEY + 10), R1)
                .store(Size.W, R10, c.at(REV_KEY + 12), 0)
                .load(Size.B, R1, R10, c.at(FLOW + 12)).store(Size.B, R10, c.at(REV_KEY + 12), R1)
                .load(Size.W, R1, R10, c.at(FLOW + 4)).store(Size.W, R10, c.at(REV_VALUE), R1)
                .load(Size.H, R1, R10, c.at(FLOW + 10)).store(Size.H, R10, c.at(REV_VALUE + 4), R1)
                .store(Size.H, R10, c.at(REV_VALUE + 6), 0);
        c.update(LbMaps.REVERSE, REV_KEY, REV_VALUE, 0);
        c.rewriteAddress(false, BACKEND, "dnat");
        c.rewritePort(false, BACKEND + 4, "dnat");
    }

    private static void replyBody(Ipv4Code c) {
        c.parseFlow(false, "pass", "rep");
        c.lookup(LbMaps.REVERSE, FLOW, "pass");
        c.copyToStack(R0, 0, REV_VALUE, 8);
        c.rewriteAddress(true, REV_VALUE, "snat");
        c.rewritePort(true, REV_VALUE + 4, "snat");
    }
}
