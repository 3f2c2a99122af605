package io.jbpf.netpolicy.datapath;

import static io.jbpf.test.BpfAssertions.assertThat;

import io.jbpf.core.dsl.KernelPacketProgram;
import io.jbpf.core.dsl.VmPacketProgram;
import io.jbpf.core.dsl.lb.Maglev;
import io.jbpf.core.dsl.nat.Endpoint;
import io.jbpf.core.dsl.nat.FlowHash;
import io.jbpf.core.dsl.nat.FlowKey;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.map.RawMap;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.vm.Vm;
import io.jbpf.netpolicy.conntrack.ConntrackMap;
import io.jbpf.netpolicy.lab.Ipv4;
import io.jbpf.netpolicy.service.LoadBalancing;
import io.jbpf.netpolicy.service.ServiceMaps;
import io.jbpf.netpolicy.service.ServiceYaml;
import io.jbpf.test.packet.Packet;
import io.jbpf.test.packet.PacketView;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service translation in the endpoint programs, in the kernel (BPF_PROG_TEST_RUN) and in the
 * VM, each with maps of its own synced from the same Service YAML: a client pod (172.16.0.5) of
 * node k8s-s reaches ClusterIPs and a NodePort; replies come back with the service's address.
 * Random choices differ between the engines, so they are checked per engine; Maglev choices are
 * compared with the table Java builds.
 */
@KernelTest
class ServiceTranslationTest {
    static final String CLIENT = "172.16.0.5";
    static final String MAC = "02:00:00:00:00:01";
    static final String NODE_MAC = "02:00:00:00:00:fe";
    static final List<String> WEB = List.of("172.16.1.10", "172.16.1.11", "172.16.2.12");
    static final Map<String, Ipv4> NODES = new LinkedHashMap<>(Map.of("k8s-s", Ipv4.parse("192.168.10.10")));

    static {
        NODES.put("k8s-w1", Ipv4.parse("192.168.10.101"));
    }

    static String services(List<String> web, String terminating) {
        StringBuilder b = new StringBuilder(String.join("\n",
                "apiVersion: v1", "kind: Service", "metadata: {name: web, namespace: default}", "spec:",
                "  type: NodePort", "  clusterIP: 10.96.0.50",
                "  ports: [{name: http, protocol: TCP, port: 80, targetPort: 8080, nodePort: 30080},",
                "          {name: dns, protocol: UDP, port: 53, targetPort: 5353, nodePort: 30053}]", "---",
                "apiVersion: discovery.k8s.io/v1", "kind: EndpointSlice",
                "metadata: {name: web-1, namespace: default, labels: {kubernetes.io/service-name: web}}",
                "addressType: IPv4", "ports: [{name: http, protocol: TCP, port: 8080}, {name: dns, protocol: UDP, port: 5353}]",
                "endpoints:"));
        for (String ip : web) {
            boolean t = ip.equals(terminating);
            b.append("\n- addresses: [\"").append(ip).append("\"]\n  conditions: {ready: ").append(!t)
                    .append(", serving: true, terminating: ").append(t).append("}");
        }
        b.append('\n').append(String.join("\n", "---",
                "apiVersion: v1", "kind: Service", "metadata: {name: sticky, namespace: default}", "spec:",
                "  clusterIP: 10.96.0.70", "  sessionAffinity: ClientIP",
                "  ports: [{protocol: TCP, port: 80, targetPort: 8080}]", "  selector: {app: web}", "---",
                "apiVersion: discovery.k8s.io/v1", "kind: EndpointSlice",
                "metadata: {name: sticky-1, namespace: default, labels: {kubernetes.io/service-name: sticky}}",
                "addressType: IPv4", "ports: [{port: 8080, protocol: TCP}]", "endpoints:"));
        for (String ip : web) {
            boolean t = ip.equals(terminating);
            b.append("\n- addresses: [\"").append(ip).append("\"]\n  conditions: {ready: ").append(!t)
                    .append(", serving: true, terminating: ").append(t).append("}");
        }
        for (String solo : List.of("solo-a:10.96.0.80", "solo-b:10.96.0.81")) {
            String[] nameIp = solo.split(":");
            b.append(String.join("\n", "", "---",
                    "apiVersion: v1", "kind: Service", "metadata: {name: " + nameIp[0] + ", namespace: default}", "spec:",
                    "  clusterIP: " + nameIp[1], "  ports: [{protocol: TCP, port: 80, targetPort: 8080}]", "---",
                    "apiVersion: discovery.k8s.io/v1", "kind: EndpointSlice",
                    "metadata: {name: " + nameIp[0] + "-1, namespace: default, labels: {kubernetes.io/service-name: "
                            + nameIp[0] + "}}",
                    "addressType: IPv4", "ports: [{port: 8080, protocol: TCP}]", "endpoints: [{addresses: [\"172.16.1.20\"]}]"))
                    .append('\n');
        }
        b.append('\n').append(String.join("\n", "---",
                "apiVersion: v1", "kind: Service", "metadata: {name: empty, namespace: default}", "spec:",
                "  clusterIP: 10.96.0.60", "  ports: [{protocol: TCP, port: 80}]", "  selector: {app: none}"));
        return b.append('\n').toString();
    }

