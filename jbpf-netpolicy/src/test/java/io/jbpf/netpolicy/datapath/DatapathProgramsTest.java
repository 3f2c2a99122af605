package io.jbpf.netpolicy.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.dsl.KernelPacketProgram;
import io.jbpf.core.dsl.VmPacketProgram;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.map.RawMap;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.vm.Vm;
import io.jbpf.maps.Cidr;
import io.jbpf.maps.ringbuf.RingBufferReader;
import io.jbpf.netpolicy.identity.Identity;
import io.jbpf.netpolicy.identity.IdentityAllocator;
import io.jbpf.netpolicy.identity.Labels;
import io.jbpf.netpolicy.identity.ReservedIdentity;
import io.jbpf.netpolicy.policy.EndpointPolicy;
import io.jbpf.netpolicy.policy.Policy;
import io.jbpf.netpolicy.policy.PolicyResolver;
import io.jbpf.netpolicy.policy.PolicyYaml;
import io.jbpf.test.packet.Packet;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The datapath programs over crafted packets, in the kernel (BPF_PROG_TEST_RUN) and in the VM, with
 * two endpoints, an ipcache and policies read from YAML: the client may only send TCP 80 to the
 * web pod and DNS to the world; the web pod takes only TCP 80 from the client.
 */
@KernelTest
class DatapathProgramsTest {
    static final String POLICIES = String.join("\n",
            "apiVersion: networking.k8s.io/v1",
            "kind: NetworkPolicy",
            "metadata: {name: web, namespace: default}",
            "spec:",
            "  podSelector: {matchLabels: {app: web}}",
            "  ingress:",
            "  - from: [{podSelector: {matchLabels: {app: client}}}]",
            "    ports: [{port: 80}]",
            "---",
            "apiVersion: cilium.io/v2",
            "kind: CiliumNetworkPolicy",
            "metadata: {name: client, namespace: default}",
            "spec:",
            "  endpointSelector: {matchLabels: {app: client}}",
            "  egress:",
            "  - toEndpoints: [{matchLabels: {app: web}}]",
            "    toPorts: [{ports: [{port: '80', protocol: TCP}]}]",
            "  - toEntities: [world]",
            "    toPorts: [{ports: [{port: '53', protocol: UDP}]}]");

    static final String CLIENT = "10.1.0.1";
    static final String WEB = "10.1.0.2";
    static final String CLIENT_MAC = "02:00:00:00:00:01";
    static final String NODE_MAC = "02:00:00:00:00:fe";

    static KernelMap endpoints;
    static KernelMap ipcache;
    static KernelMap policy;
    static KernelPacketProgram fromLxc;
    static KernelPacketProgram toLxc;
    static Map<String, MemoryMap> vmMaps = new LinkedHashMap<>();
    static VmPacketProgram vmFromLxc;
    static VmPacketProgram vmToLxc;

    static Inet4Address ip(String s) throws Exception {
        return (Inet4Address) InetAddress.getByName(s);
    }

    static void fill(RawMap eps, RawMap cache, RawMap pol) throws Exception {
        IdentityAllocator ids = IdentityAllocator.inMemory();
        Identity client = ids.allocate(Labels.ofPod("default", Map.of("app", "client"), Map.of()));
        Identity web = ids.allocate(Labels.ofPod("default", Map.of("app", "web"), Map.of()));
        byte[] mac = {2, 0, 0, 0, 0, 1};
        byte[] nodeMac = {2, 0, 0, 0, 0, (byte) 0xfe};
        EndpointMap.put(eps, new EndpointMap.Entry(ip(CLIENT), 1, client.id(), 11, mac, nodeMac));
        EndpointMap.put(eps, new EndpointMap.Entry(ip(WEB), 2, web.id(), 12, mac, nodeMac));
        IpCache.put(cache, new IpCache.Entry(Cidr.parse(CLIENT + "/32"), client.id(), null));
        IpCache.put(cache, new IpCache.Entry(Cidr.parse(WEB + "/32"), web.id(), null));
        IpCache.put(cache, new IpCache.Entry(Cidr.parse("192.168.10.0/24"), ReservedIdentity.REMOTE_NODE.id(), null));
        List<Policy> policies = PolicyYaml.parse(POLICIES);
        PolicyResolver r = new PolicyResolver(ids.all(), i -> List.of());
        EndpointPolicy clientPolicy = r.resolve(client.labels(), List.of(), policies);
        EndpointPolicy webPolicy = r.resolve(web.labels(), List.of(), policies);
        PolicyMap.sync(pol, 1, clientPolicy);
        PolicyMap.sync(pol, 2, webPolicy);
    }

