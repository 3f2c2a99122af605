package io.jbpf.test.dsl;

import static io.jbpf.core.dsl.Dsl.code;
import static io.jbpf.core.dsl.Dsl.countPerCpu;
import static io.jbpf.core.dsl.Dsl.ipv4;
import static io.jbpf.core.dsl.Dsl.pass;
import static io.jbpf.core.dsl.Dsl.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.dsl.KernelPacketProgram;
import io.jbpf.core.dsl.PacketProgram;
import io.jbpf.core.dsl.Target;
import io.jbpf.core.dsl.VmPacketProgram;
import io.jbpf.core.dsl.lb.Algorithm;
import io.jbpf.core.dsl.lb.LbMaps;
import io.jbpf.core.dsl.lb.LbPrograms;
import io.jbpf.core.dsl.lb.LoadBalancer;
import io.jbpf.core.dsl.lb.ServiceKey;
import io.jbpf.core.dsl.nat.Endpoint;
import io.jbpf.core.dsl.nat.NatConfig;
import io.jbpf.core.dsl.nat.NatMaps;
import io.jbpf.core.dsl.nat.Protocol;
import io.jbpf.core.dsl.nat.SourceNat;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.prog.TestRunResult;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.vm.RunResult;
import io.jbpf.core.vm.Vm;
import io.jbpf.test.packet.Packet;
import io.jbpf.test.packet.TcpFlag;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The NAT and load-balancer blocks as actions of packet DSL programs, followed by DSL actions that
 * read headers again: the verifier accepts the programs, kernel and VM agree, the packets are
 * translated with correct checksums, and the next action (a per-CPU count) runs after the block.
 */
@KernelTest
class BlocksInDslTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] run(KernelPacketProgram k, VmPacketProgram v, byte[] frame, int pass) {
        TestRunResult kr = k.testRun(frame);
        RunResult vr = v.run(frame);
        assertThat(vr.returnValue()).isEqualTo(kr.returnValue()).isEqualTo(pass);
        assertThat(HEX.formatHex(vr.data())).isEqualTo(HEX.formatHex(kr.data()));
        return kr.data();
    }

    /** The packet count of a per-CPU counter: per CPU, packets then bytes (u64 each), summed. */
    private static long packets(io.jbpf.core.map.RawMap map) {
        byte[] count = new byte[map.valueBufferSize()];
        map.lookup(new byte[4], count);
        int slot = (map.spec().valueSize() + 7) / 8 * 8;
        long total = 0;
        ByteBuffer b = ByteBuffer.wrap(count).order(java.nio.ByteOrder.nativeOrder());
        for (int at = 0; at + slot <= count.length; at += slot) {
            total += b.getLong(at);
        }
        return total;
    }

    private static void mapsAgree(KernelPacketProgram k, VmPacketProgram v, List<MapSpec> specs) {
        for (MapSpec s : specs) {
            if (s.type().name().startsWith("PERCPU")) {
                continue; // the kernel's test run may use any CPU: compared as totals below
            }
            assertThat(TwoWorlds.entries(v.map(s.name()))).as(s.name()).isEqualTo(TwoWorlds.entries(k.map(s.name())));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"TC_INGRESS", "XDP"})
    void loadBalancerAsAnAction(Target target) {
        LbMaps sizes = new LbMaps(2, 4, 251, 64);
        LbPrograms lb = new LbPrograms(sizes, target);
        // DNAT by the block, then count packets now going to backend port 8000 (headers read again)
        PacketProgram p = PacketProgram.forTarget(target).name("lb_dsl")
                .when(ipv4().present()).then(code(lb.ingressAction()))
                .when(tcp().dstPort().eq(8000)).then(countPerCpu("to_backend"), pass())
                .otherwise(pass()).build();
        ServiceKey web = new ServiceKey(Endpoint.of("10.99.0.100", 80), Protocol.TCP);
        try (KernelPacketProgram k = p.load()) {
            VmPacketProgram v = p.loadVm(Vm.create());
            new LoadBalancer(sizes, k.maps()).setService(web, Algorithm.MAGLEV, List.of(Endpoint.of("10.98.0.1", 8000)));
            new LoadBalancer(sizes, v.maps()).setService(web, Algorithm.MAGLEV, List.of(Endpoint.of("10.98.0.1", 8000)));
            for (int i = 0; i < 5; i++) {
                byte[] syn = Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4("10.97.0.1", "10.99.0.100")
                        .tcp(3000 + i, 80).flags(TcpFlag.SYN).bytes();
                byte[] out = run(k, v, syn, target.passVerdict());
                assertThat(ByteBuffer.wrap(out).getInt(30)).isEqualTo(Endpoint.of("10.98.0.1", 0).address());
                assertThat(Checksums.problem(out)).isNull();
            }
            byte[] other = Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4("10.97.0.1", "10.99.0.7")
                    .tcp(3000, 80).bytes();
            assertThat(run(k, v, other, target.passVerdict())).isEqualTo(other);
            mapsAgree(k, v, p.maps());
            assertThat(packets(k.map("to_backend"))).as("packets the DSL's next rule saw going to the backend (kernel)")
                    .isEqualTo(5);
            assertThat(packets(v.map("to_backend"))).as("the same in the VM").isEqualTo(5);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"TC_EGRESS", "XDP"})
    void sourceNatAsAnAction(Target target) {
        NatMaps sizes = new NatMaps(64);
        PacketProgram p = PacketProgram.forTarget(target).name("snat_dsl")
                .when(ipv4().present()).then(code(SourceNat.outboundAction(sizes)), pass())
                .otherwise(pass()).build();
        try (KernelPacketProgram k = p.load()) {
            VmPacketProgram v = p.loadVm(Vm.create());
            NatConfig cfg = NatConfig.of("10.96.0.1", "192.168.7.0/24", 20000, 20099);
            NatMaps.configure(k.maps(), cfg);
            NatMaps.configure(v.maps(), cfg);
            for (int i = 0; i < 5; i++) {
                byte[] syn = Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4("192.168.7.5", "10.95.0.9")
                        .udp(4000 + i, 53).payload(new byte[] {1, 2, 3}).bytes();
                byte[] out = run(k, v, syn, target.passVerdict());
                assertThat(ByteBuffer.wrap(out).getInt(26)).isEqualTo(cfg.external());
                assertThat(Checksums.problem(out)).isNull();
            }
            mapsAgree(k, v, p.maps());
        }
    }
}
