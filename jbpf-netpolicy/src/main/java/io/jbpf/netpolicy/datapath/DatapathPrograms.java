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
import static io.jbpf.core.insn.Reg.R7;
import static io.jbpf.core.insn.Reg.R8;
import static io.jbpf.core.insn.Reg.R9;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.dsl.CodeAction;
import io.jbpf.core.dsl.Emitter;
import io.jbpf.core.dsl.Layer;
import io.jbpf.core.dsl.PacketProgram;
import io.jbpf.core.dsl.Target;
import io.jbpf.core.dsl.nat.Ipv4Code;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Size;
import io.jbpf.netpolicy.conntrack.ConntrackMap;
import io.jbpf.netpolicy.conntrack.ConntrackResult;
import io.jbpf.netpolicy.conntrack.ConntrackStep;
import io.jbpf.netpolicy.conntrack.ConntrackTuple;
import io.jbpf.netpolicy.identity.ReservedIdentity;
import io.jbpf.netpolicy.policy.Direction;
import io.jbpf.netpolicy.service.LoadBalancing;
import io.jbpf.netpolicy.service.ServiceMaps;
import java.util.Set;

/**
 * The datapath's programs, built with the packet DSL, for the host side of each pod's veth:
 * <ul>
 * <li>{@link #fromContainer()} on TC ingress of {@code lxc…} (what the pod sends): first the
 * service translation ({@link ServiceTranslation#forward}: a packet to a service frontend goes to a
 * backend, chosen once per connection, or is dropped with reason 158 when the frontend has none),
 * so that everything after it sees the backend. Then the source must
 * be an endpoint of this node (else dropped: a pod may not spoof); the destination's identity comes
 * from the ipcache (the world when no prefix covers it); the source endpoint's egress policy
 * judges (identity, protocol, destination port).</li>
 * <li>{@link #toContainer()} on TC egress of {@code lxc…} (what the pod receives, from this node or
 * another): the source's identity comes from the ipcache, the destination endpoint's ingress
 * policy judges. A reply of a connection the client's side translated gets the service's
 * address back as its source ({@link ServiceTranslation#reverse}) after conntrack let it pass.</li>
 * </ul>
 * What the pod sends and policy allows is forwarded as {@link HostRouting} says (by default by the
 * program itself: {@code bpf_redirect} to a local endpoint's veth, or after a FIB lookup to the
 * device the route leaves by), or continues to the kernel ({@code TC_ACT_OK}); what the pod
 * receives and policy allows continues to the pod; denied packets are dropped.
 * Packets other than IPv4 pass (ARP must). A non-first fragment or a transport header cut short
 * has no port: only rules that allow every port of its protocol let it through. Connection
 * tracking ({@link #CONNTRACK}) lets the packets of a connection policy allowed, its replies and
 * the ICMP errors about it pass without policy; packets it cannot track are judged and never
 * recorded. Every drop, and the first packet policy allows of every new connection (for TCP, a SYN
 * without ACK), is a {@link FlowEvents flow event} with Cilium's drop reason (events the full ring
 * has no room for are counted in {@link FlowEvents#LOST}); every packet is counted per endpoint,
 * reason and direction ({@link Counters}). The maps, by name: {@link #ENDPOINTS}, {@link #IPCACHE},
 * {@link #POLICY}, {@link #EVENTS}, {@link #COUNTERS}, {@link #CONNTRACK}, {@link FlowEvents#LOST} and
 * the service maps of {@link ServiceMaps}.
 */
public final class DatapathPrograms {
    /** The endpoint map's name in the programs. */
    public static final String ENDPOINTS = "jbpf_lxc";
    /** The ipcache's name. */
    public static final String IPCACHE = "jbpf_ipcache";
    /** The policy map's name. */
    public static final String POLICY = "jbpf_policy";
    /** The flow event ring buffer's name ({@link FlowEvents}). */
    public static final String EVENTS = "jbpf_events";
    /** The per-CPU traffic counters' name ({@link Counters}). */
    public static final String COUNTERS = "jbpf_counters";
    /** The connection tracking table's name ({@link ConntrackMap}). */
    public static final String CONNTRACK = "jbpf_ct";
    /** Map sizes. */
    public static final int MAX_ENDPOINTS = 1024, MAX_IPCACHE = 65536, MAX_POLICY = 65536, MAX_CONNTRACK = 65536;

