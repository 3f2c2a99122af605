package io.jbpf.core.dsl;

import io.jbpf.core.dsl.header.Arp;
import io.jbpf.core.dsl.header.Ethernet;
import io.jbpf.core.dsl.header.Icmp;
import io.jbpf.core.dsl.header.Icmpv6;
import io.jbpf.core.dsl.header.InnerVlan;
import io.jbpf.core.dsl.header.Ipv4;
import io.jbpf.core.dsl.header.Ipv6;
import io.jbpf.core.dsl.header.Sctp;
import io.jbpf.core.dsl.header.Tcp;
import io.jbpf.core.dsl.header.Udp;
import io.jbpf.core.dsl.header.Vlan;
import java.util.Arrays;

/**
 * The words of the packet DSL, for {@code import static io.jbpf.core.dsl.Dsl.*}: headers and
 * their fields, address sets, {@code and}/{@code or}/{@code not}, and actions.
 *
 * <pre>{@code
 * PacketProgram p = PacketProgram.forTarget(Target.TC_INGRESS)
 *         .when(ipv4().src().in(cidrs("10.0.0.0/8", "192.168.0.0/16"))
 *                 .and(tcp().dstPort().between(80, 90))
 *                 .and(not(tcp().flags().allSet(Tcp.SYN))))
 *         .then(countPerCpu("hits"), drop())
 *         .otherwise(pass())
 *         .build();
 * }</pre>
 */
public final class Dsl {
    private Dsl() {}

    // ---- headers ----

    /** The Ethernet header. */
    public static Ethernet eth() {
        return Ethernet.INSTANCE;
    }

    /** The outer VLAN tag. */
    public static Vlan vlan() {
        return Vlan.INSTANCE;
    }

    /** The inner VLAN tag of a QinQ frame. */
    public static InnerVlan innerVlan() {
        return InnerVlan.INSTANCE;
    }

    /** ARP (Ethernet/IPv4). */
    public static Arp arp() {
        return Arp.INSTANCE;
    }

    /** The IPv4 header. */
    public static Ipv4 ipv4() {
        return Ipv4.INSTANCE;
    }

    /** The IPv6 header (and its fragment header). */
    public static Ipv6 ipv6() {
        return Ipv6.INSTANCE;
    }

    /** The TCP header. */
    public static Tcp tcp() {
        return Tcp.INSTANCE;
    }

    /** The UDP header. */
    public static Udp udp() {
        return Udp.INSTANCE;
    }

    /** The ICMP header. */
    public static Icmp icmp() {
        return Icmp.INSTANCE;
    }

    /** The ICMPv6 header. */
    public static Icmpv6 icmpv6() {
        return Icmpv6.INSTANCE;
    }

    /** The SCTP common header. */
    public static Sctp sctp() {
        return Sctp.INSTANCE;
    }

    /** The packet's length (see {@link Field#packetLength()}). */
    public static Field packetLength() {
        return Field.packetLength();
    }

    // ---- expressions ----

    /** A set of prefixes, e.g. {@code cidrs("10.0.0.0/8", "2001:db8::/32")} (one family per set). */
    public static Cidrs cidrs(String... prefixes) {
        return Cidrs.of(prefixes);
    }

    /** All of {@code terms}. */
    public static Match and(Match... terms) {
        return Match.And.of(Arrays.asList(terms));
    }

    /** Any of {@code terms}. */
    public static Match or(Match... terms) {
        return Match.Or.of(Arrays.asList(terms));
    }

    /** The negation of {@code term}. */
    public static Match not(Match term) {
        return Match.Not.of(term);
    }

    /** Every packet. */
    public static Match always() {
        return Match.always();
    }

    /** A predicate that emits its own instructions (see {@link CodePredicate}). */
    public static Match code(CodePredicate predicate) {
        return Match.code(predicate);
    }

    // ---- actions ----

    /** Let the packet go on. */
    public static Action pass() {
        return Action.Pass.INSTANCE;
    }

    /** Drop the packet. */
    public static Action drop() {
        return Action.Drop.INSTANCE;
    }

    /** Redirect to the egress of interface {@code ifindex}. */
    public static Action redirect(int ifindex) {
        return new Action.Redirect(ifindex, 0);
    }

    /** Redirect with {@code bpf_redirect} flags ({@code BPF_F_INGRESS} = 1, TC only). */
    public static Action redirect(int ifindex, long flags) {
        return new Action.Redirect(ifindex, flags);
    }

    /** Return {@code value}, in the target's numbers. */
    public static Action verdict(int value) {
        return new Action.Verdict(value);
    }

    /** Count packets and bytes in slot 0 of the per-CPU array {@code map}. */
    public static Action countPerCpu(String map) {
        return new Action.Count(map, 0);
    }

    /** Count packets and bytes in slot {@code index} of the per-CPU array {@code map}. */
    public static Action countPerCpu(String map, int index) {
        return new Action.Count(map, index);
    }

    /** Count packets and bytes per value of {@code field} in the per-CPU hash {@code map} of {@code maxEntries} keys. */
    public static Action countPerCpuBy(String map, Field field, int maxEntries) {
        return new Action.CountBy(map, field, null, maxEntries);
    }

    /** Count packets and bytes per address in the per-CPU hash {@code map} of {@code maxEntries} keys. */
    public static Action countPerCpuBy(String map, AddressField address, int maxEntries) {
        return new Action.CountBy(map, null, address, maxEntries);
    }

    /** Send the first {@code bytes} bytes to the ring buffer {@code map} (256 KiB). */
    public static Action sample(String map, int bytes) {
        return new Action.Sample(map, bytes, 256 * 1024);
    }

    /** Send the first {@code bytes} bytes to the ring buffer {@code map} of {@code ringSize} bytes. */
    public static Action sample(String map, int bytes, int ringSize) {
        return new Action.Sample(map, bytes, ringSize);
    }

    /** Tail call slot {@code index} of the program array {@code map} (of {@code index + 1} slots at least). */
    public static Action tailCall(String map, int index) {
        return new Action.TailCall(map, index, index + 1);
    }

    /** Tail call slot {@code index} of the program array {@code map} of {@code size} slots. */
    public static Action tailCall(String map, int index, int size) {
        return new Action.TailCall(map, index, size);
    }

    /** An action that emits its own instructions (see {@link CodeAction}). */
    public static Action code(CodeAction action) {
        return new Action.Code(action);
    }
}