    @BeforeAll
    static void load() throws Exception {
        endpoints = KernelMap.create(EndpointMap.spec(DatapathPrograms.ENDPOINTS, DatapathPrograms.MAX_ENDPOINTS));
        ipcache = KernelMap.create(IpCache.spec(DatapathPrograms.IPCACHE, DatapathPrograms.MAX_IPCACHE));
        policy = KernelMap.create(PolicyMap.spec(DatapathPrograms.POLICY, DatapathPrograms.MAX_POLICY));
        Map<String, KernelMap> shared = Map.of(DatapathPrograms.ENDPOINTS, endpoints, DatapathPrograms.IPCACHE, ipcache,
                DatapathPrograms.POLICY, policy);
        // legacy host routing: the verdicts here are policy's; forwarding has ForwardingTest
        fromLxc = DatapathPrograms.fromContainer(io.jbpf.netpolicy.service.LoadBalancing.DEFAULTS, HostRouting.LEGACY).load(shared);
        toLxc = DatapathPrograms.toContainer().load(shared);
        fill(endpoints, ipcache, policy);
        vmMaps.put(DatapathPrograms.ENDPOINTS, MemoryMap.create(endpoints.spec()));
        vmMaps.put(DatapathPrograms.IPCACHE, MemoryMap.create(ipcache.spec()));
        vmMaps.put(DatapathPrograms.POLICY, MemoryMap.create(policy.spec()));
        fill(vmMaps.get(DatapathPrograms.ENDPOINTS), vmMaps.get(DatapathPrograms.IPCACHE), vmMaps.get(DatapathPrograms.POLICY));
        vmFromLxc = DatapathPrograms.fromContainer(io.jbpf.netpolicy.service.LoadBalancing.DEFAULTS, HostRouting.LEGACY).loadVm(Vm.create(), vmMaps);
        vmToLxc = DatapathPrograms.toContainer().loadVm(Vm.create(), vmMaps);
    }

