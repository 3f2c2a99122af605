package io.jbpf.test.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.dsl.Target;
import io.jbpf.core.dsl.nat.DestinationNat;
import io.jbpf.core.dsl.nat.Endpoint;
import io.jbpf.core.dsl.nat.Protocol;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.vm.Engine;
import io.jbpf.test.packet.Packet;
import io.jbpf.test.packet.TcpFlag;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Static destination NAT of TCP, UDP and ICMP echo: verifier-accepted on TC and XDP, kernel and VM
 * agree on packets and maps, translated packets and replies carry correct checksums.
 */
@KernelTest
class DestinationNatTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String C_MAC = "02:00:00:00:02:01";
    private static final String G_MAC = "02:00:00:00:02:02";

    private static TwoWorlds.Outcome same(TwoWorlds w, String prog, byte[] packet) {
        TwoWorlds.Outcome k = w.kernel(prog, packet);
        for (Engine e : Engine.values()) {
            assertThat(w.vm(e, prog, packet)).as("%s on %s", prog, e).isEqualTo(k);
        }
        return k;
    }

    private static Endpoint dst(byte[] f) {
        ByteBuffer b = ByteBuffer.wrap(f);
        return new Endpoint(b.getInt(30), b.getShort(f[23] == 1 ? 38 : 36) & 0xffff);
    }

    private static Endpoint src(byte[] f) {
        ByteBuffer b = ByteBuffer.wrap(f);
        return new Endpoint(b.getInt(26), b.getShort(f[23] == 1 ? 38 : 34) & 0xffff);
    }

    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"TC_INGRESS", "XDP"})
    void forwardsTcpUdpAndIcmpAndRepliesComeBack(Target target) {
        List<MapSpec> specs = DestinationNat.specs(8, 64);
        try (TwoWorlds w = new TwoWorlds(specs)) {
            for (var maps : w.allMapSets()) {
                DestinationNat.forward(maps, Endpoint.of("10.90.0.1", 80), Protocol.TCP, Endpoint.of("192.168.5.10", 8080));
                DestinationNat.forward(maps, Endpoint.of("10.90.0.1", 53), Protocol.UDP, Endpoint.of("192.168.5.11", 0));
                DestinationNat.forward(maps, Endpoint.of("10.90.0.1", 0), Protocol.ICMP, Endpoint.of("192.168.5.12", 0));
            }
            ProgramSpec in = DestinationNat.inbound(target);
            ProgramSpec reply = DestinationNat.reply(target);
            w.load(in);
            w.load(reply);
            byte[][] requests = {
                Packet.ether(C_MAC, G_MAC).ipv4("10.80.0.7", "10.90.0.1").tcp(41000, 80).flags(TcpFlag.SYN).bytes(),
                Packet.ether(C_MAC, G_MAC).ipv4("10.80.0.7", "10.90.0.1").udp(41001, 53).payload(new byte[] {9}).bytes(),
                Packet.ether(C_MAC, G_MAC).ipv4("10.80.0.7", "10.90.0.1").icmpEchoRequest(777, 1).bytes(),
            };
            Endpoint[] expected = {Endpoint.of("192.168.5.10", 8080), Endpoint.of("192.168.5.11", 53),
                Endpoint.of("192.168.5.12", 777)};
            byte[][] replies = {
                Packet.ether(G_MAC, C_MAC).ipv4("192.168.5.10", "10.80.0.7").tcp(8080, 41000).flags(TcpFlag.SYN, TcpFlag.ACK)
                        .bytes(),
                Packet.ether(G_MAC, C_MAC).ipv4("192.168.5.11", "10.80.0.7").udp(53, 41001).payload(new byte[] {8}).bytes(),
                Packet.ether(G_MAC, C_MAC).ipv4("192.168.5.12", "10.80.0.7").icmpEchoReply(777, 1).bytes(),
            };
            Endpoint[] external = {Endpoint.of("10.90.0.1", 80), Endpoint.of("10.90.0.1", 53), Endpoint.of("10.90.0.1", 777)};
            for (int i = 0; i < 3; i++) {
                TwoWorlds.Outcome o = same(w, in.name(), requests[i]);
                assertThat(o.verdict()).isEqualTo(target.passVerdict());
                byte[] out = HEX.parseHex(o.packet());
                assertThat(dst(out)).isEqualTo(expected[i]);
                assertThat(Checksums.problem(out)).as("checksums of request %d", i).isNull();
                byte[] back = HEX.parseHex(same(w, reply.name(), replies[i]).packet());
                assertThat(src(back)).isEqualTo(external[i]);
                assertThat(Checksums.problem(back)).as("checksums of reply %d", i).isNull();
            }
            byte[] noRule = Packet.ether(C_MAC, G_MAC).ipv4("10.80.0.7", "10.90.0.1").tcp(41000, 81).bytes();
            assertThat(same(w, in.name(), noRule).packet()).isEqualTo(HEX.formatHex(noRule));
            for (MapSpec s : specs) {
                var k = TwoWorlds.entries(w.kernelMaps.get(s.name()));
                for (Engine e : Engine.values()) {
                    assertThat(TwoWorlds.entries(w.vmMaps.get(e).get(s.name()))).as(s.name()).isEqualTo(k);
                }
            }
            assertThat(TwoWorlds.entries(w.kernelMaps.get(DestinationNat.REVERSE))).hasSize(3);
        }
    }

    @Test
    void icmpRulesHavePortZero() {
        assertThatThrownBy(() -> DestinationNat.ruleKey(Endpoint.of("1.2.3.4", 5), Protocol.ICMP))
                .hasMessageContaining("give port 0");
    }
}
