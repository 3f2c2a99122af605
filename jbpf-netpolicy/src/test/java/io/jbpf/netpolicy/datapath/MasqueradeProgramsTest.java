package io.jbpf.netpolicy.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.dsl.KernelPacketProgram;
import io.jbpf.core.dsl.VmPacketProgram;
import io.jbpf.core.dsl.nat.NatConfig;
import io.jbpf.core.dsl.nat.NatMaps;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.map.RawMap;
import io.jbpf.core.prog.TestRunResult;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.vm.RunResult;
import io.jbpf.core.vm.Vm;
import io.jbpf.maps.Cidr;
import io.jbpf.netpolicy.nat.MasqConfig;
import io.jbpf.test.packet.Packet;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The masquerade programs over crafted packets, in the kernel (BPF_PROG_TEST_RUN) and in the VM with
 * the same maps: node k8s-w1 (192.168.10.101, pods 172.16.1.0/24) under the lab's ip-masq-agent
 * config (only 192.168.0.0/16 and 172.16.0.0/12 exempt).
 */
@KernelTest
class MasqueradeProgramsTest {
    static final HexFormat HEX = HexFormat.of();
    static final String NODE = "192.168.10.101";
    static final MasqConfig LAB = new MasqConfig(List.of(Cidr.parse("192.168.0.0/16"), Cidr.parse("172.16.0.0/12")), false);

    static byte[] run(KernelPacketProgram k, VmPacketProgram v, byte[] frame) {
        TestRunResult kr = k.testRun(frame);
        RunResult vr = v.run(frame);
        assertThat(kr.returnValue()).as("TC_ACT_OK").isZero();
        assertThat(vr.returnValue()).isEqualTo(kr.returnValue());
        assertThat(HEX.formatHex(vr.data())).as("VM and kernel rewrite alike").isEqualTo(HEX.formatHex(kr.data()));
        return kr.data();
    }

    static byte[] tcp(String src, int sport, String dst, int dport) {
        return Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(src, dst).tcp(sport, dport).build().bytes();
    }

    static String addr(byte[] frame, int at) {
        return (frame[at] & 0xff) + "." + (frame[at + 1] & 0xff) + "." + (frame[at + 2] & 0xff) + "." + (frame[at + 3] & 0xff);
    }

    static int port(byte[] frame, int at) {
        return ByteBuffer.wrap(frame).getShort(at) & 0xffff;
    }

    /** The IPv4 header checksum verifies (sums to 0xffff). */
    static boolean ipChecksumOk(byte[] f) {
        int sum = 0;
        for (int i = 14; i < 34; i += 2) {
            sum += ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return sum == 0xffff;
    }

    @Test
    void podTrafficToTheOutsideLeavesWithTheNodesAddressAndRepliesComeBack() throws Exception {
        NatMaps sizes = MasqueradePrograms.natMaps();
        Map<String, KernelMap> shared = new HashMap<>();
        Map<String, MemoryMap> vmShared = new HashMap<>();
        try (KernelMap ipmasq = KernelMap.create(NonMasqueradeMap.spec(MasqueradePrograms.NON_MASQUERADE))) {
            shared.put(MasqueradePrograms.NON_MASQUERADE, ipmasq);
            for (var spec : sizes.specs()) {
                shared.put(spec.name(), KernelMap.create(spec));
            }
            vmShared.put(MasqueradePrograms.NON_MASQUERADE, MemoryMap.create(ipmasq.spec()));
            for (var spec : sizes.specs()) {
                vmShared.put(spec.name(), MemoryMap.create(spec));
            }
            NatConfig cfg = NatConfig.of(NODE, "172.16.1.0/24", 40000, 40099);
            NatMaps.configure(shared, cfg);
            NatMaps.configure(vmShared, cfg);
            NonMasqueradeMap.sync(ipmasq, LAB);
            NonMasqueradeMap.sync(vmShared.get(MasqueradePrograms.NON_MASQUERADE), LAB);
            try (KernelPacketProgram out = MasqueradePrograms.toNetdev().load(shared);
                    KernelPacketProgram in = MasqueradePrograms.fromNetdev().load(shared)) {
                VmPacketProgram vmOut = MasqueradePrograms.toNetdev().loadVm(Vm.create(), vmShared);
                VmPacketProgram vmIn = MasqueradePrograms.fromNetdev().loadVm(Vm.create(), vmShared);

                byte[] sent = run(out, vmOut, tcp("172.16.1.7", 33000, "203.0.113.10", 80));
                assertThat(addr(sent, 26)).as("source after masquerade").isEqualTo(NODE);
                int natPort = port(sent, 34);
                assertThat(natPort).isBetween(40000, 40099);
                assertThat(ipChecksumOk(sent)).isTrue();
                // the same flow keeps its translation
                assertThat(port(run(out, vmOut, tcp("172.16.1.7", 33000, "203.0.113.10", 80)), 34)).isEqualTo(natPort);

                byte[] reply = run(in, vmIn, tcp("203.0.113.10", 80, NODE, natPort));
                assertThat(addr(reply, 30)).as("the reply's destination, translated back").isEqualTo("172.16.1.7");
                assertThat(port(reply, 36)).isEqualTo(33000);
                assertThat(ipChecksumOk(reply)).isTrue();

                // exempt destinations, other sources and unknown replies pass untouched
                for (byte[] untouched : List.of(tcp("172.16.1.7", 33001, "192.168.10.10", 80),
                        tcp("172.16.1.7", 33002, "172.16.2.9", 8080), tcp("192.168.10.101", 22, "203.0.113.10", 5000))) {
                    assertThat(run(out, vmOut, untouched)).isEqualTo(untouched);
                }
                byte[] stray = tcp("203.0.113.10", 80, NODE, 40098);
                assertThat(run(in, vmIn, stray)).isEqualTo(stray);

                // under the defaults, the outside host's documentation range is exempt too
                NonMasqueradeMap.sync(ipmasq, MasqConfig.defaults());
                NonMasqueradeMap.sync(vmShared.get(MasqueradePrograms.NON_MASQUERADE), MasqConfig.defaults());
                byte[] exempt = tcp("172.16.1.7", 33003, "203.0.113.10", 80);
                assertThat(run(out, vmOut, exempt)).isEqualTo(exempt);
            }
        } finally {
            for (Map.Entry<String, KernelMap> e : shared.entrySet()) {
                if (!e.getKey().equals(MasqueradePrograms.NON_MASQUERADE)) {
                    e.getValue().close();
                }
            }
        }
    }
}