    /** One engine: the two programs over maps of their own. */
    interface Engine extends AutoCloseable {
        /** The verdict and the packet after the from-container program. */
        Out fromPod(byte[] frame);

        /** The verdict and the packet after the to-container program. */
        Out toPod(byte[] frame);

        Map<String, ? extends RawMap> maps();

        @Override
        void close();
    }

    record Out(int verdict, byte[] frame) {
        PacketView view() {
            return Packet.of(frame).view();
        }

        /** The destination of a forwarded packet. */
        String destination() {
            org.assertj.core.api.Assertions.assertThat(verdict).as("TC_ACT_OK").isZero();
            return view().ipv4().orElseThrow().destination().getHostAddress();
        }
    }

    static List<MapSpec> specs(LoadBalancing lb) {
        List<MapSpec> specs = new ArrayList<>(List.of(
                EndpointMap.spec(DatapathPrograms.ENDPOINTS, DatapathPrograms.MAX_ENDPOINTS),
                IpCache.spec(DatapathPrograms.IPCACHE, DatapathPrograms.MAX_IPCACHE),
                PolicyMap.spec(DatapathPrograms.POLICY, DatapathPrograms.MAX_POLICY),
                FlowEvents.spec(DatapathPrograms.EVENTS), Counters.spec(DatapathPrograms.COUNTERS, Counters.MAX_ENTRIES),
                ConntrackMap.spec(DatapathPrograms.CONNTRACK, DatapathPrograms.MAX_CONNTRACK)));
        specs.addAll(ServiceMaps.specs(lb));
        return specs;
    }

    /** The client endpoint (id 5), open in both directions. */
    static void client(Map<String, ? extends RawMap> maps) throws Exception {
        EndpointMap.put(maps.get(DatapathPrograms.ENDPOINTS), new EndpointMap.Entry(
                (java.net.Inet4Address) InetAddress.getByName(CLIENT), 5, 20001, 11,
                new byte[] {2, 0, 0, 0, 0, 1}, new byte[] {2, 0, 0, 0, 0, (byte) 0xfe}));
        PolicyMap.sync(maps.get(DatapathPrograms.POLICY), 5, io.jbpf.netpolicy.policy.EndpointPolicy.OPEN);
    }

