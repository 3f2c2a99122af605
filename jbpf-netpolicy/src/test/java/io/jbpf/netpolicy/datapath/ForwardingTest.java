package io.jbpf.netpolicy.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.dsl.KernelPacketProgram;
import io.jbpf.core.dsl.VmPacketProgram;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.map.RawMap;
import io.jbpf.core.netns.NetNamespace;
import io.jbpf.core.prog.TestRunResult;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.NetLab;
import io.jbpf.core.testing.Shell;
import io.jbpf.core.vm.FibTable;
import io.jbpf.core.vm.RunResult;
import io.jbpf.core.vm.Vm;
import io.jbpf.netpolicy.lab.Ipv4Cidr;
import io.jbpf.netpolicy.policy.EndpointPolicy;
import io.jbpf.netpolicy.service.LoadBalancing;
import io.jbpf.test.packet.Packet;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link HostRouting#BPF}: the from-container and from-netdev programs forward by themselves, in the
 * kernel (BPF_PROG_TEST_RUN inside a namespace of the test's, whose FIB has a route with a resolved
 * neighbour, one without, and its own address) and in the VM over the same routing state. An endpoint
 * of the node gets the frame with its MACs at its veth; a routed destination gets the route's MACs
 * (or {@code bpf_redirect_neigh} when the neighbour is unknown); the TTL drops by one with the IP
 * checksum kept right; what cannot be forwarded goes to the kernel untouched.
 */
@KernelTest
class ForwardingTest {
    static final HexFormat HEX = HexFormat.of();
    static final String CLIENT = "10.1.0.1";
    static final String WEB = "10.1.0.2";
    static final byte[] WEB_MAC = {2, 0, 0, 0, 0, 2};
    static final byte[] WEB_NODE_MAC = {2, 0, 0, 0, 0, (byte) 0xe2};
    static final String GATEWAY_MAC = "02:00:00:00:0b:02";
    static final int WEB_IFINDEX = 12;

    static NetLab lab;
    static NetNamespace ns;
    static KernelMap endpoints;
    static KernelMap policy;
    static KernelPacketProgram bpf;
    static KernelPacketProgram legacy;
    static KernelPacketProgram netdev;
    static VmPacketProgram vmBpf;
    static VmPacketProgram vmNetdev;
    static int deviceIndex;
    static byte[] deviceMac;

