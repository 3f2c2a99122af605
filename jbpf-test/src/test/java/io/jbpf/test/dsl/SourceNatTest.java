package io.jbpf.test.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.dsl.nat.Endpoint;
import io.jbpf.core.dsl.nat.NatConfig;
import io.jbpf.core.dsl.nat.NatMaps;
import io.jbpf.core.dsl.nat.SourceNat;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.vm.Engine;
import io.jbpf.test.packet.Packet;
import io.jbpf.test.packet.TcpFlag;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import io.jbpf.core.dsl.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The source NAT's TC programs: the kernel verifier accepts them; kernel and VM agree on verdicts,
 * packets and map contents; translated packets carry the external address and a port of the range
 * with correct checksums (checked from scratch); replies get the original destination back; ports
 * run out as they should.
 */
@KernelTest
class SourceNatTest {
    private static final String PRIV_MAC = "02:00:00:00:01:01";
    private static final String GW_MAC = "02:00:00:00:01:02";
    private static final String EXTERNAL = "10.96.0.1";
    private static final String REMOTE = "10.95.0.9";

    private static TwoWorlds.Outcome same(TwoWorlds w, String prog, byte[] packet) {
        TwoWorlds.Outcome k = w.kernel(prog, packet);
        for (Engine e : Engine.values()) {
            assertThat(w.vm(e, prog, packet)).as("%s on %s", prog, e).isEqualTo(k);
        }
        return k;
    }

    private static Endpoint source(byte[] f) {
        ByteBuffer b = ByteBuffer.wrap(f);
        return new Endpoint(b.getInt(26), b.getShort((f[23] == 1) ? 38 : 34) & 0xffff);
    }

    private static Endpoint destination(byte[] f) {
        ByteBuffer b = ByteBuffer.wrap(f);
        return new Endpoint(b.getInt(30), b.getShort((f[23] == 1) ? 38 : 36) & 0xffff);
    }

    private static TwoWorlds world(NatConfig config, boolean xdp) {
        TwoWorlds w = new TwoWorlds(new NatMaps(256).specs());
        try {
            for (var maps : w.allMapSets()) {
                NatMaps.configure(maps, config);
            }
            // the names the tests run them by: XDP programs under the TC programs' names
            w.load(rename(xdp ? SourceNat.outbound(Target.XDP) : SourceNat.egress(), "snat_egress"));
            w.load(rename(xdp ? SourceNat.inbound(Target.XDP) : SourceNat.ingress(), "snat_ingress"));
            return w;
        } catch (RuntimeException | Error e) {
            w.close();
            throw e;
        }
    }

    private static io.jbpf.core.prog.ProgramSpec rename(io.jbpf.core.prog.ProgramSpec spec, String name) {
        return io.jbpf.core.prog.ProgramSpec.builder(name, spec.type()).instructions(spec.instructions()).license("GPL").build();
    }