    static Engine kernel(LoadBalancing lb) throws Exception {
        Map<String, KernelMap> maps = new LinkedHashMap<>();
        for (MapSpec s : specs(lb)) {
            maps.put(s.name(), KernelMap.create(s));
        }
        client(maps);
        // legacy host routing: what is checked is the translation; forwarding has ForwardingTest
        KernelPacketProgram from = DatapathPrograms.fromContainer(lb, HostRouting.LEGACY).load(maps);
        KernelPacketProgram to = DatapathPrograms.toContainer(lb).load(maps);
        return new Engine() {
            public Out fromPod(byte[] f) {
                var r = from.testRun(f);
                return new Out(r.returnValue(), r.data());
            }

            public Out toPod(byte[] f) {
                var r = to.testRun(f);
                return new Out(r.returnValue(), r.data());
            }

            public Map<String, ? extends RawMap> maps() {
                return maps;
            }

            @Override
            public String toString() {
                return "kernel";
            }

            public void close() {
                from.close();
                to.close();
                maps.values().forEach(KernelMap::close);
            }
        };
    }

    static Engine vm(LoadBalancing lb) throws Exception {
        Map<String, MemoryMap> maps = new LinkedHashMap<>();
        for (MapSpec s : specs(lb)) {
            maps.put(s.name(), MemoryMap.create(s));
        }
        client(maps);
        Vm vm = Vm.builder().clock(System::nanoTime).build();
        VmPacketProgram from = DatapathPrograms.fromContainer(lb, HostRouting.LEGACY).loadVm(vm, maps);
        VmPacketProgram to = DatapathPrograms.toContainer(lb).loadVm(vm, maps);
        return new Engine() {
            public Out fromPod(byte[] f) {
                var r = from.run(f);
                return new Out((int) r.returnValue(), r.data());
            }

            public Out toPod(byte[] f) {
                var r = to.run(f);
                return new Out((int) r.returnValue(), r.data());
            }

            public Map<String, ? extends RawMap> maps() {
                return maps;
            }

            @Override
            public String toString() {
                return "VM";
            }

            public void close() {}
        };
    }

    final List<Engine> engines = new ArrayList<>();

    List<Engine> engines(LoadBalancing lb, String yaml) throws Exception {
        engines.add(kernel(lb));
        engines.add(vm(lb));
        for (Engine e : engines) {
            ServiceMaps.sync(e.maps(), ServiceYaml.parse(yaml), "k8s-s", NODES, lb);
        }
        return engines;
    }

    @AfterEach
    void close() {
        engines.forEach(Engine::close);
    }

    static byte[] tcp(String src, int sport, String dst, int dport) {
        return Packet.ether(MAC, NODE_MAC).ipv4(src, dst).tcp(sport, dport).build().bytes();
    }

    static byte[] udp(String src, int sport, String dst, int dport) {
        return Packet.ether(MAC, NODE_MAC).ipv4(src, dst).udp(sport, dport).build().bytes();
    }

    static final LoadBalancing RANDOM = new LoadBalancing(LoadBalancing.Algorithm.RANDOM, 251);

    @Test
    void clusterIpAndNodePortGoToABackendAndRepliesComeFromTheServiceAddress() throws Exception {
        for (Engine e : engines(RANDOM, services(WEB, null))) {
            int sport = 41000;
            for (String[] frontend : new String[][] {{"10.96.0.50", "80"}, {"192.168.10.101", "30080"}, {"192.168.10.10", "30080"}}) {
                int port = Integer.parseInt(frontend[1]);
                sport++;
                Out out = e.fromPod(tcp(CLIENT, sport, frontend[0], port));
                assertThat(out.verdict()).as("TC_ACT_OK to %s on %s", frontend[0], e).isZero();
                String backend = out.destination();
                assertThat(WEB).contains(backend);
                assertThat(Packet.of(out.frame())).hasTcpDestinationPort(8080).hasIpv4Source(CLIENT).hasValidChecksums();
                // the connection keeps its backend
                for (int i = 0; i < 5; i++) {
                    assertThat(e.fromPod(tcp(CLIENT, sport, frontend[0], port)).destination()).isEqualTo(backend);
                }
                // the reply comes back from the frontend
                Out reply = e.toPod(tcp(backend, 8080, CLIENT, sport));
                assertThat(reply.verdict()).isZero();
                assertThat(Packet.of(reply.frame())).hasIpv4Source(frontend[0]).hasTcpSourcePort(port)
                        .hasIpv4Destination(CLIENT).hasTcpDestinationPort(sport).hasValidChecksums();
            }
            // UDP too
            Out dns = e.fromPod(udp(CLIENT, 42000, "10.96.0.50", 53));
            assertThat(WEB).contains(dns.destination());
            assertThat(Packet.of(dns.frame())).hasUdpDestinationPort(5353).hasValidChecksums();
            Out answer = e.toPod(udp(dns.destination(), 5353, CLIENT, 42000));
            assertThat(Packet.of(answer.frame())).hasIpv4Source("10.96.0.50").hasUdpSourcePort(53).hasValidChecksums();
            // a port the service does not have, and a reply nobody asked for, pass untouched
            byte[] other = tcp(CLIENT, 43000, "10.96.0.50", 81);
            assertThat(e.fromPod(other).frame()).isEqualTo(other);
            byte[] stray = tcp("172.16.1.10", 8080, CLIENT, 43001);
            assertThat(e.toPod(stray).frame()).isEqualTo(stray);
            // the balanced connections are in the service conntrack table: forward and reply entries
            assertThat(ServiceMaps.connections(e.maps())).filteredOn(c -> c.kind() == ServiceMaps.CT_SERVICE).hasSize(4);
            assertThat(ServiceMaps.connections(e.maps())).filteredOn(c -> c.kind() == ServiceMaps.CT_REVERSE).hasSize(4);
        }
    }