    @AfterAll
    static void close() {
        for (AutoCloseable c : new AutoCloseable[] {fromLxc, toLxc, endpoints, ipcache, policy}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static Packet tcp(String src, String dst, int dport) {
        return Packet.ether(CLIENT_MAC, NODE_MAC).ipv4(src, dst).tcp(40000, dport).build();
    }

    static Packet udp(String src, String dst, int dport) {
        return Packet.ether(CLIENT_MAC, NODE_MAC).ipv4(src, dst).udp(40000, dport).build();
    }

    /** TC verdicts: 0 passes (TC_ACT_OK), 2 drops (TC_ACT_SHOT); the VM must agree with the kernel. */
    static int fromPod(Packet p) {
        int kernel = fromLxc.testRun(p.bytes()).returnValue();
        assertThat(vmFromLxc.run(p.bytes()).returnValue()).as("VM vs kernel, from the pod: %s", p).isEqualTo(kernel);
        return kernel;
    }

    static int toPod(Packet p) {
        int kernel = toLxc.testRun(p.bytes()).returnValue();
        assertThat(vmToLxc.run(p.bytes()).returnValue()).as("VM vs kernel, to the pod: %s", p).isEqualTo(kernel);
        return kernel;
    }

    @Test
    void egressPolicyOfTheSendingPod() {
        assertThat(fromPod(tcp(CLIENT, WEB, 80))).isEqualTo(0);
        assertThat(fromPod(tcp(CLIENT, WEB, 81))).isEqualTo(2);
        assertThat(fromPod(udp(CLIENT, WEB, 80))).isEqualTo(2);
        assertThat(fromPod(udp(CLIENT, "198.51.100.7", 53))).as("DNS to the world").isEqualTo(0);
        assertThat(fromPod(tcp(CLIENT, "198.51.100.7", 443))).isEqualTo(2);
        assertThat(fromPod(udp(CLIENT, "192.168.10.5", 53))).as("a node is not the world").isEqualTo(2);
        assertThat(fromPod(tcp(WEB, CLIENT, 5000))).as("the web pod's egress is open").isEqualTo(0);
        assertThat(fromPod(tcp("10.1.0.99", WEB, 80))).as("a source that is no endpoint here").isEqualTo(2);
        assertThat(fromPod(Packet.ether(CLIENT_MAC, NODE_MAC).arpRequest(CLIENT, WEB).build())).as("ARP").isEqualTo(0);
    }

    @Test
    void ingressPolicyOfTheReceivingPod() {
        assertThat(toPod(tcp(CLIENT, WEB, 80))).isEqualTo(0);
        assertThat(toPod(tcp(CLIENT, WEB, 22))).isEqualTo(2);
        assertThat(toPod(tcp("198.51.100.7", WEB, 80))).as("the world is not the client").isEqualTo(2);
        assertThat(toPod(tcp("198.51.100.7", CLIENT, 80))).as("the client's ingress is open").isEqualTo(0);
        assertThat(toPod(tcp(CLIENT, "10.1.0.99", 80))).as("not an endpoint of this node").isEqualTo(0);
    }

    @Test
    void malformedPacketsDoNotBypassPolicy() {
        List<Packet> cases = new ArrayList<>();
        // IP options move the TCP header: the port is still read
        cases.add(Packet.ether(CLIENT_MAC, NODE_MAC).ipv4(CLIENT, WEB).nop().routerAlert().tcp(40000, 80).build());
        assertThat(toPod(cases.get(0))).isEqualTo(0);
        // a later fragment of TCP to port 80 has no port: only "every port" rules could allow it
        Packet fragment = Packet.ether(CLIENT_MAC, NODE_MAC).ipv4(CLIENT, WEB).fragmentOffset(1480).protocol(6)
                .payload(new byte[40]).build();
        assertThat(toPod(fragment)).isEqualTo(2);
        assertThat(fromPod(fragment)).isEqualTo(2);
        // a TCP header cut short
        byte[] whole = tcp(CLIENT, WEB, 80).bytes();
        byte[] cut = java.util.Arrays.copyOf(whole, 14 + 20 + 10);
        assertThat(toPod(Packet.of(cut))).isEqualTo(2);
        // IHL below 5: no transport header is believed
        Packet badIhl = Packet.ether(CLIENT_MAC, NODE_MAC).ipv4(CLIENT, WEB).ihl(4).tcp(40000, 80).build();
        assertThat(toPod(badIhl)).isEqualTo(2);
    }

    @Test
    void dropsAndNewConnectionsAreEventsAndEveryPacketIsCounted() throws Exception {
        List<FlowEvents.Event> events = new ArrayList<>();
        try (RingBufferReader reader = RingBufferReader.open(fromLxc.map(DatapathPrograms.EVENTS))) {
            reader.drain((b, off, len) -> { });
            Map<Counters.Key, Counters.Value> before = Counters.read(fromLxc.map(DatapathPrograms.COUNTERS));
            Packet syn80 = Packet.ether(CLIENT_MAC, NODE_MAC).ipv4(CLIENT, WEB).tcp(40001, 80).flags(0x02).build();
            Packet ack80 = Packet.ether(CLIENT_MAC, NODE_MAC).ipv4(CLIENT, WEB).tcp(40001, 80).flags(0x10).build();
            Packet syn81 = Packet.ether(CLIENT_MAC, NODE_MAC).ipv4(CLIENT, WEB).tcp(40002, 81).flags(0x02).build();
            Packet spoof = Packet.ether(CLIENT_MAC, NODE_MAC).ipv4("10.1.0.99", WEB).udp(5, 53).build();
            for (Packet p : List.of(syn80, ack80, syn81, spoof)) {
                fromLxc.testRun(p.bytes());
            }
            reader.drain((b, off, len) -> events.add(FlowEvents.decode(b, off)));
            assertThat(events).hasSize(3);
            FlowEvents.Event allowed = events.get(0);
            assertThat(allowed.dropped()).isFalse();
            assertThat(allowed.reason()).isZero();
            assertThat(allowed.direction()).isEqualTo(io.jbpf.netpolicy.policy.Direction.EGRESS);
            assertThat(allowed.endpoint()).isEqualTo(1);
            assertThat(allowed.source()).isEqualTo(ip(CLIENT));
            assertThat(allowed.destination()).isEqualTo(ip(WEB));
            assertThat(allowed.sourcePort()).isEqualTo(40001);
            assertThat(allowed.destinationPort()).isEqualTo(80);
            assertThat(allowed.tcpFlags()).isEqualTo(0x02);
            assertThat(allowed.srcIdentity()).isEqualTo(256);
            assertThat(allowed.dstIdentity()).isEqualTo(257);
            assertThat(allowed.length()).isEqualTo(syn80.bytes().length);
            assertThat(allowed.timeNs()).isPositive();
            FlowEvents.Event denied = events.get(1);
            assertThat(denied.dropped()).isTrue();
            assertThat(denied.reason()).isEqualTo(FlowEvents.DROP_POLICY);
            assertThat(denied.destinationPort()).isEqualTo(81);
            FlowEvents.Event spoofed = events.get(2);
            assertThat(spoofed.reason()).isEqualTo(FlowEvents.DROP_INVALID_SOURCE);
            assertThat(spoofed.endpoint()).isZero();
            Map<Counters.Key, Counters.Value> after = Counters.read(fromLxc.map(DatapathPrograms.COUNTERS));
            var egress = io.jbpf.netpolicy.policy.Direction.EGRESS;
            assertThat(delta(before, after, new Counters.Key(1, 0, egress)).packets()).isEqualTo(2);
            assertThat(delta(before, after, new Counters.Key(1, 0, egress)).bytes())
                    .isEqualTo(syn80.bytes().length + ack80.bytes().length);
            assertThat(delta(before, after, new Counters.Key(1, FlowEvents.DROP_POLICY, egress)).packets()).isEqualTo(1);
            assertThat(delta(before, after, new Counters.Key(0, FlowEvents.DROP_INVALID_SOURCE, egress)).packets()).isEqualTo(1);
        }
    }

    static Counters.Value delta(Map<Counters.Key, Counters.Value> before, Map<Counters.Key, Counters.Value> after,
            Counters.Key k) {
        Counters.Value b = before.getOrDefault(k, new Counters.Value(0, 0));
        Counters.Value a = after.getOrDefault(k, new Counters.Value(0, 0));
        return new Counters.Value(a.packets() - b.packets(), a.bytes() - b.bytes());
    }
}
