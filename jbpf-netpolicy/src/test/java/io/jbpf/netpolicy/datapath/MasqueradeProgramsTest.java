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
import io.jbpf.netpolicy.service.ServiceMaps;
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
 * config (only 192.168.0.0/16 and 172.16.0.0/12 exempt). The ingress program uses legacy host
 * routing: what is checked here is the translation (forwarding has ForwardingTest).
 */
@KernelTest
class MasqueradeProgramsTest {
    static final HexFormat HEX = HexFormat.of();
    static final String NODE = "192.168.10.101";
    static final io.jbpf.netpolicy.lab.Ipv4Cidr PODS = io.jbpf.netpolicy.lab.Ipv4Cidr.parse("172.16.1.0/24");
    static final io.jbpf.netpolicy.service.LoadBalancing LB = new io.jbpf.netpolicy.service.LoadBalancing(
            io.jbpf.netpolicy.service.LoadBalancing.Algorithm.RANDOM, 251);
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
            List<io.jbpf.core.map.MapSpec> specs = new java.util.ArrayList<>(sizes.specs());
            specs.addAll(ServiceMaps.specs(LB));
            for (var spec : specs) {
                shared.put(spec.name(), KernelMap.create(spec));
            }
            vmShared.put(MasqueradePrograms.NON_MASQUERADE, MemoryMap.create(ipmasq.spec()));
            for (var spec : specs) {
                vmShared.put(spec.name(), MemoryMap.create(spec));
            }
            // as NodeMasquerade configures it: the programs decide which sources are translated
            NatConfig cfg = NatConfig.of(NODE, "0.0.0.0/0", 40000, 40099);
            NatMaps.configure(shared, cfg);
            NatMaps.configure(vmShared, cfg);
            NonMasqueradeMap.sync(ipmasq, LAB);
            NonMasqueradeMap.sync(vmShared.get(MasqueradePrograms.NON_MASQUERADE), LAB);
            try (KernelPacketProgram out = MasqueradePrograms.toNetdev(PODS, LB).load(shared);
                    KernelPacketProgram in = MasqueradePrograms.fromNetdev(PODS, LB, HostRouting.LEGACY).load(shared)) {
                VmPacketProgram vmOut = MasqueradePrograms.toNetdev(PODS, LB).loadVm(Vm.create(), vmShared);
                VmPacketProgram vmIn = MasqueradePrograms.fromNetdev(PODS, LB, HostRouting.LEGACY).loadVm(Vm.create(), vmShared);

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

    /** Kernel and VM over the same packet and {@code skb->mark}: the verdict, the packet and the mark after. */
    record Ran(int verdict, byte[] frame, int mark) {}

    static Ran run(KernelPacketProgram k, VmPacketProgram v, byte[] frame, int mark) {
        byte[] ctx = new byte[io.jbpf.core.vm.SkbContext.SIZE];
        ByteBuffer.wrap(ctx).order(java.nio.ByteOrder.nativeOrder()).putInt(8, mark);
        TestRunResult kr = k.program().testRun(io.jbpf.core.prog.TestRun.withData(frame).context(ctx));
        RunResult vr = v.program().run(io.jbpf.core.vm.SkbContext.tc(frame).withMark(mark));
        assertThat(vr.returnValue()).as("VM vs kernel verdict").isEqualTo(kr.returnValue());
        assertThat(HEX.formatHex(vr.data())).as("VM and kernel rewrite alike").isEqualTo(HEX.formatHex(kr.data()));
        int kMark = ByteBuffer.wrap(kr.context()).order(java.nio.ByteOrder.nativeOrder()).getInt(8);
        assertThat(ByteBuffer.wrap(vr.context()).order(java.nio.ByteOrder.nativeOrder()).getInt(8)).as("mark").isEqualTo(kMark);
        return new Ran(kr.returnValue(), kr.data(), kMark);
    }

    static final String NODE_PORTS = String.join("\n",
            "apiVersion: v1", "kind: Service", "metadata: {name: near}", "spec:",
            "  type: NodePort", "  clusterIP: 10.96.0.80", "  ports: [{port: 80, targetPort: 8080, nodePort: 30080}]", "---",
            "apiVersion: discovery.k8s.io/v1", "kind: EndpointSlice",
            "metadata: {name: near-1, labels: {kubernetes.io/service-name: near}}",
            "addressType: IPv4", "ports: [{port: 8080}]", "endpoints: [{addresses: [172.16.1.10]}]", "---",
            "apiVersion: v1", "kind: Service", "metadata: {name: far}", "spec:",
            "  type: NodePort", "  clusterIP: 10.96.0.81", "  ports: [{port: 80, targetPort: 8080, nodePort: 30081}]", "---",
            "apiVersion: discovery.k8s.io/v1", "kind: EndpointSlice",
            "metadata: {name: far-1, labels: {kubernetes.io/service-name: far}}",
            "addressType: IPv4", "ports: [{port: 8080}]", "endpoints: [{addresses: [172.16.2.10]}]", "");

    @Test
    void nodePortsForClientsOutsideTheCluster() throws Exception {
        NatMaps sizes = MasqueradePrograms.natMaps();
        List<io.jbpf.core.map.MapSpec> specs = new java.util.ArrayList<>(sizes.specs());
        specs.addAll(ServiceMaps.specs(LB));
        specs.add(NonMasqueradeMap.spec(MasqueradePrograms.NON_MASQUERADE));
        Map<String, KernelMap> shared = new HashMap<>();
        Map<String, MemoryMap> vmShared = new HashMap<>();
        try {
            for (var spec : specs) {
                shared.put(spec.name(), KernelMap.create(spec));
                vmShared.put(spec.name(), MemoryMap.create(spec));
            }
            for (Map<String, ? extends RawMap> m : List.of(shared, vmShared)) {
                NatMaps.configure(m, NatConfig.of(NODE, "0.0.0.0/0", 40000, 40099));
                NonMasqueradeMap.sync(m.get(MasqueradePrograms.NON_MASQUERADE), LAB);
                ServiceMaps.sync(m, io.jbpf.netpolicy.service.ServiceYaml.parse(NODE_PORTS), "k8s-w1",
                        Map.of("k8s-w1", io.jbpf.netpolicy.lab.Ipv4.parse(NODE)), LB);
            }
            try (KernelPacketProgram out = MasqueradePrograms.toNetdev(PODS, LB).load(shared);
                    KernelPacketProgram in = MasqueradePrograms.fromNetdev(PODS, LB, HostRouting.LEGACY).load(shared)) {
                VmPacketProgram vmOut = MasqueradePrograms.toNetdev(PODS, LB).loadVm(Vm.create(), vmShared);
                VmPacketProgram vmIn = MasqueradePrograms.fromNetdev(PODS, LB, HostRouting.LEGACY).loadVm(Vm.create(), vmShared);

                // a backend on this node: destination translated, source kept, no mark; its reply leaves from the node port
                Ran near = run(in, vmIn, tcp("203.0.113.10", 40000, NODE, 30080), 0);
                assertThat(near.verdict()).isZero();
                assertThat(addr(near.frame(), 30)).isEqualTo("172.16.1.10");
                assertThat(port(near.frame(), 36)).isEqualTo(8080);
                assertThat(addr(near.frame(), 26)).isEqualTo("203.0.113.10");
                assertThat(near.mark()).isZero();
                Ran nearReply = run(out, vmOut, tcp("172.16.1.10", 8080, "203.0.113.10", 40000), 0);
                assertThat(addr(nearReply.frame(), 26)).isEqualTo(NODE);
                assertThat(port(nearReply.frame(), 34)).isEqualTo(30080);
                assertThat(ipChecksumOk(nearReply.frame())).isTrue();

                // a backend elsewhere: marked on ingress, the node as source on egress
                Ran far = run(in, vmIn, tcp("203.0.113.10", 40001, NODE, 30081), 0);
                assertThat(addr(far.frame(), 30)).isEqualTo("172.16.2.10");
                assertThat(far.mark()).isEqualTo(MasqueradePrograms.NODE_PORT_SNAT_MARK);
                Ran leaving = run(out, vmOut, far.frame(), far.mark());
                assertThat(addr(leaving.frame(), 26)).isEqualTo(NODE);
                int natPort = port(leaving.frame(), 34);
                assertThat(natPort).isBetween(40000, 40099);
                // its reply: back to the client from the node port, redirected out of the device it came in on
                Ran back = run(in, vmIn, tcp("172.16.2.10", 8080, NODE, natPort), 0);
                assertThat(back.verdict()).as("TC_ACT_REDIRECT").isEqualTo(7);
                assertThat(addr(back.frame(), 26)).isEqualTo(NODE);
                assertThat(port(back.frame(), 34)).isEqualTo(30081);
                assertThat(addr(back.frame(), 30)).isEqualTo("203.0.113.10");
                assertThat(port(back.frame(), 36)).isEqualTo(40001);
                assertThat(ipChecksumOk(back.frame())).isTrue();

                // pod traffic is still masqueraded, and an unknown port of the node passes untouched
                Ran pod = run(out, vmOut, tcp("172.16.1.7", 33000, "203.0.113.10", 80), 0);
                assertThat(addr(pod.frame(), 26)).isEqualTo(NODE);
                byte[] ssh = tcp("203.0.113.10", 40002, NODE, 22);
                assertThat(run(in, vmIn, ssh, 0).frame()).isEqualTo(ssh);
            }
        } finally {
            shared.values().forEach(KernelMap::close);
        }
    }
}