    private static final int TC_ACT_OK = 0;
    private static final int TC_ACT_SHOT = 2;

    private DatapathPrograms() {}

    /** The program for TC ingress of a pod's host-side veth, with the default load balancing. */
    public static PacketProgram fromContainer() {
        return fromContainer(LoadBalancing.DEFAULTS);
    }

    /** The program for TC egress of a pod's host-side veth, with the default load balancing. */
    public static PacketProgram toContainer() {
        return toContainer(LoadBalancing.DEFAULTS);
    }

    /** The program for TC ingress of a pod's host-side veth, with {@link HostRouting#BPF}. */
    public static PacketProgram fromContainer(LoadBalancing lb) {
        return fromContainer(lb, HostRouting.BPF);
    }

    /** The program for TC ingress of a pod's host-side veth, forwarding what it lets through as {@code routing} says. */
    public static PacketProgram fromContainer(LoadBalancing lb, HostRouting routing) {
        return PacketProgram.forTarget(Target.TC_INGRESS).name("jbpf_from_lxc")
                .when(ipv4().present()).then(code(new PolicyAction(Direction.EGRESS, lb, routing)))
                .otherwise(pass()).build();
    }

    /** The program for TC egress of a pod's host-side veth. */
    public static PacketProgram toContainer(LoadBalancing lb) {
        return PacketProgram.forTarget(Target.TC_EGRESS).name("jbpf_to_lxc")
                .when(ipv4().present()).then(code(new PolicyAction(Direction.INGRESS, lb, HostRouting.LEGACY)))
                .otherwise(pass()).build();
    }

    /** Looks up the local endpoint and the remote identity, then the policy. */
    private static final class PolicyAction implements CodeAction {
        private final Direction direction;
        private final LoadBalancing lb;
        private final HostRouting routing;

        PolicyAction(Direction direction, LoadBalancing lb, HostRouting routing) {
            this.direction = direction;
            this.lb = lb;
            this.routing = routing;
        }

        @Override
        public Set<Layer> layers() {
            return Set.of(Layer.IPV4, Layer.TCP, Layer.UDP, Layer.SCTP, Layer.ICMP);
        }

