package io.jbpf.core.dsl;

import static io.jbpf.core.dsl.Dsl.*;

import io.jbpf.core.dsl.header.Tcp;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.insn.Size;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * DSL programs that together read every header, use every kind of match and every action; the
 * verifier test loads each for each target, the differential test (jbpf-test) runs packets
 * through them in the kernel and the VM.
 */
public final class DslCatalog {
    private DslCatalog() {}

    /** A program of the catalog for the targets it supports. */
    public record Entry(String name, Set<Target> targets, Function<Target, PacketProgram.Builder> builder) {
        public PacketProgram build(Target t) {
            return builder.apply(t).build();
        }

        /** The same program with every header parsed at its start (see {@link PacketProgram.Builder#parseHeadersUpFront()}). */
        public PacketProgram buildUpFront(Target t) {
            return builder.apply(t).parseHeadersUpFront().build();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final Set<Target> ALL = EnumSet.allOf(Target.class);
    static final Set<Target> NOT_SOCKET = EnumSet.of(Target.XDP, Target.TC_INGRESS, Target.TC_EGRESS);

    /** Every entry. */
    public static List<Entry> entries() {
        List<Entry> list = new ArrayList<>();
        add(list, "eth_type", t -> b(t).when(eth().type().eq(0x0806)).then(drop()));
        add(list, "eth_mac", t -> b(t).when(eth().dst().eq("ff:ff:ff:ff:ff:ff")
                .or(eth().src().in("02:00:00:00:00:00/8", "0a:0b:0c:0d:0e:0f"))).then(countPerCpu("macs"), drop()));
        add(list, "vlan", t -> b(t).when(vlan().id().eq(100).and(vlan().priority().ge(3))).then(drop())
                .when(vlan().present()).then(countPerCpu("tagged")));
        add(list, "qinq", t -> b(t).when(innerVlan().id().between(10, 20).and(vlan().type().eq(0x8100)))
                .then(countPerCpu("qinq", 1), drop()));
        add(list, "arp", t -> b(t).when(arp().operation().eq(1).and(arp().targetIp().in("10.0.0.0/24")))
                .then(drop()).when(arp().senderMac().eq("02:00:00:00:00:01")).then(verdict(t.dropVerdict())));
        add(list, "ipv4_fields", t -> b(t).when(ipv4().ttl().lt(5).or(ipv4().hasOptions()).or(ipv4().dscp().eq(46))
                .or(ipv4().version().ne(4))).then(drop()));
        add(list, "ipv4_frag", t -> b(t).when(ipv4().isFragment().and(not(ipv4().moreFragments().eq(1))))
                .then(countPerCpu("frags"), drop()).when(ipv4().fragmentOffset().gt(100)).then(drop()));
        add(list, "ipv4_cidr_tcp", t -> b(t).when(ipv4().src().in(cidrs("10.0.0.0/8", "192.168.0.0/16",
                "172.16.0.0/12")).and(tcp().dstPort().between(80, 90))).then(countPerCpu("hits"), drop()));
        add(list, "ipv4_lpm", t -> b(t).when(ipv4().dst().in(cidrs(manyV4(20)))).then(countPerCpu("lpm"), drop()));
        add(list, "ipv6_addr", t -> b(t).when(ipv6().dst().in("2001:db8::/32", "fe80::/10", "ff02::1")
                .and(ipv6().hopLimit().eq(255).or(ipv6().flowLabel().between(1, 0xff)))).then(drop()));
        add(list, "ipv6_lpm", t -> b(t).when(ipv6().src().in(cidrs("2001:db8:1::/48", "2001:db8:2::/64")
                .inMap("v6set"))).then(drop()));
        add(list, "ipv6_frag", t -> b(t).when(ipv6().isFragment().and(ipv6().fragmentOffset().eq(0))
                .and(ipv6().moreFragments().eq(1))).then(countPerCpu("frag6"), drop()));
        add(list, "tcp_flags", t -> b(t).when(tcp().flags().allSet(Tcp.SYN).and(tcp().flags().noneSet(Tcp.ACK)))
                .then(countPerCpu("syn")).when(tcp().flags().anySet(Tcp.RST | Tcp.FIN)).then(drop()));
        add(list, "udp_ports", t -> b(t).when(udp().dstPort().in(53, 123, 443).or(udp().srcPort().between(1000, 2000)))
                .then(drop()));
        add(list, "icmp", t -> b(t).when(icmp().type().eq(8).and(icmp().code().eq(0))).then(drop()));
        add(list, "icmpv6", t -> b(t).when(icmpv6().type().in(135, 136)).then(pass())
                .when(icmpv6().present()).then(drop()));
        add(list, "sctp", t -> b(t).when(sctp().dstPort().eq(36412).or(sctp().portRange(2905, 2910))).then(drop()));
        add(list, "length", t -> b(t).when(packetLength().gt(1000).or(packetLength().lt(64))).then(drop()));
        add(list, "rules_sample", t -> b(t).when(always()).then(countPerCpu("all"))
                .when(tcp().present()).then(sample("ring", 64, 4096 * 4))
                .when(udp().dstPort().ge(1024)).then(sample("ring", 100, 4096 * 4), drop()));
        add(list, "count_by", t -> b(t).when(tcp().present()).then(countPerCpuBy("by_port", tcp().dstPort(), 64))
                .when(ipv6().present()).then(countPerCpuBy("by_src6", ipv6().src(), 64))
                .when(always()).then(countPerCpuBy("by_mac", eth().src(), 64))
                .when(udp().present()).then(drop()));
        add(list, "deep_walk", t -> b(t).ipv6ExtensionHeaders(8).when(ipv6().isFragment())
                .then(countPerCpu("deep", 0)).when(tcp().dstPort().in(80, 85, 22)).then(drop())
                .when(udp().dstPort().eq(53).or(icmpv6().type().eq(135))).then(countPerCpu("deep", 1), drop()));
        add(list, "tail_call", t -> b(t).when(ipv4().present()).then(tailCall("jumps", 2))
                .when(ipv6().present()).then(pass()).otherwise(drop()));
        add(list, "mixed", t -> b(t).when(or(tcp().port(22), udp().port(53),
                and(icmp().present(), not(ipv4().src().eq("10.0.0.1"))), ipv6().nextHeader().eq(59)))
                .then(countPerCpu("mixed", 3), drop()));
        add(list, "code_predicate", t -> b(t).when(code(multicastDestination()).and(ipv4().present()))
                .then(drop()));
        add(list, "code_action", t -> b(t).when(ipv4().present()).then(code(dropTtlOne()), countPerCpu("alive")));
        list.add(new Entry("redirect", NOT_SOCKET, t -> b(t).when(ipv4().dst().eq("10.1.0.2"))
                .then(countPerCpu("redir", 1), redirect(1))));
        list.add(new Entry("verdict", NOT_SOCKET, t -> b(t).when(udp().present())
                .then(verdict(t == Target.XDP ? 3 : 3))));
        list.add(new Entry("socket_truncate", EnumSet.of(Target.SOCKET_FILTER), t -> b(t).when(tcp().present())
                .then(verdict(64))));
        // shapes for the lazy parser: terms written deepest header first, headers found inside an
        // or and needed again after it, a presence known true, counting by a header's field
        add(list, "lazy_order", t -> b(t).when(tcp().dstPort().between(80, 90).and(ipv4().src().in("10.0.0.0/8",
                "192.168.0.0/16"))).then(drop()).when(udp().srcPort().eq(53).and(ipv6().hopLimit().gt(10))
                .and(vlan().id().ne(7))).then(countPerCpu("order"), pass()));
        add(list, "lazy_or", t -> b(t).when(or(ipv4().ttl().eq(1), tcp().dstPort().eq(22), udp().present())
                .and(tcp().srcPort().lt(1024).or(ipv4().protocol().eq(17))).and(eth().type().ne(0x86dd)))
                .then(countPerCpu("or_rule"), drop()).when(not(ipv6().present()).and(icmpv6().present().not()))
                .then(countPerCpu("or_rule", 1)));
        add(list, "lazy_known", t -> b(t).when(tcp().dstPort().ge(1000).and(or(tcp().present(), udp().present()))
                .and(not(and(tcp().flags().allSet(Tcp.SYN), tcp().present())))).then(drop())
                .when(ipv6().isFragment().or(ipv6().fragmentId().eq(5)).and(udp().dstPort().ne(0)))
                .then(countPerCpuBy("frag_ports", udp().dstPort(), 64), drop()));
        add(list, "lazy_count_by", t -> b(t).when(ipv4().present().and(tcp().present().not()))
                .then(countPerCpuBy("by_src", ipv4().src(), 64), countPerCpuBy("by_proto", ipv4().protocol(), 64),
                        pass())
                .otherwise(countPerCpuBy("by_type", eth().type(), 64), drop()));
        return list;
    }

    private static void add(List<Entry> list, String name, Function<Target, PacketProgram.Builder> f) {
        list.add(new Entry(name, ALL, f));
    }

    private static PacketProgram.Builder b(Target t) {
        return PacketProgram.forTarget(t).name("jbpf_dsl_test");
    }

    static String[] manyV6(int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = "2001:db8:" + Integer.toHexString(i) + "::/48";
        }
        return out;
    }