    @Test
    void aClientPortReusedForAnotherFrontendOfTheSameBackendGetsEachRepliesRight() throws Exception {
        for (Engine e : engines(RANDOM, services(WEB, null))) {
            for (String vip : List.of("10.96.0.80", "10.96.0.81", "10.96.0.80")) {
                assertThat(e.fromPod(tcp(CLIENT, 50000, vip, 80)).destination()).isEqualTo("172.16.1.20");
                Out reply = e.toPod(tcp("172.16.1.20", 8080, CLIENT, 50000));
                assertThat(Packet.of(reply.frame())).as("reply on %s", e).hasIpv4Source(vip).hasTcpSourcePort(80);
            }
        }
    }

    @Test
    void policyJudgesTheBackendNotTheServiceAddress() throws Exception {
        io.jbpf.netpolicy.policy.Direction egress = io.jbpf.netpolicy.policy.Direction.EGRESS;
        for (Engine e : engines(RANDOM, services(WEB, null))) {
            // the client may only reach identity 30000 (172.16.1.10) on TCP 8080; the other backends are the world
            IpCache.put(e.maps().get(DatapathPrograms.IPCACHE),
                    new IpCache.Entry(io.jbpf.maps.Cidr.parse("172.16.1.10/32"), 30000, null));
            PolicyMap.sync(e.maps().get(DatapathPrograms.POLICY), 5, new io.jbpf.netpolicy.policy.EndpointPolicy(
                    Set.of(egress), Map.of(new io.jbpf.netpolicy.policy.PolicyKey(30000, egress, 6, 8080, 16),
                            io.jbpf.netpolicy.policy.Verdict.ALLOW)));
            int allowed = 0;
            int denied = 0;
            for (int i = 0; i < 30; i++) {
                Out out = e.fromPod(tcp(CLIENT, 51000 + i, "10.96.0.50", 80));
                String backend = out.view().ipv4().orElseThrow().destination().getHostAddress();
                if (backend.equals("172.16.1.10")) {
                    assertThat(out.verdict()).as("to the allowed backend, on %s", e).isZero();
                    allowed++;
                } else {
                    assertThat(out.verdict()).as("to %s, on %s", backend, e).isEqualTo(2);
                    denied++;
                }
            }
            assertThat(allowed).isPositive();
            assertThat(denied).isPositive();
            assertThat(Counters.read(e.maps().get(DatapathPrograms.COUNTERS)))
                    .containsKey(new Counters.Key(5, FlowEvents.DROP_POLICY, egress));
        }
    }

