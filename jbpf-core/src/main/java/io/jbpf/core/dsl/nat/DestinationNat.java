package io.jbpf.core.dsl.nat;

import static io.jbpf.core.dsl.nat.Ipv4Code.FLOW;
import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R10;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.dsl.CodeAction;
import io.jbpf.core.dsl.Target;
import io.jbpf.core.dsl.nat.Ipv4Code;
import io.jbpf.core.insn.Size;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.RawMap;
import io.jbpf.core.prog.ProgramSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Static destination NAT (port forwarding) of TCP, UDP and ICMP echo, as two programs for TC or
 * XDP, both on ingress:
 * <ul>
 * <li>{@link #inbound(Target)} ({@code dnat_in}): a packet to an external address and port with a
 *     rule in {@code dnat_rule} gets the rule's internal address and port as its destination (port
 *     0 in the rule keeps the packet's; ICMP echo rules have port 0 and keep the identifier), and the
 *     reply's 5-tuple goes to {@code dnat_rev};
 * <li>{@link #reply(Target)} ({@code dnat_reply}): a reply whose 5-tuple is in {@code dnat_rev} gets
 *     the external address and port back as its source.
 * </ul>
 * Checksums are updated incrementally (kernel helpers on TC, computed in the program on XDP).
 */
public final class DestinationNat {
    /** The rule map: {@link #ruleKey} → internal {@link Endpoint}. */
    public static final String RULES = "dnat_rule";
    /** The reply map: the reply's {@link FlowKey} → the external {@link Endpoint}. */
    public static final String REVERSE = "dnat_rev";

    private static final int RULE_KEY = -24;
    private static final int TO = -32;
    private static final int REV = -48;
    private static final int EXT = -56;

    private DestinationNat() {}

    /** The two maps: up to {@code maxRules} rules and {@code maxFlows} translated flows. */
    public static List<MapSpec> specs(int maxRules, int maxFlows) {
        return List.of(MapSpec.of(RULES, MapType.HASH, 8, Endpoint.SIZE, maxRules),
                MapSpec.of(REVERSE, MapType.LRU_HASH, FlowKey.SIZE, Endpoint.SIZE, maxFlows));
    }

    /**
     * The rule key, the C struct {@code struct { __be32 addr; __be16 port; __u8 proto, pad; }}:
     * the external address and port (0 for ICMP, whose rules match every echo identifier).
     */
    public static byte[] ruleKey(Endpoint external, Protocol protocol) {
        if (protocol == Protocol.ICMP && external.port() != 0) {
            throw new IllegalArgumentException("an ICMP rule matches every echo identifier: give port 0, not "
                    + external.port());
        }
        return ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putInt(external.address())
                .putShort((short) external.port()).put((byte) protocol.number()).put((byte) 0).array();
    }

    /** Adds (or replaces) the rule {@code external} → {@code internal} (internal port 0: keep the port). */
    public static void forward(Map<String, ? extends RawMap> maps, Endpoint external, Protocol protocol, Endpoint internal) {
        Objects.requireNonNull(internal, "internal");
        RawMap rules = maps.get(RULES);
        if (rules == null) {
            throw new IllegalArgumentException("no map '" + RULES + "'");
        }
        rules.update(ruleKey(external, protocol), internal.toBytes(), MapFlags.ANY);
    }

    /** The program translating packets to external addresses. */
    public static ProgramSpec inbound(Target target) {
        return Ipv4Code.program("dnat_in", target, false, DestinationNat::inboundBody);
    }

    /** The program giving replies their external source back. */
    public static ProgramSpec reply(Target target) {
        return Ipv4Code.program("dnat_reply", target, false, DestinationNat::replyBody);
    }

    /** {@link #inbound} as a packet DSL action; it always falls through. */
    public static CodeAction inboundAction(int maxRules, int maxFlows) {
        return Ipv4Code.action("dnat_in", specs(maxRules, maxFlows), false, DestinationNat::inboundBody);
    }

    /** {@link #reply} as a packet DSL action; it always falls through. */
    public static CodeAction replyAction(int maxRules, int maxFlows) {
        return Ipv4Code.action("dnat_rep", specs(maxRules, maxFlows), false, DestinationNat::replyBody);
    }

    private static void inboundBody(Ipv4Code c) {
        Assembler a = c.asm();
        c.parseFlow(true, "pass", "in");
        a.load(Size.W, R1, R10, c.at(FLOW + 4)).store(Size.W, R10, c.at(RULE_KEY), R1)
                .load(Size.H, R1, R10, c.at(FLOW + 10)).store(Size.H, R10, c.at(RULE_KEY + 4), R1)
                .load(Size.B, R1, R10, c.at(FLOW + 12)).store(Size.B, R10, c.at(RULE_KEY + 6), R1)
                .store(Size.B, R10, c.at(RULE_KEY + 7), 0)
                .jne(R1, 1, c.l("keyed"))
                .store(Size.H, R10, c.at(RULE_KEY + 4), 0)   // ICMP rules match every identifier
                .label(c.l("keyed"));
        c.lookup(RULES, RULE_KEY, "pass");
        c.copyToStack(R0, 0, TO, 8);
        a.load(Size.H, R1, R10, c.at(TO + 4)).jne(R1, 0, c.l("port_set"))
                .load(Size.H, R1, R10, c.at(FLOW + 10)).store(Size.H, R10, c.at(TO + 4), R1)
                .label(c.l("port_set"))
                // the reply: internal -> client, and the external side to put back
                .load(Size.W, R1, R10, c.at(TO)).store(Size.W, R10, c.at(REV), R1)
                .load(Size.W, R1, R10, c.at(FLOW)).store(Size.W, R10, c.at(REV + 4), R1)
                .load(Size.H, R1, R10, c.at(TO + 4)).store(Size.H, R10, c.at(REV + 8), R1)
                .load(Size.H, R1, R10, c.at(FLOW + 8)).store(Size.H, R10, c.at(REV + 10), R1)
                .store(Size.W, R10, c.at(REV + 12), 0)
                .load(Size.B, R1, R10, c.at(FLOW + 12)).store(Size.B, R10, c.at(REV + 12), R1)
                .load(Size.W, R1, R10, c.at(FLOW + 4)).store(Size.W, R10, c.at(EXT), R1)
                .load(Size.H, R1, R10, c.at(FLOW + 10)).store(Size.H, R10, c.at(EXT + 4), R1)
                .store(Size.H, R10, c.at(EXT + 6), 0);
        c.update(REVERSE, REV, EXT, 0);
        c.rewriteAddress(false, TO, "dnat");
        c.rewritePort(false, TO + 4, "dnat");
    }

    private static void replyBody(Ipv4Code c) {
        c.parseFlow(true, "pass", "rep");
        c.lookup(REVERSE, FLOW, "pass");
        c.copyToStack(R0, 0, EXT, 8);
        c.rewriteAddress(true, EXT, "snat");
        c.rewritePort(true, EXT + 4, "snat");
    }
}