        @Override
        public void emit(Emitter e) {
            e.declareMap(EndpointMap.spec(ENDPOINTS, MAX_ENDPOINTS));
            e.declareMap(IpCache.spec(IPCACHE, MAX_IPCACHE));
            e.declareMap(PolicyMap.spec(POLICY, MAX_POLICY));
            e.declareMap(FlowEvents.spec(EVENTS));
            e.declareMap(FlowEvents.lostSpec());
            e.declareMap(Counters.spec(COUNTERS, Counters.MAX_ENTRIES));
            e.declareMap(ConntrackMap.spec(CONNTRACK, MAX_CONNTRACK));
            ServiceMaps.specs(lb).forEach(e::declareMap);
            Assembler a = e.asm();
            boolean egress = direction == Direction.EGRESS;
            // services first: what the pod sends to a frontend goes to a backend, and is judged as such
            int noBackend = egress ? e.stack(8) : 0;
            if (egress) {
                a.store(Size.DW, R10, noBackend, 0);
                Ipv4Code lbCode = new Ipv4Code(a, e.target(), e.stack(Ipv4Code.STACK) + Ipv4Code.STACK, e.label("svc") + "_", false);
                ServiceTranslation.forward(lbCode, lb);
                a.ja(lbCode.l("pass"))
                        .label(lbCode.l("drop")).store(Size.B, R10, noBackend, 1)
                        .label(lbCode.l("pass"));
                e.reparse();
            }
            int area = e.stack(ConntrackStep.AREA);
            int local = e.stack(8);          // the local endpoint's identity; byte 4: 1 when conntrack cannot track the packet
            int ev = e.stack(FlowEvents.SIZE);
            int lxcKey = e.stack(8);       // the local endpoint's address
            int cacheKey = e.stack(8);     // {prefixlen 32, the remote address}
            int policyKey = e.stack(16);
            int countKey = e.stack(Counters.KEY_SIZE);
            int countValue = e.stack(Counters.VALUE_SIZE);
            int lostKey = e.stack(8);
            String drop = e.label("drop");
            String forward = egress && routing == HostRouting.BPF ? e.label("forward") : null;
            String noIp = e.label("no_ip");
            String passUnknown = e.label("pass_unknown");
            String spoofed = e.label("spoofed");
            for (int off = 0; off < FlowEvents.SIZE; off += 8) {
                a.store(Size.DW, R10, ev + off, 0);
            }
            // the local side is the source on egress (from the pod), the destination on ingress
            int localAddr = direction == Direction.EGRESS ? 12 : 16;
            int remoteAddr = direction == Direction.EGRESS ? 16 : 12;
            e.headerPointer(Layer.IPV4, R2, noIp);
            a.load(Size.W, R3, R2, 12).store(Size.W, R10, ev + FlowEvents.SADDR, R3)
                    .load(Size.W, R3, R2, 16).store(Size.W, R10, ev + FlowEvents.DADDR, R3)
                    .load(Size.W, R3, R2, localAddr).store(Size.W, R10, lxcKey, R3)
                    .load(Size.W, R3, R2, remoteAddr).store(Size.W, R10, cacheKey + 4, R3)
                    .store(Size.W, R10, cacheKey, 32)
                    .load(Size.B, R3, R2, 9).store(Size.B, R10, policyKey + PolicyMap.PROTOCOL, R3)
                    .store(Size.B, R10, ev + FlowEvents.PROTOCOL, R3)
                    .store(Size.W, R10, policyKey, PolicyMap.FULL_PREFIX)
                    .store(Size.H, R10, policyKey + PolicyMap.PORT, 0)
                    .store(Size.H, R10, policyKey + PolicyMap.KEY_SIZE - 2, 0)
                    .store(Size.B, R10, policyKey + PolicyMap.DIRECTION, direction.ordinal())
                    .store(Size.B, R10, ev + FlowEvents.DIRECTION, direction.ordinal())
                    .load(Size.W, R3, R6, 0).store(Size.W, R10, ev + FlowEvents.LENGTH, R3); // skb->len
            // the ports, when the transport header is whole (TCP, UDP and SCTP keep them at 0 and 2)
            String gotPort = e.label("got_port");
            for (Layer l4 : new Layer[] {Layer.TCP, Layer.UDP, Layer.SCTP}) {
                String next = e.label("not_" + l4.name().toLowerCase());
                e.headerPointer(l4, R2, next);
                a.load(Size.H, R3, R2, 0).store(Size.H, R10, ev + FlowEvents.SPORT, R3)
                        .load(Size.H, R3, R2, 2).store(Size.H, R10, policyKey + PolicyMap.PORT, R3)
                        .store(Size.H, R10, ev + FlowEvents.DPORT, R3);
                if (l4 == Layer.TCP) {
                    a.load(Size.B, R3, R2, 13).store(Size.B, R10, ev + FlowEvents.TCP_FLAGS, R3);
                }
                a.ja(gotPort);
                a.label(next);
            }
            // ICMP: its type and code, for the event (policy has no port for it)
            e.headerPointer(Layer.ICMP, R2, gotPort);
            a.load(Size.B, R3, R2, 0).store(Size.B, R10, ev + FlowEvents.ICMP_TYPE, R3)
                    .load(Size.B, R3, R2, 1).store(Size.B, R10, ev + FlowEvents.ICMP_CODE, R3);
            a.label(gotPort);
            // the local endpoint
            a.ldMap(R1, ENDPOINTS).mov(R2, R10).add(R2, lxcKey).call(Helper.MAP_LOOKUP_ELEM);
            a.jeq(R0, 0, direction == Direction.EGRESS ? spoofed : passUnknown);
            a.load(Size.W, R3, R0, EndpointMap.ENDPOINT).store(Size.H, R10, ev + FlowEvents.ENDPOINT, R3)
                    .toBe(R3, 16).store(Size.H, R10, policyKey + PolicyMap.ENDPOINT, R3)
                    .load(Size.W, R3, R0, EndpointMap.IDENTITY).store(Size.W, R10, local, R3)
                    .store(Size.W, R10, local + 4, 0);
            String noService = e.label("no_service");
            if (egress) {
                a.load(Size.B, R3, R10, noBackend).jne(R3, 0, noService);
            }
            // conntrack: what belongs to a known connection (its packets, its replies, ICMP errors about it)
            // passes without policy; a packet conntrack cannot track is judged and never recorded.
            // R7-R9 are the DSL's, but no header is read through the DSL after this and every path ends the program.
            String judge = e.label("judge");
            String untracked = e.label("untracked");
            e.headerPointer(Layer.IPV4, R8, noIp);
            e.loadPacketEnd(R9);
            ConntrackTuple.emit(a, R8, R9, direction, area, untracked, e.label("tuple"));
            ConntrackStep.lookup(a, CONNTRACK, area, R7, e.label("ct"));
            a.jeq(R7, ConntrackResult.NEW.code(), judge);
            count(e, ev, countKey, countValue, 0);
            if (!egress) {
                // a reply of a connection to a service gets the frontend back as its source
                Ipv4Code rev = new Ipv4Code(a, e.target(), e.stack(Ipv4Code.STACK) + Ipv4Code.STACK, e.label("rsvc") + "_", false);
                a.jne(R7, ConntrackResult.REPLY.code(), rev.l("pass"));
                ServiceTranslation.reverse(rev);
                a.label(rev.l("pass"));
            }
            allowed(e, forward);
            a.label(untracked).store(Size.W, R10, local + 4, 1);
            a.label(judge).load(Size.W, R8, R10, local);
            // the remote identity
            String haveId = e.label("have_id");
            a.ldMap(R1, IPCACHE).mov(R2, R10).add(R2, cacheKey).call(Helper.MAP_LOOKUP_ELEM)
                    .mov(R9, ReservedIdentity.WORLD.id())
                    .jeq(R0, 0, haveId)
                    .load(Size.W, R9, R0, IpCache.IDENTITY)
                    .label(haveId)
                    .mov(R3, R9).toBe(R3, 32)
                    .store(Size.W, R10, policyKey + PolicyMap.IDENTITY, R3);
            a.store(Size.W, R10, ev + FlowEvents.SRC_IDENTITY, egress ? R8 : R9)
                    .store(Size.W, R10, ev + FlowEvents.DST_IDENTITY, egress ? R9 : R8);
            PolicyLookup.emit(a, POLICY, policyKey, R7, e.label("policy"));
            a.jne(R7, PolicyMap.ALLOW, drop);
            // allowed: the connection is recorded (with its source identity), counted, and its first packet is an event
            String recorded = e.label("recorded");
            a.load(Size.W, R3, R10, local + 4).jne(R3, 0, recorded)
                    .store(Size.W, R10, area + ConntrackStep.IDENTITY, egress ? R8 : R9);
            ConntrackStep.create(a, CONNTRACK, area, e.label("ctnew"));
            a.label(recorded);
            count(e, ev, countKey, countValue, 0);
            // the event of a new connection's first packet: TCP only for a SYN without ACK
            String quiet = e.label("quiet");
            String verdict = e.label("verdict");
            a.load(Size.B, R3, R10, ev + FlowEvents.PROTOCOL).jne(R3, 6, verdict)
                    .load(Size.B, R3, R10, ev + FlowEvents.TCP_FLAGS).and(R3, 0x12).jne(R3, 0x02, quiet)
                    .label(verdict)
                    .store(Size.B, R10, ev + FlowEvents.TYPE, FlowEvents.TYPE_VERDICT);
            output(e, ev, lostKey);
            a.label(quiet);
            allowed(e, forward);
            // dropped by policy: 181 when an entry denies, 133 when none allows
            String reasonSet = e.label("reason_set");
            a.label(drop)
                    .store(Size.B, R10, ev + FlowEvents.REASON, FlowEvents.DROP_POLICY)
                    .jne(R7, PolicyMap.DENY, reasonSet)
                    .store(Size.B, R10, ev + FlowEvents.REASON, FlowEvents.DROP_POLICY_DENY)
                    .label(reasonSet);
            dropWithEvent(e, ev, countKey, countValue, lostKey);
            if (egress) {
                a.label(spoofed).store(Size.B, R10, ev + FlowEvents.REASON, FlowEvents.DROP_INVALID_SOURCE);
                dropWithEvent(e, ev, countKey, countValue, lostKey);
                a.label(noService).store(Size.B, R10, ev + FlowEvents.REASON, FlowEvents.DROP_NO_SERVICE);
                dropWithEvent(e, ev, countKey, countValue, lostKey);
            }
            a.label(passUnknown);
            a.label(noIp);
            e.exitWith(TC_ACT_OK);
            if (forward != null) {
                Forwarding.emit(e, forward, true);
            }
        }