    private static void mapsAgree(TwoWorlds w) {
        for (MapSpec s : new NatMaps(256).specs()) {
            var kernel = TwoWorlds.entries(w.kernelMaps.get(s.name()));
            for (Engine e : Engine.values()) {
                assertThat(TwoWorlds.entries(w.vmMaps.get(e).get(s.name()))).as("map %s on %s", s.name(), e).isEqualTo(kernel);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"TC_EGRESS", "XDP"})
    void translatesTcpUdpAndIcmpBothWays(Target target) {
        HexFormat hex = HexFormat.of();
        try (TwoWorlds w = world(NatConfig.of(EXTERNAL, "192.168.7.0/24", 20000, 20999), target == Target.XDP)) {
            Set<Integer> ports = new HashSet<>();
            for (int i = 0; i < 30; i++) {
                String host = "192.168.7." + (10 + i % 5);
                int sport = 30000 + i;
                byte[] out;
                byte[] reply;
                Endpoint original;
                int kind = i % 3;
                if (kind == 0) {
                    out = Packet.ether(PRIV_MAC, GW_MAC).ipv4(host, REMOTE).tcp(sport, 443).flags(TcpFlag.SYN).seq(9)
                            .payload("x".getBytes()).bytes();
                    original = Endpoint.of(host, sport);
                } else if (kind == 1) {
                    out = Packet.ether(PRIV_MAC, GW_MAC).ipv4(host, REMOTE).udp(sport, 53).payload(new byte[] {7, 7}).bytes();
                    original = Endpoint.of(host, sport);
                } else {
                    out = Packet.ether(PRIV_MAC, GW_MAC).ipv4(host, REMOTE).icmpEchoRequest(sport, i).payload(new byte[] {1, 2, 3, 4})
                            .bytes();
                    original = Endpoint.of(host, sport);
                }
                byte[] translated = hex.parseHex(same(w, "snat_egress", out).packet());
                Endpoint src = source(translated);
                assertThat(src.address()).isEqualTo(Endpoint.of(EXTERNAL, 0).address());
                assertThat(src.port()).isBetween(20000, 20999);
                assertThat(Checksums.problem(translated)).as("checksums of translated packet %d", i).isNull();
                if (kind != 2) { // (an ICMP echo's one identifier is both "ports")
                    assertThat(destination(translated)).isEqualTo(destination(out));
                }
                assertThat(destination(translated).address()).isEqualTo(destination(out).address());
                ports.add(src.port() << 2 | kind);
                // the flow's next packet keeps its port
                assertThat(source(hex.parseHex(same(w, "snat_egress", out).packet()))).isEqualTo(src);
                if (kind == 0) {
                    reply = Packet.ether(GW_MAC, PRIV_MAC).ipv4(REMOTE, EXTERNAL).tcp(443, src.port())
                            .flags(TcpFlag.SYN, TcpFlag.ACK).seq(1).ack(10).bytes();
                } else if (kind == 1) {
                    reply = Packet.ether(GW_MAC, PRIV_MAC).ipv4(REMOTE, EXTERNAL).udp(53, src.port()).payload(new byte[] {8}).bytes();
                } else {
                    reply = Packet.ether(GW_MAC, PRIV_MAC).ipv4(REMOTE, EXTERNAL).icmpEchoReply(src.port(), i)
                            .payload(new byte[] {1, 2, 3, 4}).bytes();
                }
                byte[] back = hex.parseHex(same(w, "snat_ingress", reply).packet());
                assertThat(destination(back)).as("reply of packet %d", i).isEqualTo(original);
                assertThat(source(back).address()).isEqualTo(Endpoint.of(REMOTE, 0).address());
                assertThat(Checksums.problem(back)).as("checksums of reply %d", i).isNull();
            }
            assertThat(ports).hasSize(30);
            // untouched: a source outside the private network, a reply to a port never allocated
            byte[] foreign = Packet.ether(PRIV_MAC, GW_MAC).ipv4("192.168.8.1", REMOTE).tcp(1, 443).bytes();
            assertThat(same(w, "snat_egress", foreign).packet()).isEqualTo(hex.formatHex(foreign));
            byte[] stray = Packet.ether(GW_MAC, PRIV_MAC).ipv4(REMOTE, EXTERNAL).tcp(443, 20000).bytes();
            assertThat(same(w, "snat_ingress", stray).packet()).isEqualTo(hex.formatHex(stray));
            mapsAgree(w);
            assertThat(TwoWorlds.entries(w.kernelMaps.get(NatMaps.FORWARD))).hasSize(30);
            assertThat(TwoWorlds.entries(w.kernelMaps.get(NatMaps.REVERSE))).hasSize(30);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"TC_EGRESS", "XDP"})
    void portsRunOutAfterTheRange(Target target) {
        HexFormat hex = HexFormat.of();
        try (TwoWorlds w = world(NatConfig.of(EXTERNAL, "192.168.7.0/24", 40000, 40003), target == Target.XDP)) {
            Set<Integer> ports = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                byte[] syn = Packet.ether(PRIV_MAC, GW_MAC).ipv4("192.168.7.2", REMOTE).tcp(1000 + i, 443).bytes();
                TwoWorlds.Outcome o = same(w, "snat_egress", syn);
                assertThat(o.verdict()).isEqualTo(target.passVerdict());
                ports.add(source(hex.parseHex(o.packet())).port());
            }
            assertThat(ports).containsExactlyInAnyOrder(40000, 40001, 40002, 40003);
            byte[] fifth = Packet.ether(PRIV_MAC, GW_MAC).ipv4("192.168.7.2", REMOTE).tcp(1004, 443).bytes();
            assertThat(same(w, "snat_egress", fifth).verdict()).as("drop when no port is free").isEqualTo(target.dropVerdict());
            // another remote endpoint has its own ports
            byte[] other = Packet.ether(PRIV_MAC, GW_MAC).ipv4("192.168.7.2", REMOTE).tcp(1004, 80).bytes();
            assertThat(same(w, "snat_egress", other).verdict()).isEqualTo(target.passVerdict());
            mapsAgree(w);
        }
    }

    @Test
    void configIsChecked() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NatConfig.of("10.0.0.1", "10.0.0.0/33", 1, 2))
                .hasMessageContaining("prefix length 33");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NatConfig.of("10.0.0.1", "10.0.0.0/8", 5, 4))
                .hasMessageContaining("port range 5..4");
        assertThat(NatConfig.of("10.0.0.1", "10.1.2.3/16", 1, 2).privateNet()).isEqualTo(0x0a010000);
    }
}
