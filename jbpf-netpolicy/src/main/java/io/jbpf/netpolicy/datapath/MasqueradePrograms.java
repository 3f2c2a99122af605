package io.jbpf.netpolicy.datapath;

import static io.jbpf.core.dsl.Dsl.and;
import static io.jbpf.core.dsl.Dsl.code;
import static io.jbpf.core.dsl.Dsl.ipv4;
import static io.jbpf.core.dsl.Dsl.pass;
import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R10;
import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R3;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.dsl.CodePredicate;
import io.jbpf.core.dsl.Emitter;
import io.jbpf.core.dsl.Layer;
import io.jbpf.core.dsl.PacketProgram;
import io.jbpf.core.dsl.Target;
import io.jbpf.core.dsl.nat.NatMaps;
import io.jbpf.core.dsl.nat.SourceNat;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.JumpCond;
import io.jbpf.core.insn.Size;
import java.util.Set;

/**
 * BPF masquerade on a node's underlay device, as Cilium's {@code bpf.masquerade}: the DSL's source
 * NAT block, behind the ip-masq-agent's exemptions.
 * <ul>
 * <li>{@link #toNetdev()} on TC egress: an IPv4 packet whose destination the
 * {@link #NON_MASQUERADE} trie does not hold, and whose source is in the NAT's private network (the
 * node's pod CIDR, set in {@code nat_cfg}), leaves with the node's address and a port from the
 * configured range ({@link SourceNat#outboundAction}); the translation is kept per flow.</li>
 * <li>{@link #fromNetdev()} on TC ingress: a reply to a translated flow gets the pod's address and
 * port back before the kernel routes it to the pod.</li>
 * </ul>
 * Everything else passes untouched. The maps: {@link #NON_MASQUERADE} and {@link NatMaps}' three.
 */
public final class MasqueradePrograms {
    /** The non-masquerade CIDRs' map ({@link NonMasqueradeMap}). */
    public static final String NON_MASQUERADE = "jbpf_ipmasq";
    /** How many translated flows a node keeps. */
    public static final int MAX_NAT_FLOWS = 65536;

    private MasqueradePrograms() {}

    /** The NAT maps' sizes. */
    public static NatMaps natMaps() {
        return new NatMaps(MAX_NAT_FLOWS);
    }

    /** The program for TC egress of the underlay device. */
    public static PacketProgram toNetdev() {
        return PacketProgram.forTarget(Target.TC_EGRESS).name("jbpf_to_netd")
                .when(and(ipv4().present(), code(new NotExempt())))
                .then(code(SourceNat.outboundAction(natMaps())), pass())
                .otherwise(pass()).build();
    }

    /** The program for TC ingress of the underlay device. */
    public static PacketProgram fromNetdev() {
        return PacketProgram.forTarget(Target.TC_INGRESS).name("jbpf_from_netd")
                .when(ipv4().present()).then(code(SourceNat.inboundAction(natMaps())), pass())
                .otherwise(pass()).build();
    }

    /** Matches when the destination is in no non-masquerade CIDR. */
    private static final class NotExempt implements CodePredicate {
        @Override
        public Set<Layer> layers() {
            return Set.of(Layer.IPV4);
        }

        @Override
        public void emit(Emitter e, String onMatch, String onNoMatch) {
            e.declareMap(NonMasqueradeMap.spec(NON_MASQUERADE));
            Assembler a = e.asm();
            int key = e.stack(NonMasqueradeMap.KEY_SIZE);
            e.headerPointer(Layer.IPV4, R1, onNoMatch);
            a.load(Size.W, R3, R1, 16).store(Size.W, R10, key + 4, R3);
            a.mov(R3, 32).store(Size.W, R10, key, R3);
            a.ldMap(R1, NON_MASQUERADE).mov(R2, R10).add(R2, key).call(Helper.MAP_LOOKUP_ELEM);
            a.jump(JumpCond.EQ, R0, 0, onMatch);
            a.ja(onNoMatch);
        }
    }
}