        /** Ends an allowed packet's path: to the kernel, or to the forwarding block at {@code forward} when there is one. */
        private static void allowed(Emitter e, String forward) {
            if (forward == null) {
                e.exitWith(TC_ACT_OK);
            } else {
                e.asm().ja(forward);
            }
        }

        private static void dropWithEvent(Emitter e, int ev, int countKey, int countValue, int lostKey) {
            e.asm().store(Size.B, R10, ev + FlowEvents.TYPE, FlowEvents.TYPE_DROP);
            count(e, ev, countKey, countValue, -1);
            output(e, ev, lostKey);
            e.exitWith(TC_ACT_SHOT);
        }

        /**
         * The event, timestamped, to the ring buffer; when it is full, counted in {@link FlowEvents#LOST}
         * instead. The reader is woken only once {@value FlowEvents#WAKEUP_WATERMARK} bytes wait (it
         * polls anyway): a wakeup per event costs more than the event under a high connection rate.
         */
        private static void output(Emitter e, int ev, int lostKey) {
            String done = e.label("out_done");
            String quietWrite = e.label("out_quiet");
            e.asm().call(Helper.KTIME_GET_NS).store(Size.DW, R10, ev + FlowEvents.TIME, R0)
                    .ldMap(R1, EVENTS).mov(R2, 0).call(Helper.RINGBUF_QUERY)   // BPF_RB_AVAIL_DATA
                    .mov(R4, 1)                                                 // BPF_RB_NO_WAKEUP
                    .jlt(R0, FlowEvents.WAKEUP_WATERMARK, quietWrite)
                    .mov(R4, 2)                                                 // BPF_RB_FORCE_WAKEUP
                    .label(quietWrite)
                    .ldMap(R1, EVENTS).mov(R2, R10).add(R2, ev).mov(R3, FlowEvents.SIZE)
                    .call(Helper.RINGBUF_OUTPUT)
                    .jeq(R0, 0, done)
                    .store(Size.W, R10, lostKey, 0)
                    .ldMap(R1, FlowEvents.LOST).mov(R2, R10).add(R2, lostKey).call(Helper.MAP_LOOKUP_ELEM)
                    .jeq(R0, 0, done)
                    .load(Size.DW, R3, R0, 0).add(R3, 1).store(Size.DW, R0, 0, R3)
                    .label(done);
        }