    static Inet4Address ip(String s) {
        try {
            return (Inet4Address) InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Two endpoints, both without policy (open). */
    static void fill(RawMap eps, RawMap policy) {
        PolicyMap.sync(policy, 1, EndpointPolicy.OPEN);
        PolicyMap.sync(policy, 2, EndpointPolicy.OPEN);
        EndpointMap.put(eps, new EndpointMap.Entry(ip(CLIENT), 1, 1000, 11, new byte[] {2, 0, 0, 0, 0, 1},
                new byte[] {2, 0, 0, 0, 0, (byte) 0xe1}));
        EndpointMap.put(eps, new EndpointMap.Entry(ip(WEB), 2, 1001, WEB_IFINDEX, WEB_MAC, WEB_NODE_MAC));
    }

    /** The routed prefixes of namespace A: 10.77/16 via B (a permanent neighbour), 10.78/16 via .3 (none). */
    static String via(int host) {
        return lab.addressA().substring(0, lab.addressA().lastIndexOf('.') + 1) + host;
    }

    @BeforeAll
    static void up() {
        lab = NetLab.create();
        lab.ip(lab.nsA(), "route", "add", "10.77.0.0/16", "via", via(2));
        lab.ip(lab.nsA(), "route", "add", "10.78.0.0/16", "via", via(3));
        lab.ip(lab.nsA(), "neigh", "replace", via(2), "lladdr", GATEWAY_MAC, "dev", NetLab.A_IF, "nud", "permanent");
        Shell.check("ip", "netns", "exec", lab.nsA(), "sysctl", "-q", "-w", "net.ipv4.conf.all.forwarding=1");
        ns = NetNamespace.open(lab.nsA());
        deviceIndex = ns.ifindex(NetLab.A_IF);
        deviceMac = ns.hardwareAddress(NetLab.A_IF);
        endpoints = KernelMap.create(EndpointMap.spec(DatapathPrograms.ENDPOINTS, DatapathPrograms.MAX_ENDPOINTS));
        policy = KernelMap.create(PolicyMap.spec(DatapathPrograms.POLICY, DatapathPrograms.MAX_POLICY));
        fill(endpoints, policy);
        Map<String, KernelMap> shared = Map.of(DatapathPrograms.ENDPOINTS, endpoints, DatapathPrograms.POLICY, policy);
        bpf = DatapathPrograms.fromContainer(LoadBalancing.DEFAULTS, HostRouting.BPF).load(shared);
        legacy = DatapathPrograms.fromContainer(LoadBalancing.DEFAULTS, HostRouting.LEGACY).load(shared);
        Ipv4Cidr pods = Ipv4Cidr.parse("10.1.0.0/24");
        netdev = MasqueradePrograms.fromNetdev(pods, LoadBalancing.DEFAULTS, HostRouting.BPF).load(shared);
        // the VM sees what namespace A has: loopback (the test run's device) and jbpf-a, both forwarding
        FibTable fib = FibTable.builder()
                .device(1, "00:00:00:00:00:00", 65536)
                .device(deviceIndex, HEX.formatHex(deviceMac).replaceAll("(..)(?!$)", "$1:"), 1500)
                .address(deviceIndex, lab.addressA())
                .route(new FibTable.Route(ip(lab.addressA()), 32, FibTable.RouteType.LOCAL, deviceIndex, null, null, 0, 0,
                        FibTable.TABLE_LOCAL, false))
                .route(lab.addressA().substring(0, lab.addressA().lastIndexOf('.')) + ".0/24", deviceIndex)
                .route("10.77.0.0/16", deviceIndex, via(2))
                .route("10.78.0.0/16", deviceIndex, via(3))
                .neighbor(deviceIndex, via(2), GATEWAY_MAC)
                .build();
        MemoryMap vmEndpoints = MemoryMap.create(endpoints.spec());
        MemoryMap vmPolicy = MemoryMap.create(policy.spec());
        fill(vmEndpoints, vmPolicy);
        vmBpf = DatapathPrograms.fromContainer(LoadBalancing.DEFAULTS, HostRouting.BPF)
                .loadVm(Vm.builder().fibTable(fib).build(), Map.of(DatapathPrograms.ENDPOINTS, vmEndpoints, DatapathPrograms.POLICY, vmPolicy));
        vmNetdev = MasqueradePrograms.fromNetdev(pods, LoadBalancing.DEFAULTS, HostRouting.BPF)
                .loadVm(Vm.builder().fibTable(fib).build(), Map.of(DatapathPrograms.ENDPOINTS, vmEndpoints));
    }

    @AfterAll
    static void down() {
        for (AutoCloseable c : new AutoCloseable[] {bpf, legacy, netdev, endpoints, policy, ns}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        if (lab != null) {
            lab.close();
        }
    }

    static Packet tcp(String src, String dst, int ttl) {
        return Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:e1").ipv4(src, dst).ttl(ttl).tcp(40000, 80).build();
    }

    /** The kernel's verdict and frame, run in namespace A; the VM must give the same. */
    record Out(int verdict, byte[] frame, int vmRedirect) {}

    static Out run(KernelPacketProgram k, VmPacketProgram v, Packet p) {
        TestRunResult kr = ns.run(() -> k.testRun(p.bytes()));
        RunResult vr = v.run(p.bytes());
        assertThat(vr.returnValue()).as("VM vs kernel verdict for %s", p).isEqualTo(kr.returnValue());
        assertThat(HEX.formatHex(vr.data())).as("VM vs kernel frame for %s", p).isEqualTo(HEX.formatHex(kr.data()));
        return new Out(kr.returnValue(), kr.data(), vr.redirectIfindex());
    }

    static String macs(byte[] frame) {
        return HEX.formatHex(frame, 0, 12);
    }

    static int ttl(byte[] frame) {
        return frame[14 + 8] & 0xff;
    }

    /** The IPv4 header's checksum verifies (the one's complement sum of the header is 0xffff). */
    static boolean checksumOk(byte[] frame) {
        int sum = 0;
        for (int i = 14; i < 34; i += 2) {
            sum += ((frame[i] & 0xff) << 8) | (frame[i + 1] & 0xff);
        }
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return sum == 0xffff;
    }

    @Test
    void aLocalEndpointGetsTheFrameAtItsVethWithItsMacs() {
        Out o = run(bpf, vmBpf, tcp(CLIENT, WEB, 64));
        assertThat(o.verdict()).as("TC_ACT_REDIRECT").isEqualTo(7);
        assertThat(o.vmRedirect()).isEqualTo(WEB_IFINDEX);
        assertThat(macs(o.frame())).isEqualTo(HEX.formatHex(WEB_MAC) + HEX.formatHex(WEB_NODE_MAC));
        assertThat(ttl(o.frame())).isEqualTo(63);
        assertThat(checksumOk(o.frame())).isTrue();
        // legacy host routing leaves it to the kernel, untouched
        TestRunResult l = ns.run(() -> legacy.testRun(tcp(CLIENT, WEB, 64).bytes()));
        assertThat(l.returnValue()).isZero();
        assertThat(l.data()).isEqualTo(tcp(CLIENT, WEB, 64).bytes());
    }

    @Test
    void aRoutedDestinationGetsTheRoutesMacsOrTheNeighbourLookup() {
        Out o = run(bpf, vmBpf, tcp(CLIENT, "10.77.1.1", 64));
        assertThat(o.verdict()).isEqualTo(7);
        assertThat(o.vmRedirect()).isEqualTo(deviceIndex);
        assertThat(macs(o.frame())).isEqualTo(GATEWAY_MAC.replace(":", "") + HEX.formatHex(deviceMac));
        assertThat(ttl(o.frame())).isEqualTo(63);
        assertThat(checksumOk(o.frame())).isTrue();
        // the next hop is not resolved: bpf_redirect_neigh resolves it and writes the MACs when it sends
        Out n = run(bpf, vmBpf, tcp(CLIENT, "10.78.1.1", 64));
        assertThat(n.verdict()).isEqualTo(7);
        assertThat(n.vmRedirect()).isEqualTo(deviceIndex);
        assertThat(macs(n.frame())).isEqualTo(macs(tcp(CLIENT, "10.78.1.1", 64).bytes()));
        assertThat(ttl(n.frame())).isEqualTo(63);
        assertThat(checksumOk(n.frame())).isTrue();
    }

    @Test
    void whatCannotBeForwardedGoesToTheKernelUntouched() {
        for (Packet p : List.of(tcp(CLIENT, lab.addressA(), 64), tcp(CLIENT, "192.0.2.1", 64), tcp(CLIENT, WEB, 1),
                tcp(CLIENT, "10.77.1.1", 1))) {
            Out o = run(bpf, vmBpf, p);
            assertThat(o.verdict()).as("TC_ACT_OK for %s", p).isZero();
            assertThat(o.frame()).isEqualTo(p.bytes());
        }
    }

    @Test
    void theUnderlaysIngressDeliversToLocalEndpointsToo() {
        Out o = run(netdev, vmNetdev, tcp("192.168.10.10", WEB, 60));
        assertThat(o.verdict()).isEqualTo(7);
        assertThat(o.vmRedirect()).isEqualTo(WEB_IFINDEX);
        assertThat(macs(o.frame())).isEqualTo(HEX.formatHex(WEB_MAC) + HEX.formatHex(WEB_NODE_MAC));
        assertThat(ttl(o.frame())).isEqualTo(59);
        assertThat(checksumOk(o.frame())).isTrue();
    }
}
