package io.jbpf.netpolicy.conntrack;

import static io.jbpf.core.dsl.Dsl.always;
import static io.jbpf.core.dsl.Dsl.drop;
import static io.jbpf.core.dsl.Dsl.pass;
import static io.jbpf.core.dsl.Dsl.tcp;
import static io.jbpf.netpolicy.conntrack.ConntrackStepTest.CLIENT;
import static io.jbpf.netpolicy.conntrack.ConntrackStepTest.SERVER;
import static io.jbpf.netpolicy.conntrack.ConntrackStepTest.icmpError;
import static io.jbpf.netpolicy.conntrack.ConntrackStepTest.key;
import static io.jbpf.netpolicy.conntrack.ConntrackStepTest.tcp;
import static io.jbpf.netpolicy.conntrack.ConntrackStepTest.udp;
import static io.jbpf.netpolicy.policy.Direction.EGRESS;
import static io.jbpf.netpolicy.policy.Direction.INGRESS;
import static io.jbpf.test.packet.TcpFlag.ACK;
import static io.jbpf.test.packet.TcpFlag.SYN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.dsl.DslException;
import io.jbpf.core.dsl.KernelPacketProgram;
import io.jbpf.core.dsl.PacketProgram;
import io.jbpf.core.dsl.Target;
import io.jbpf.core.dsl.VmPacketProgram;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.vm.SkbContext;
import io.jbpf.core.vm.Vm;
import io.jbpf.test.packet.Packet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ConntrackBlock} in packet-DSL programs of two TC hooks sharing one conntrack map: the
 * egress hook lets everything out and tracks it, the ingress hook lets in what conntrack knows and
 * new TCP connections to port 22 only; kernel and VM give the same verdicts.
 */
@KernelTest
class ConntrackBlockTest {
    static final int PASS = 0, DROP = 2;

    @Test
    void knownTrafficPassesAndPolicyJudgesNewConnections() {
        MapSpec spec = ConntrackMap.spec("ct", 1024);
        ConntrackBlock out = new ConntrackBlock(spec, EGRESS);
        ConntrackBlock in = new ConntrackBlock(spec, INGRESS);
        PacketProgram egress = PacketProgram.forTarget(Target.TC_EGRESS).name("jbpf_cta_eg")
                .when(always()).then(out.track())
                .when(always()).then(out.create(), pass())
                .build();
        PacketProgram ingress = PacketProgram.forTarget(Target.TC_INGRESS).name("jbpf_cta_in")
                .when(always()).then(in.track())
                .when(tcp().dstPort().eq(22)).then(in.create(), pass())
                .otherwise(drop())
                .build();
        try (KernelMap ct = KernelMap.create(spec); KernelPacketProgram kEg = egress.load(Map.of("ct", ct));
                KernelPacketProgram kIn = ingress.load(Map.of("ct", ct))) {
            MemoryMap vmCt = MemoryMap.create(spec);
            Vm vm = Vm.create();
            VmPacketProgram vEg = egress.loadVm(vm, Map.of("ct", vmCt));
            VmPacketProgram vIn = ingress.loadVm(vm, Map.of("ct", vmCt));
            class Run {
                int eg(Packet p) {
                    int k = kEg.program().testRun(TestRun.withData(p.bytes())).returnValue();
                    assertThat(vEg.program().run(SkbContext.tc(p.bytes())).returnValue()).as("VM on %s", p).isEqualTo(k);
                    return k;
                }

                int in(Packet p) {
                    int k = kIn.program().testRun(TestRun.withData(p.bytes())).returnValue();
                    assertThat(vIn.program().run(SkbContext.tc(p.bytes())).returnValue()).as("VM on %s", p).isEqualTo(k);
                    return k;
                }
            }
            Run r = new Run();
            // out and back
            assertThat(r.eg(tcp(CLIENT, SERVER, 40000, 80, SYN))).isEqualTo(PASS);
            assertThat(r.in(tcp(SERVER, CLIENT, 80, 40000, SYN, ACK))).isEqualTo(PASS);
            assertThat(r.eg(udp(CLIENT, SERVER, 5353, 53))).isEqualTo(PASS);
            assertThat(r.in(udp(SERVER, CLIENT, 53, 5353))).isEqualTo(PASS);
            assertThat(r.in(icmpError(SERVER, CLIENT, 3, 3, udp(CLIENT, SERVER, 5353, 53)))).isEqualTo(PASS);
            // in: only new TCP to 22
            assertThat(r.in(tcp(SERVER, CLIENT, 80, 40001, SYN, ACK))).isEqualTo(DROP);
            assertThat(r.in(udp(SERVER, CLIENT, 53, 5354))).isEqualTo(DROP);
            assertThat(r.in(icmpError(SERVER, CLIENT, 3, 3, udp(CLIENT, SERVER, 5353, 54)))).isEqualTo(DROP);
            assertThat(r.in(tcp(SERVER, CLIENT, 50000, 22, SYN))).isEqualTo(PASS);
            assertThat(r.in(tcp(SERVER, CLIENT, 50000, 22, ACK))).isEqualTo(PASS);
            // untracked: in, dropped by the last rule; out, passed but never recorded
            Packet fragment = Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(SERVER, CLIENT)
                    .fragmentOffset(8).tcp(50001, 22).build();
            assertThat(r.in(fragment)).isEqualTo(DROP);
            assertThat(r.eg(Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(CLIENT, SERVER)
                    .fragmentOffset(8).udp(7, 7).build())).isEqualTo(PASS);
            // non-IPv4 goes on to the rules too
            assertThat(r.in(Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv6("fd00::1", "fd00::2")
                    .udp(1, 2).build())).isEqualTo(DROP);

            assertThat(ConntrackMap.list(ct).keySet()).containsExactlyInAnyOrder(
                    key(CLIENT, SERVER, 40000, 80, 6, EGRESS), key(CLIENT, SERVER, 5353, 53, 17, EGRESS),
                    key(SERVER, CLIENT, 50000, 22, 6, INGRESS));
            assertThat(ConntrackMap.list(vmCt).keySet()).isEqualTo(ConntrackMap.list(ct).keySet());
            ConntrackValue ssh = ConntrackMap.lookup(ct, key(SERVER, CLIENT, 50000, 22, 6, INGRESS));
            assertThat(ssh.txPackets()).isEqualTo(2);
            assertThat(ssh.sourceIdentity()).isZero();
        }
    }

    @Test
    void refusedWhereItCannotWork() {
        assertThatThrownBy(() -> new ConntrackBlock(MapSpec.of("ct", MapType.HASH, 16, 24, 4), INGRESS))
                .hasMessageContaining("not a conntrack map");
        ConntrackBlock b = new ConntrackBlock(ConntrackMap.spec("ct", 16), INGRESS);
        assertThatThrownBy(() -> PacketProgram.forTarget(Target.SOCKET_FILTER).name("jbpf_cta_sf")
                .when(always()).then(b.track()).build().programSpec())
                .isInstanceOf(DslException.class).hasMessageContaining("direct packet access");
    }
}