        /** Adds the packet to the per-CPU counter of (endpoint, reason, direction); reason -1: the one in the event. */
        private static void count(Emitter e, int ev, int key, int value, int reason) {
            Assembler a = e.asm();
            String init = e.label("count_init");
            String done = e.label("count_done");
            a.load(Size.H, R3, R10, ev + FlowEvents.ENDPOINT).store(Size.W, R10, key, R3);
            if (reason >= 0) {
                a.store(Size.B, R10, key + 4, reason);
            } else {
                a.load(Size.B, R3, R10, ev + FlowEvents.REASON).store(Size.B, R10, key + 4, R3);
            }
            a.load(Size.B, R3, R10, ev + FlowEvents.DIRECTION).store(Size.B, R10, key + 5, R3)
                    .store(Size.H, R10, key + 6, 0)
                    .ldMap(R1, COUNTERS).mov(R2, R10).add(R2, key).call(Helper.MAP_LOOKUP_ELEM)
                    .jeq(R0, 0, init)
                    .load(Size.DW, R3, R0, 0).add(R3, 1).store(Size.DW, R0, 0, R3)
                    .load(Size.W, R4, R10, ev + FlowEvents.LENGTH)
                    .load(Size.DW, R3, R0, 8).add(R3, R4).store(Size.DW, R0, 8, R3)
                    .ja(done)
                    .label(init)
                    .store(Size.DW, R10, value, 1)
                    .load(Size.W, R3, R10, ev + FlowEvents.LENGTH).store(Size.DW, R10, value + 8, R3)
                    .ldMap(R1, COUNTERS).mov(R2, R10).add(R2, key).mov(R3, R10).add(R3, value).mov(R4, 1) // BPF_NOEXIST
                    .call(Helper.MAP_UPDATE_ELEM)
                    .label(done);
        }
    }
}
