package io.jbpf.netpolicy.datapath;

import static io.jbpf.core.dsl.Dsl.code;
import static io.jbpf.core.dsl.Dsl.ipv4;
import static io.jbpf.core.dsl.Dsl.pass;
import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R10;
import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R3;
import static io.jbpf.core.insn.Reg.R7;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.dsl.CodeAction;
import io.jbpf.core.dsl.Emitter;
import io.jbpf.core.dsl.Layer;
import io.jbpf.core.dsl.PacketProgram;
import io.jbpf.core.dsl.Target;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Size;
import io.jbpf.netpolicy.identity.ReservedIdentity;
import io.jbpf.netpolicy.policy.Direction;
import java.util.Set;

/**
 * The datapath's programs, built with the packet DSL, for the host side of each pod's veth:
 * <ul>
 * <li>{@link #fromContainer()} on TC ingress of {@code lxc…} (what the pod sends): the source must
 * be an endpoint of this node (else dropped: a pod may not spoof); the destination's identity comes
 * from the ipcache (the world when no prefix covers it); the source endpoint's egress policy
 * judges (identity, protocol, destination port).</li>
 * <li>{@link #toContainer()} on TC egress of {@code lxc…} (what the pod receives, from this node or
 * another): the source's identity comes from the ipcache, the destination endpoint's ingress
 * policy judges.</li>
 * </ul>
 * Allowed packets continue ({@code TC_ACT_OK}: the kernel routes them); denied ones are dropped.
 * Packets other than IPv4 pass (ARP must). A non-first fragment or a transport header cut short
 * has no port: only rules that allow every port of its protocol let it through. The maps, by name:
 * {@link #ENDPOINTS}, {@link #IPCACHE}, {@link #POLICY}.
 */
public final class DatapathPrograms {
    /** The endpoint map's name in the programs. */
    public static final String ENDPOINTS = "jbpf_lxc";
    /** The ipcache's name. */
    public static final String IPCACHE = "jbpf_ipcache";
    /** The policy map's name. */
    public static final String POLICY = "jbpf_policy";
    /** Map sizes. */
    public static final int MAX_ENDPOINTS = 1024, MAX_IPCACHE = 65536, MAX_POLICY = 65536;

    private static final int TC_ACT_OK = 0;
    private static final int TC_ACT_SHOT = 2;

    private DatapathPrograms() {}

    /** The program for TC ingress of a pod's host-side veth. */
    public static PacketProgram fromContainer() {
        return PacketProgram.forTarget(Target.TC_INGRESS).name("jbpf_from_lxc")
                .when(ipv4().present()).then(code(new PolicyAction(Direction.EGRESS)))
                .otherwise(pass()).build();
    }

    /** The program for TC egress of a pod's host-side veth. */
    public static PacketProgram toContainer() {
        return PacketProgram.forTarget(Target.TC_EGRESS).name("jbpf_to_lxc")
                .when(ipv4().present()).then(code(new PolicyAction(Direction.INGRESS)))
                .otherwise(pass()).build();
    }

    /** Looks up the local endpoint and the remote identity, then the policy. */
    private static final class PolicyAction implements CodeAction {
        private final Direction direction;

        PolicyAction(Direction direction) {
            this.direction = direction;
        }

        @Override
        public Set<Layer> layers() {
            return Set.of(Layer.IPV4, Layer.TCP, Layer.UDP, Layer.SCTP);
        }

        @Override
        public void emit(Emitter e) {
            e.declareMap(EndpointMap.spec(ENDPOINTS, MAX_ENDPOINTS));
            e.declareMap(IpCache.spec(IPCACHE, MAX_IPCACHE));
            e.declareMap(PolicyMap.spec(POLICY, MAX_POLICY));
            Assembler a = e.asm();
            int lxcKey = e.stack(8);       // the local endpoint's address
            int cacheKey = e.stack(8);     // {prefixlen 32, the remote address}
            int policyKey = e.stack(16);
            String drop = e.label("drop");
            String noIp = e.label("no_ip");
            String passUnknown = e.label("pass_unknown");
            // the local side is the source on egress (from the pod), the destination on ingress
            int local = direction == Direction.EGRESS ? 12 : 16;
            int remote = direction == Direction.EGRESS ? 16 : 12;
            e.headerPointer(Layer.IPV4, R2, noIp);
            a.load(Size.W, R3, R2, local).store(Size.W, R10, lxcKey, R3)
                    .load(Size.W, R3, R2, remote).store(Size.W, R10, cacheKey + 4, R3)
                    .store(Size.W, R10, cacheKey, 32)
                    .load(Size.B, R3, R2, 9).store(Size.B, R10, policyKey + PolicyMap.PROTOCOL, R3)
                    .store(Size.W, R10, policyKey, PolicyMap.FULL_PREFIX)
                    .store(Size.H, R10, policyKey + PolicyMap.PORT, 0)
                    .store(Size.H, R10, policyKey + PolicyMap.KEY_SIZE - 2, 0)
                    .store(Size.B, R10, policyKey + PolicyMap.DIRECTION, direction.ordinal());
            // the destination port, when the transport header is whole (TCP, UDP and SCTP keep it at 2)
            String gotPort = e.label("got_port");
            for (Layer l4 : new Layer[] {Layer.TCP, Layer.UDP, Layer.SCTP}) {
                String next = e.label("not_" + l4.name().toLowerCase());
                e.headerPointer(l4, R2, next);
                a.load(Size.H, R3, R2, 2).store(Size.H, R10, policyKey + PolicyMap.PORT, R3).ja(gotPort);
                a.label(next);
            }
            a.label(gotPort);
            // the local endpoint
            a.ldMap(R1, ENDPOINTS).mov(R2, R10).add(R2, lxcKey).call(Helper.MAP_LOOKUP_ELEM);
            if (direction == Direction.EGRESS) {
                a.jeq(R0, 0, drop); // a source that is no endpoint of this node: spoofed
            } else {
                a.jeq(R0, 0, passUnknown);
            }
            a.load(Size.W, R3, R0, EndpointMap.ENDPOINT).toBe(R3, 16)
                    .store(Size.H, R10, policyKey + PolicyMap.ENDPOINT, R3);
            // the remote identity
            String haveId = e.label("have_id");
            a.ldMap(R1, IPCACHE).mov(R2, R10).add(R2, cacheKey).call(Helper.MAP_LOOKUP_ELEM)
                    .mov(R3, ReservedIdentity.WORLD.id())
                    .jeq(R0, 0, haveId)
                    .load(Size.W, R3, R0, IpCache.IDENTITY)
                    .label(haveId)
                    .toBe(R3, 32)
                    .store(Size.W, R10, policyKey + PolicyMap.IDENTITY, R3);
            // R7 is the DSL's, but every path below ends the program
            PolicyLookup.emit(a, POLICY, policyKey, R7, e.label("policy"));
            a.jne(R7, PolicyMap.ALLOW, drop);
            e.exitWith(TC_ACT_OK);
            if (direction == Direction.INGRESS) {
                a.label(passUnknown);
            }
            a.label(noIp);
            e.exitWith(TC_ACT_OK);
            a.label(drop);
            e.exitWith(TC_ACT_SHOT);
        }
    }
}