    @Test
    void newConnectionsSpreadOrStickWithClientIpAffinity() throws Exception {
        for (Engine e : engines(RANDOM, services(WEB, null))) {
            Set<String> spread = new HashSet<>();
            Set<String> sticky = new HashSet<>();
            for (int i = 0; i < 30; i++) {
                spread.add(e.fromPod(tcp(CLIENT, 44000 + i, "10.96.0.50", 80)).destination());
                sticky.add(e.fromPod(tcp(CLIENT, 45000 + i, "10.96.0.70", 80)).destination());
            }
            assertThat(spread).as("random choices over 30 connections").hasSizeGreaterThan(1);
            assertThat(sticky).as("ClientIP affinity").hasSize(1);
        }
    }

    @Test
    void aFrontendWithoutBackendsDropsWithReason158() throws Exception {
        for (Engine e : engines(RANDOM, services(WEB, null))) {
            assertThat(e.fromPod(tcp(CLIENT, 46000, "10.96.0.60", 80)).verdict()).as("TC_ACT_SHOT").isEqualTo(2);
            assertThat(Counters.read(e.maps().get(DatapathPrograms.COUNTERS)))
                    .containsKey(new Counters.Key(5, FlowEvents.DROP_NO_SERVICE, io.jbpf.netpolicy.policy.Direction.EGRESS));
        }
    }

    @Test
    void terminatingBackendsKeepTheirConnectionsAndRemovedOnesLoseThem() throws Exception {
        for (Engine e : engines(RANDOM, services(WEB, null))) {
            Map<Integer, String> first = new LinkedHashMap<>();
            for (int i = 0; i < 30; i++) {
                first.put(47000 + i, e.fromPod(tcp(CLIENT, 47000 + i, "10.96.0.50", 80)).destination());
            }
            String leaving = first.values().iterator().next();
            ServiceMaps.sync(e.maps(), ServiceYaml.parse(services(WEB, leaving)), "k8s-s", NODES, RANDOM);
            first.forEach((port, backend) ->
                    assertThat(e.fromPod(tcp(CLIENT, port, "10.96.0.50", 80)).destination()).isEqualTo(backend));
            for (int i = 0; i < 30; i++) {
                assertThat(e.fromPod(tcp(CLIENT, 48000 + i, "10.96.0.50", 80)).destination()).isNotEqualTo(leaving);
            }
            // gone: its connections pick again, the others keep theirs
            List<String> rest = WEB.stream().filter(ip -> !ip.equals(leaving)).toList();
            ServiceMaps.sync(e.maps(), ServiceYaml.parse(services(rest, null)), "k8s-s", NODES, RANDOM);
            first.forEach((port, backend) -> {
                String now = e.fromPod(tcp(CLIENT, port, "10.96.0.50", 80)).destination();
                if (backend.equals(leaving)) {
                    assertThat(rest).contains(now);
                } else {
                    assertThat(now).isEqualTo(backend);
                }
            });
        }
    }

    @Test
    void maglevPicksTheBackendOfTheTuplesSlotOnBothEngines() throws Exception {
        LoadBalancing maglev = new LoadBalancing(LoadBalancing.Algorithm.MAGLEV, 251);
        int[] table = Maglev.build(WEB.stream().map(ip -> Maglev.Backend.of(ip + ":8080")).toList(), 251).table();
        for (Engine e : engines(maglev, services(WEB, null))) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                int sport = 49000 + i;
                FlowKey key = new FlowKey(new Endpoint(Ipv4.parse(CLIENT).bits(), sport),
                        new Endpoint(Ipv4.parse("10.96.0.50").bits(), 80), io.jbpf.core.dsl.nat.Protocol.TCP);
                String expected = WEB.get(table[(int) Long.remainderUnsigned(FlowHash.of(key) & 0xffffffffL, 251)]);
                String got = e.fromPod(tcp(CLIENT, sport, "10.96.0.50", 80)).destination();
                assertThat(got).as("port %d", sport).isEqualTo(expected);
                seen.add(got);
            }
            assertThat(seen).hasSizeGreaterThan(1);
        }
    }
}
