package io.jbpf.netpolicy.datapath;

import static io.jbpf.core.dsl.nat.Ipv4Code.FLOW;
import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R10;
import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R3;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.dsl.nat.Ipv4Code;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.insn.Size;
import io.jbpf.netpolicy.service.LoadBalancing;
import io.jbpf.netpolicy.service.ServiceMaps;

/**
 * The service translation of the datapath (kube-proxy replacement), over the maps of
 * {@link ServiceMaps}, emitted as {@link Ipv4Code} bodies into the endpoint programs:
 * <ul>
 * <li>{@link #forward} runs first in the client's from-container program. A TCP or UDP packet to a
 * frontend (address, port, protocol with a slot 0 in {@link ServiceMaps#SERVICES}) keeps the backend
 * its connection has in {@link ServiceMaps#CONNTRACK} while that backend exists (and puts the reply's
 * entry back when the client's port has served another frontend of that backend since); a new connection
 * takes its ClientIP affinity backend (unexpired, not terminating) or picks one of the frontend's
 * slots, at random or by the frontend's Maglev table over the 5-tuple's hash, and records it, with
 * the reply's tuple, in {@link ServiceMaps#CONNTRACK}. Its destination becomes the backend's
 * (checksums updated), so the policy that follows judges the backend's identity. A frontend without
 * backends drops the packet (the caller reports Cilium's reason 158, "service backend not found").</li>
 * <li>{@link #reverse} runs in the client's to-container program for replies of tracked
 * connections: a reply whose tuple is recorded gets its frontend (by reverse-NAT index from
 * {@link ServiceMaps#REVERSE_NAT}) back as its source, so the client sees the service address.</li>
 * </ul>
 * Entries live {@value #TCP_LIFETIME} s for TCP and {@value #OTHER_LIFETIME} s for UDP from their
 * last packet (each direction refreshes its own); the agent deletes expired ones
 * ({@link ServiceMaps#gc}). IPv4 without options, not fragmented; SCTP, ICMP and ICMP errors about a
 * balanced connection are not translated.
 */
final class ServiceTranslation {
    /** Seconds a balanced connection's entries live after their last packet. */
    static final int TCP_LIFETIME = 21600, OTHER_LIFETIME = 60;

    // the body's stack, below its top (FLOW is at -16)
    private static final int SVC_KEY = -32;
    private static final int SVC = -48;
    private static final int CT_VALUE = -64;
    private static final int BACKEND = -80;
    private static final int REV_KEY = -96;
    private static final int AFF_KEY = -104;
    private static final int AFF_VALUE = -112;
    private static final int ID_KEY = -120;
    private static final int RNAT_KEY = -116;
    private static final int NOW = -124;
    private static final int HASH = -128;

    private static final int TCP = 6;

    private ServiceTranslation() {}

    /**
     * The client side: picks or finds the backend and translates the destination. Jumps to
     * {@code c.l("pass")} for packets to no frontend, to {@code c.l("drop")} for a frontend without
     * backends, and falls through after the translation.
     */
    static void forward(Ipv4Code c, LoadBalancing lb) {
        forward(c, lb, false);
    }

