package io.jbpf.netpolicy.datapath;

import static io.jbpf.core.dsl.Dsl.code;
import static io.jbpf.core.dsl.Dsl.ipv4;
import static io.jbpf.core.dsl.Dsl.pass;
import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R10;
import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R3;
import static io.jbpf.core.insn.Reg.R4;
import static io.jbpf.core.insn.Reg.R6;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.dsl.CodeAction;
import io.jbpf.core.dsl.Emitter;
import io.jbpf.core.dsl.Layer;
import io.jbpf.core.dsl.PacketProgram;
import io.jbpf.core.dsl.Target;
import io.jbpf.core.dsl.nat.Ipv4Code;
import io.jbpf.core.dsl.nat.NatMaps;
import io.jbpf.core.dsl.nat.SourceNat;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Size;
import io.jbpf.netpolicy.lab.Ipv4Cidr;
import io.jbpf.netpolicy.service.LoadBalancing;
import io.jbpf.netpolicy.service.ServiceMaps;
import java.util.Objects;
import java.util.Set;

/**
 * The programs of a node's underlay device: BPF masquerade as Cilium's {@code bpf.masquerade} (the
 * DSL's source NAT block, behind the ip-masq-agent's exemptions) and node ports for clients outside
 * the cluster (Cilium's kube-proxy replacement in SNAT mode).
 * <ul>
 * <li>{@link #fromNetdev} on TC ingress: a reply to a translated flow gets its original destination
 * back ({@link SourceNat#inboundAction}); when that flow was a node port connection forwarded to a
 * backend on another node, the reply also gets the frontend as its source and is sent straight back
 * out of the device to the client ({@code bpf_redirect_neigh}: routing would refuse a packet
 * arriving with the node's own source address). A new packet from outside to a node port or an
 * external IP goes to a backend ({@link ServiceTranslation#forward}); a backend on another node
 * needs the node as source so the reply comes back here: the packet is marked
 * ({@link #NODE_PORT_SNAT_MARK}) for the egress side.</li>
 * <li>{@link #toNetdev} on TC egress: the reply of a backend on this node to an outside client gets
 * the frontend as its source ({@link ServiceTranslation#reverse}); then a marked packet, or one from
 * the node's pod CIDR to a destination the {@link #NON_MASQUERADE} trie does not hold, leaves with
 * the node's address and a port from the configured range ({@link SourceNat#outboundAction}); the
 * translation is kept per flow.</li>
 * </ul>
 * Under {@link HostRouting#BPF} the ingress side forwards what it lets through itself (a packet for
 * a pod of this node straight to its veth, one for elsewhere where the FIB says). Everything else
 * passes untouched. The maps: {@link #NON_MASQUERADE}, {@link NatMaps}' three (the
 * NAT's private network is every address: which packets are translated is decided here) and the
 * service maps of {@link ServiceMaps}.
 */
public final class MasqueradePrograms {
    /** The non-masquerade CIDRs' map ({@link NonMasqueradeMap}). */
    public static final String NON_MASQUERADE = "jbpf_ipmasq";
    /** How many translated flows a node keeps. */
    public static final int MAX_NAT_FLOWS = 65536;
    /** The {@code skb->mark} the ingress side gives node port packets that need the node as source. */
    public static final int NODE_PORT_SNAT_MARK = 0x4a420000;

    private static final int TC_ACT_OK = 0;
    private static final int TC_ACT_SHOT = 2;
    private static final int SKB_MARK = 8;
    private static final int SKB_IFINDEX = 40;

    private MasqueradePrograms() {}

    /** The NAT maps' sizes. */
    public static NatMaps natMaps() {
        return new NatMaps(MAX_NAT_FLOWS);
    }

    /** The program for TC egress of the underlay device of the node whose pods are {@code podCidr}. */
    public static PacketProgram toNetdev(Ipv4Cidr podCidr, LoadBalancing lb) {
        return PacketProgram.forTarget(Target.TC_EGRESS).name("jbpf_to_netd")
                .when(ipv4().present()).then(code(new ToNetdev(podCidr, lb)))
                .otherwise(pass()).build();
    }

    /** The program for TC ingress of the underlay device of the node whose pods are {@code podCidr}, with {@link HostRouting#BPF}. */
    public static PacketProgram fromNetdev(Ipv4Cidr podCidr, LoadBalancing lb) {
        return fromNetdev(podCidr, lb, HostRouting.BPF);
    }

    /**
     * The program for TC ingress of the underlay device of the node whose pods are {@code podCidr};
     * under {@link HostRouting#BPF} it forwards what it lets through itself (to a local endpoint's
     * veth from {@link DatapathPrograms#ENDPOINTS}, or where the FIB says).
     */
    public static PacketProgram fromNetdev(Ipv4Cidr podCidr, LoadBalancing lb, HostRouting routing) {
        return PacketProgram.forTarget(Target.TC_INGRESS).name("jbpf_from_netd")
                .when(ipv4().present()).then(code(new FromNetdev(podCidr, lb, Objects.requireNonNull(routing, "routing"))))
                .otherwise(pass()).build();
    }