    static String[] manyV4(int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = "10." + i + ".0.0/16";
        }
        out[n - 1] = "192.0.2.0/24";
        return out;
    }

    /**
     * A predicate in instructions: the destination MAC is a group address (bit 0 of byte 0), read
     * directly where the target allows it, else with {@code bpf_skb_load_bytes_relative}.
     */
    static CodePredicate multicastDestination() {
        return (e, match, noMatch) -> {
            var a = e.asm();
            if (e.target().directPacketAccess()) {
                e.loadPacketStart(Reg.R1);
                e.loadPacketEnd(Reg.R2);
                a.mov(Reg.R3, Reg.R1).add(Reg.R3, 1).jgt(Reg.R3, Reg.R2, noMatch);
                a.load(Size.B, Reg.R0, Reg.R1, 0);
            } else {
                int buf = e.stack(8);
                a.mov(Reg.R1, Reg.R6).mov(Reg.R2, 0).mov(Reg.R3, Reg.R10).add(Reg.R3, buf).mov(Reg.R4, 1)
                        .mov(Reg.R5, 0).call(Helper.SKB_LOAD_BYTES_RELATIVE).jne(Reg.R0, 0, noMatch);
                a.load(Size.B, Reg.R0, Reg.R10, buf);
            }
            a.jset(Reg.R0, 1, match).ja(noMatch);
        };
    }

    /** An action in instructions: drops packets whose IPv4 TTL is 1, else goes on. */
    static CodeAction dropTtlOne() {
        return new CodeAction() {
            @Override
            public void emit(Emitter e) {
                String on = e.label("ttl_on");
                e.loadField(ipv4().ttl(), Reg.R1, on);
                e.asm().jne(Reg.R1, 1, on);
                e.exitWith(e.target().dropVerdict());
                e.asm().label(on);
            }

            @Override
            public Set<Layer> layers() {
                return Set.of(Layer.IPV4);
            }
        };
    }
}