    /**
     * As {@link #forward(Ipv4Code, LoadBalancing)}; with {@code externalOnly}, only node port and
     * external IP frontends (what clients outside the cluster reach) are translated.
     */
    static void forward(Ipv4Code c, LoadBalancing lb, boolean externalOnly) {
        Assembler a = c.asm();
        int m = lb.maglevTableSize();
        c.parseFlow(false, "pass", "svc");
        // slot 0 of the frontend
        a.load(Size.W, R1, R10, c.at(FLOW + 4)).store(Size.W, R10, c.at(SVC_KEY), R1)
                .load(Size.H, R1, R10, c.at(FLOW + 10)).store(Size.H, R10, c.at(SVC_KEY + 4), R1)
                .store(Size.H, R10, c.at(SVC_KEY + 6), 0)
                .load(Size.B, R1, R10, c.at(FLOW + 12)).store(Size.B, R10, c.at(SVC_KEY + 8), R1)
                .store(Size.B, R10, c.at(SVC_KEY + 9), 0).store(Size.H, R10, c.at(SVC_KEY + 10), 0);
        c.lookup(ServiceMaps.SERVICES, SVC_KEY, "pass");
        c.copyToStack(R0, 0, SVC, 12);
        if (externalOnly) {
            a.load(Size.B, R1, R10, c.at(SVC + 8))
                    .and(R1, ServiceMaps.SERVICE_NODE_PORT | ServiceMaps.SERVICE_EXTERNAL_IP).jeq(R1, 0, c.l("pass"));
        }
        a.call(Helper.KTIME_GET_NS).div(R0, 1_000_000_000).store(Size.W, R10, c.at(NOW), R0);

        // a known connection keeps its backend while that exists (the flow key is the entry's key: kind 0)
        c.lookup(ServiceMaps.CONNTRACK, FLOW, "select");
        a.load(Size.W, R1, R0, 4).load(Size.W, R2, R10, c.at(NOW)).jlt(R1, R2, c.l("select"))
                .load(Size.W, R1, R0, 0).store(Size.W, R10, c.at(ID_KEY), R1);
        lifetime(c, R2, "fwd");
        a.store(Size.W, R0, 4, R2);
        c.lookup(ServiceMaps.BACKENDS, ID_KEY, "select");
        c.copyToStack(R0, 0, BACKEND, 12);
        // the reply's entry must lead back to this frontend: the client may have used the port for
        // another frontend with the same backend since, which rewrote it
        reverseKey(c);
        c.lookup(ServiceMaps.CONNTRACK, REV_KEY, "remember");
        a.load(Size.H, R1, R0, 8).load(Size.H, R2, R10, c.at(SVC + 6)).jne(R1, R2, c.l("remember"))
                .ja(c.l("dnat"));

        // a new connection: the affinity backend, or one of the slots
        a.label(c.l("select"))
                .load(Size.H, R1, R10, c.at(SVC + 4)).jeq(R1, 0, c.l("drop"))
                .load(Size.W, R1, R10, c.at(FLOW)).store(Size.W, R10, c.at(AFF_KEY), R1)
                .load(Size.H, R1, R10, c.at(SVC + 6)).store(Size.H, R10, c.at(AFF_KEY + 4), R1)
                .store(Size.H, R10, c.at(AFF_KEY + 6), 0)
                .load(Size.B, R1, R10, c.at(SVC + 8)).and(R1, ServiceMaps.SERVICE_AFFINITY).jeq(R1, 0, c.l("choose"));
        c.lookup(ServiceMaps.AFFINITY, AFF_KEY, "choose");
        a.load(Size.W, R1, R0, 0).load(Size.W, R2, R10, c.at(SVC)).add(R1, R2)   // last used + timeout
                .load(Size.W, R2, R10, c.at(NOW)).jlt(R1, R2, c.l("choose"))
                .load(Size.W, R1, R0, 4).store(Size.W, R10, c.at(ID_KEY), R1);
        c.lookup(ServiceMaps.BACKENDS, ID_KEY, "choose");
        a.load(Size.B, R1, R0, 7).and(R1, ServiceMaps.BACKEND_TERMINATING).jne(R1, 0, c.l("choose"));
        c.copyToStack(R0, 0, BACKEND, 12);
        a.ja(c.l("chosen"));

        a.label(c.l("choose"))
                .load(Size.B, R1, R10, c.at(SVC + 9)).and(R1, ServiceMaps.SERVICE2_MAGLEV).jeq(R1, 0, c.l("random"));
        c.flowHash(R0);
        a.mod32(R0, m).store(Size.W, R10, c.at(HASH), R0)
                .load(Size.H, R1, R10, c.at(SVC + 6)).store(Size.H, R10, c.at(RNAT_KEY), R1);
        c.lookup(ServiceMaps.MAGLEV, RNAT_KEY, "random");
        a.load(Size.W, R1, R10, c.at(HASH)).jge(R1, m, c.l("random"))
                .lsh(R1, 2).add(R0, R1).load(Size.W, R1, R0, 0).ja(c.l("gotid"));
        a.label(c.l("random"))
                .call(Helper.GET_PRANDOM_U32)
                .load(Size.H, R1, R10, c.at(SVC + 4)).mod32(R0, R1).add(R0, 1)
                .store(Size.H, R10, c.at(SVC_KEY + 6), R0);
        c.lookup(ServiceMaps.SERVICES, SVC_KEY, "drop");
        a.load(Size.W, R1, R0, 0);
        a.label(c.l("gotid")).store(Size.W, R10, c.at(ID_KEY), R1);
        c.lookup(ServiceMaps.BACKENDS, ID_KEY, "drop");
        c.copyToStack(R0, 0, BACKEND, 12);

        // remembered: the client's affinity, the connection and its reply's tuple
        a.label(c.l("chosen"))
                .load(Size.B, R1, R10, c.at(SVC + 8)).and(R1, ServiceMaps.SERVICE_AFFINITY).jeq(R1, 0, c.l("record"))
                .load(Size.W, R1, R10, c.at(NOW)).store(Size.W, R10, c.at(AFF_VALUE), R1)
                .load(Size.W, R1, R10, c.at(ID_KEY)).store(Size.W, R10, c.at(AFF_VALUE + 4), R1);
        c.update(ServiceMaps.AFFINITY, AFF_KEY, AFF_VALUE, 0);
        a.label(c.l("record"));
        reverseKey(c);
        a.label(c.l("remember"))
                .load(Size.W, R1, R10, c.at(ID_KEY)).store(Size.W, R10, c.at(CT_VALUE), R1);
        lifetime(c, R2, "new");
        a.store(Size.W, R10, c.at(CT_VALUE + 4), R2)
                .load(Size.H, R1, R10, c.at(SVC + 6)).store(Size.H, R10, c.at(CT_VALUE + 8), R1)
                .store(Size.H, R10, c.at(CT_VALUE + 10), 0)
                .load(Size.W, R1, R10, c.at(NOW)).store(Size.W, R10, c.at(CT_VALUE + 12), R1);
        c.update(ServiceMaps.CONNTRACK, FLOW, CT_VALUE, 0);
        c.update(ServiceMaps.CONNTRACK, REV_KEY, CT_VALUE, 0);

        a.label(c.l("dnat"));
        c.rewriteAddress(false, BACKEND, "dnat");
        c.rewritePort(false, BACKEND + 4, "dnat");
    }