    /** {@code R2 = (IPv4 address at ip + offset, as loaded) & mask}; jumps to {@code outside} unless it is in {@code cidr}. */
    private static void inCidr(Assembler a, Ipv4Cidr cidr, int offset, String outside) {
        // the address as a 32-bit load sees it: its network-order bytes read little-endian
        int mask = Integer.reverseBytes(cidr.prefixLength() == 0 ? 0 : -1 << (32 - cidr.prefixLength()));
        int net = Integer.reverseBytes(cidr.network().bits()) & mask;
        a.load(Size.W, R2, R1, offset).and32(R2, mask).jne(R2, net, outside);
    }

    /** A body over a stack area of its own, in the emitting program. */
    private static Ipv4Code body(Emitter e, String hint) {
        return new Ipv4Code(e.asm(), e.target(), e.stack(Ipv4Code.STACK) + Ipv4Code.STACK, e.label(hint) + "_", false);
    }

    /** An action of the underlay device's programs: the node's pod CIDR and load balancing. */
    private abstract static class UnderlayAction implements CodeAction {
        final Ipv4Cidr podCidr;
        final LoadBalancing lb;

        UnderlayAction(Ipv4Cidr podCidr, LoadBalancing lb) {
            this.podCidr = Objects.requireNonNull(podCidr, "podCidr");
            this.lb = Objects.requireNonNull(lb, "lb");
        }

        @Override
        public Set<Layer> layers() {
            return Set.of(Layer.IPV4);
        }
    }

    /** Egress: the reverse translation of local backends' replies, then source NAT. */
    private static final class ToNetdev extends UnderlayAction {
        ToNetdev(Ipv4Cidr podCidr, LoadBalancing lb) {
            super(podCidr, lb);
        }

        @Override
        public void emit(Emitter e) {
            ServiceMaps.specs(lb).forEach(e::declareMap);
            e.declareMap(NonMasqueradeMap.spec(NON_MASQUERADE));
            Assembler a = e.asm();
            int key = e.stack(NonMasqueradeMap.KEY_SIZE);
            String out = e.label("out");
            String snat = e.label("snat");
            Ipv4Code rev = body(e, "nprev");
            ServiceTranslation.reverse(rev);
            a.label(rev.l("pass"));
            e.reparse();
            a.load(Size.W, R1, R6, SKB_MARK).jeq(R1, NODE_PORT_SNAT_MARK, snat);
            e.headerPointer(Layer.IPV4, R1, out);
            inCidr(a, podCidr, 12, out);
            a.load(Size.W, R3, R1, 16).store(Size.W, R10, key + 4, R3).store(Size.W, R10, key, 32)
                    .ldMap(R1, NON_MASQUERADE).mov(R2, R10).add(R2, key).call(Helper.MAP_LOOKUP_ELEM)
                    .jne(R0, 0, out);
            a.label(snat);
            SourceNat.outboundAction(natMaps()).emit(e);
            a.label(out);
            e.exitWith(TC_ACT_OK);
        }
    }

    /** Ingress: replies of translated flows, then node ports for outside clients. */
    private static final class FromNetdev extends UnderlayAction {
        private final HostRouting routing;

        FromNetdev(Ipv4Cidr podCidr, LoadBalancing lb, HostRouting routing) {
            super(podCidr, lb);
            this.routing = routing;
        }

        @Override
        public void emit(Emitter e) {
            ServiceMaps.specs(lb).forEach(e::declareMap);
            if (routing == HostRouting.BPF) {
                e.declareMap(EndpointMap.spec(DatapathPrograms.ENDPOINTS, DatapathPrograms.MAX_ENDPOINTS));
            }
            Assembler a = e.asm();
            int dst = e.stack(8);
            String out = e.label("out");
            String fresh = e.label("fresh");
            e.headerPointer(Layer.IPV4, R1, out);
            a.load(Size.W, R2, R1, 16).store(Size.W, R10, dst, R2);
            SourceNat.inboundAction(natMaps()).emit(e);
            e.headerPointer(Layer.IPV4, R1, out);
            a.load(Size.W, R2, R1, 16).load(Size.W, R3, R10, dst).jeq(R2, R3, fresh);
            // a translated reply: a node port connection's goes back out to its client from the frontend
            Ipv4Code rev = body(e, "nprev");
            ServiceTranslation.reverse(rev);
            a.load(Size.W, R1, R6, SKB_IFINDEX).mov(R2, 0).mov(R3, 0).mov(R4, 0).call(Helper.REDIRECT_NEIGH).exit();
            a.label(rev.l("pass")).ja(out);
            // a new packet from outside to a node port or an external IP
            a.label(fresh);
            Ipv4Code fwd = body(e, "npfwd");
            ServiceTranslation.forward(fwd, lb, true);
            e.reparse();
            e.headerPointer(Layer.IPV4, R1, out);
            inCidr(a, podCidr, 16, fwd.l("remote"));
            a.ja(out);
            a.label(fwd.l("remote")).mov(R1, NODE_PORT_SNAT_MARK).store(Size.W, R6, SKB_MARK, R1).ja(out);
            a.label(fwd.l("drop"));
            e.exitWith(TC_ACT_SHOT);
            a.label(fwd.l("pass"));
            if (routing == HostRouting.BPF) {
                Forwarding.emit(e, out, true);
            } else {
                a.label(out);
                e.exitWith(TC_ACT_OK);
            }
        }
    }
}