    /**
     * The client side of replies: gives a reply of a balanced connection its frontend as source.
     * Jumps to {@code c.l("pass")} for other packets, falls through after the translation.
     */
    static void reverse(Ipv4Code c) {
        Assembler a = c.asm();
        c.parseFlow(false, "pass", "rsvc");
        a.call(Helper.KTIME_GET_NS).div(R0, 1_000_000_000).store(Size.W, R10, c.at(NOW), R0)
                .store(Size.B, R10, c.at(FLOW + 13), ServiceMaps.CT_REVERSE);
        c.lookup(ServiceMaps.CONNTRACK, FLOW, "pass");
        lifetime(c, R2, "rev");
        a.store(Size.W, R0, 4, R2)
                .load(Size.H, R1, R0, 8).store(Size.H, R10, c.at(RNAT_KEY), R1)
                .store(Size.B, R10, c.at(FLOW + 13), 0);
        c.lookup(ServiceMaps.REVERSE_NAT, RNAT_KEY, "pass");
        c.copyToStack(R0, 0, BACKEND, 8);
        c.rewriteAddress(true, BACKEND, "rsnat");
        c.rewritePort(true, BACKEND + 4, "rsnat");
    }

    /** The reply's key at REV_KEY: backend to client, kind {@link ServiceMaps#CT_REVERSE}. Uses R1. */
    private static void reverseKey(Ipv4Code c) {
        c.asm().load(Size.W, R1, R10, c.at(BACKEND)).store(Size.W, R10, c.at(REV_KEY), R1)
                .load(Size.W, R1, R10, c.at(FLOW)).store(Size.W, R10, c.at(REV_KEY + 4), R1)
                .load(Size.H, R1, R10, c.at(BACKEND + 4)).store(Size.H, R10, c.at(REV_KEY + 8), R1)
                .load(Size.H, R1, R10, c.at(FLOW + 8)).store(Size.H, R10, c.at(REV_KEY + 10), R1)
                .store(Size.W, R10, c.at(REV_KEY + 12), 0)
                .load(Size.B, R1, R10, c.at(FLOW + 12)).store(Size.B, R10, c.at(REV_KEY + 12), R1)
                .store(Size.B, R10, c.at(REV_KEY + 13), ServiceMaps.CT_REVERSE);
    }

    /** {@code dst} = now + the lifetime of the flow's protocol; uses R3. */
    private static void lifetime(Ipv4Code c, Reg dst, String hint) {
        String tcp = c.l(hint + "_lt_tcp");
        String done = c.l(hint + "_lt_done");
        c.asm().load(Size.W, dst, R10, c.at(NOW)).load(Size.B, R3, R10, c.at(FLOW + 12)).jeq(R3, TCP, tcp)
                .add(dst, OTHER_LIFETIME).ja(done)
                .label(tcp).add(dst, TCP_LIFETIME)
                .label(done);
    }
}
