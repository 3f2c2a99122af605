package io.jbpf.netpolicy.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.netns.NetNamespace;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.netpolicy.lab.Ipv4;
import io.jbpf.netpolicy.lab.LabProbe;
import io.jbpf.netpolicy.lab.LabSpec;
import io.jbpf.netpolicy.service.ServiceMaps;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Services without kube-proxy in the built-in {@code services} lab: a client pod on k8s-s reaches a ClusterIP and a NodePort
 * service with three backends on the other nodes, over real TCP and UDP, through the agents'
 * service translation; replies carry the service's address; random choices spread over the
 * backends, ClientIP affinity holds; removing a backend keeps the connections to the others alive.
 * The outside host reaches the node ports too: a backend on the node it asked sees its address,
 * others the node's (Cilium's SNAT mode).
 */
@KernelTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceTrafficLabTest {
    static final Ipv4 CLIENT = Ipv4.parse("172.16.0.5");
    static final Ipv4 VIP = Ipv4.parse("10.96.0.50");
    static final Ipv4 STICKY = Ipv4.parse("10.96.0.70");
    static final Map<String, String> BACKENDS = new LinkedHashMap<>(Map.of("web1", "172.16.1.10"));
    static final Map<String, String> NODES = Map.of("web1", "k8s-w1", "web2", "k8s-w2", "web3", "k8s-w2");

    static {
        BACKENDS.put("web2", "172.16.2.10");
        BACKENDS.put("web3", "172.16.2.11");
    }

    /** The web service (ClusterIP and NodePort, HTTP, TCP and UDP echo) and a sticky one, over {@code web}. */
    static String services(List<String> web) {
        StringBuilder b = new StringBuilder(String.join("\n",
                "apiVersion: v1", "kind: Service", "metadata: {name: web, namespace: default}", "spec:",
                "  type: NodePort", "  clusterIP: 10.96.0.50", "  selector: {app: web}", "  ports:",
                "  - {name: http, protocol: TCP, port: 80, targetPort: 8080, nodePort: 30080}",
                "  - {name: echo, protocol: TCP, port: 7, targetPort: 7, nodePort: 30007}",
                "  - {name: echo-udp, protocol: UDP, port: 7, targetPort: 7, nodePort: 30017}", "---",
                "apiVersion: discovery.k8s.io/v1", "kind: EndpointSlice",
                "metadata: {name: web-1, namespace: default, labels: {kubernetes.io/service-name: web}}",
                "addressType: IPv4",
                "ports: [{name: http, protocol: TCP, port: 8080}, {name: echo, protocol: TCP, port: 7}, {name: echo-udp, protocol: UDP, port: 7}]",
                "endpoints:"));
        for (String pod : web) {
            b.append("\n- addresses: [\"").append(BACKENDS.get(pod)).append("\"]\n  nodeName: ").append(NODES.get(pod))
                    .append("\n  targetRef: {kind: Pod, name: ").append(pod).append(", namespace: default}");
        }
        b.append('\n').append(String.join("\n", "---",
                "apiVersion: v1", "kind: Service", "metadata: {name: local, namespace: default}", "spec:",
                "  type: NodePort", "  clusterIP: 10.96.0.90", "  externalTrafficPolicy: Local", "  selector: {app: web}",
                "  ports: [{name: http, protocol: TCP, port: 80, targetPort: 8080, nodePort: 30090}]", "---",
                "apiVersion: discovery.k8s.io/v1", "kind: EndpointSlice",
                "metadata: {name: local-1, namespace: default, labels: {kubernetes.io/service-name: local}}",
                "addressType: IPv4", "ports: [{name: http, protocol: TCP, port: 8080}]", "endpoints:"));
        for (String pod : web) {
            b.append("\n- addresses: [\"").append(BACKENDS.get(pod)).append("\"]\n  nodeName: ").append(NODES.get(pod));
        }
        b.append('\n').append(String.join("\n", "---",
                "apiVersion: v1", "kind: Service", "metadata: {name: sticky, namespace: default}", "spec:",
                "  clusterIP: 10.96.0.70", "  sessionAffinity: ClientIP", "  selector: {app: web}",
                "  ports: [{name: http, protocol: TCP, port: 80, targetPort: 8080}]", "---",
                "apiVersion: discovery.k8s.io/v1", "kind: EndpointSlice",
                "metadata: {name: sticky-1, namespace: default, labels: {kubernetes.io/service-name: sticky}}",
                "addressType: IPv4", "ports: [{name: http, protocol: TCP, port: 8080}]", "endpoints:",
                "- addresses: [\"172.16.1.10\"]", "- addresses: [\"172.16.2.10\"]"));
        return b.append('\n').toString();
    }

    static LabAgents env;
    static LabProbe probe;
    static NetNamespace client;

    @BeforeAll
    static void up() throws Exception {
        env = LabAgents.up("st", LabSpec.builtin("services"), Duration.ofSeconds(3));
        probe = env.probe;
        client = NetNamespace.open(env.lab.namespaceOf("default/client"));
        importServices(List.of("web1", "web2", "web3"));
    }

    @AfterAll
    static void down() {
        if (client != null) {
            client.close();
        }
        if (env != null) {
            env.close();
        }
    }

    /**
     * Imports the services and waits until every node's maps give each of the web service's frontends
     * (its cluster IP's ports and its node ports) {@code web.size()} backends: a test that asks another
     * node than k8s-s must not run before that node's agent has caught up.
     */
    static void importServices(List<String> web) throws Exception {
        env.client("k8s-s").call("service-import", Map.of("yaml", services(web)));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (String node : List.of("k8s-s", "k8s-w1", "k8s-w2")) {
            while (true) {
                try (KernelMap svc = KernelMap.openPinned(env.pins.resolve(node).resolve(ServiceMaps.SERVICES).toString())) {
                    // the cluster IP's three ports and the three node ports on each of the three nodes' addresses
                    List<ServiceMaps.Entry> frontends = ServiceMaps.frontends(Map.of(ServiceMaps.SERVICES, svc)).stream()
                            .filter(e -> e.address().equals(VIP) || e.port() / 1000 == 30 && e.port() != 30090)
                            .toList();
                    if (frontends.size() == 12 && frontends.stream().allMatch(e -> e.backendIds().size() == web.size())) {
                        break;
                    }
                }
                assertThat(System.nanoTime()).as(node + "'s agent writing the services").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    static String field(String body, String name) {
        return body.lines().filter(l -> l.startsWith(name + ": ")).findFirst().orElseThrow().substring(name.length() + 2);
    }

    @Test
    @Order(1)
    void clusterIpSpreadsNewConnectionsOverTheBackendsAndTheyShowTheClientsAddress() {
        Set<String> hosts = new HashSet<>();
        for (int i = 0; i < 45; i++) {
            String body = probe.httpGet("default/client", VIP, 80, "/");
            hosts.add(field(body, "Hostname"));
            assertThat(field(body, "RemoteAddr")).startsWith(CLIENT + ":");
        }
        assertThat(hosts).as("random choices over 45 connections").containsExactlyInAnyOrder("web1", "web2", "web3");
    }

    @Test
    @Order(2)
    void nodePortOnEveryNodesAddress() {
        for (String node : List.of("192.168.10.10", "192.168.10.101", "192.168.10.102")) {
            String body = probe.httpGet("default/client", Ipv4.parse(node), 30080, "/");
            assertThat(BACKENDS).containsKey(field(body, "Hostname"));
        }
    }

    @Test
    @Order(3)
    void udpAndTcpEchoRepliesComeFromTheServiceAddress() throws Exception {
        for (String[] frontend : new String[][] {{"10.96.0.50", "7"}, {"192.168.10.101", "30017"}}) {
            InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(frontend[0]), Integer.parseInt(frontend[1]));
            assertThat(udpEchoFrom(client, to, "ping")).as("the UDP reply's source").isEqualTo(to);
        }
        assertThat(probe.tcpEcho("default/client", VIP, 7, "hello".getBytes(StandardCharsets.US_ASCII)))
                .asString(StandardCharsets.US_ASCII).isEqualTo("hello");
        assertThat(probe.tcpEcho("default/client", Ipv4.parse("192.168.10.102"), 30007, "hi".getBytes(StandardCharsets.US_ASCII)))
                .asString(StandardCharsets.US_ASCII).isEqualTo("hi");
    }

    @Test
    @Order(4)
    void clientIpAffinityKeepsOneBackend() {
        Set<String> hosts = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            hosts.add(field(probe.httpGet("default/client", STICKY, 80, "/"), "Hostname"));
        }
        assertThat(hosts).hasSize(1);
    }

    @Test
    @Order(5)
    void removingABackendKeepsTheConnectionsToTheOthers() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                sockets.add(client.run(() -> {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress(InetAddress.getByName(VIP.toString()), 7), 3000);
                    s.setSoTimeout(3000);
                    return s;
                }));
            }
            for (Socket s : sockets) {
                assertThat(echo(s, "a")).isTrue();
            }
            // which backend each connection got, from k8s-s's service conntrack table
            Map<Integer, String> backendOf = new HashMap<>();
            try (KernelMap ct = KernelMap.openPinned(env.pins.resolve("k8s-s").resolve(ServiceMaps.CONNTRACK).toString());
                    KernelMap be = KernelMap.openPinned(env.pins.resolve("k8s-s").resolve(ServiceMaps.BACKENDS).toString())) {
                Map<String, KernelMap> maps = Map.of(ServiceMaps.CONNTRACK, ct, ServiceMaps.BACKENDS, be);
                Map<Integer, ServiceMaps.BackendEntry> backends = ServiceMaps.backends(maps);
                for (ServiceMaps.Connection c : ServiceMaps.connections(maps)) {
                    if (c.kind() == ServiceMaps.CT_SERVICE && c.destination().equals(VIP) && c.destinationPort() == 7) {
                        backendOf.put(c.sourcePort(), backends.get(c.backendId()).address().toString());
                    }
                }
            }
            Map<String, Integer> perBackend = new HashMap<>();
            for (Socket s : sockets) {
                assertThat(backendOf).containsKey(s.getLocalPort());
                perBackend.merge(backendOf.get(s.getLocalPort()), 1, Integer::sum);
            }
            assertThat(perBackend).containsKey(BACKENDS.get("web3")).hasSize(3);

            importServices(List.of("web1", "web2"));
            int kept = 0;
            int broken = 0;
            for (Socket s : sockets) {
                boolean ok = echo(s, "b");
                if (backendOf.get(s.getLocalPort()).equals(BACKENDS.get("web3"))) {
                    broken += ok ? 0 : 1;
                } else {
                    assertThat(ok).as("a connection to a backend that stays").isTrue();
                    kept++;
                }
            }
            assertThat(kept).isEqualTo(30 - perBackend.get(BACKENDS.get("web3")));
            assertThat(broken).as("connections to the removed backend went elsewhere and were reset")
                    .isEqualTo(perBackend.get(BACKENDS.get("web3")));
            // new connections only go to the two left
            Set<String> hosts = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                hosts.add(field(probe.httpGet("default/client", VIP, 80, "/"), "Hostname"));
            }
            assertThat(hosts).isSubsetOf("web1", "web2");
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
            importServices(List.of("web1", "web2", "web3"));
        }
    }

    @Test
    @Order(6)
    void nodePortsFromOutsideTheCluster() throws Exception {
        // k8s-w1 has web1 itself: it sees the client; web2 and web3 are elsewhere: they see k8s-w1
        Map<String, Set<String>> seen = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            String body = probe.httpGet("outside", Ipv4.parse("192.168.10.101"), 30080, "/");
            seen.computeIfAbsent(field(body, "Hostname"), k -> new HashSet<>())
                    .add(field(body, "RemoteAddr").replaceAll(":\\d+$", ""));
        }
        assertThat(seen).containsOnlyKeys("web1", "web2", "web3");
        assertThat(seen.get("web1")).containsExactly("203.0.113.10");
        assertThat(seen.get("web2")).containsExactly("192.168.10.101");
        assertThat(seen.get("web3")).containsExactly("192.168.10.101");
        // k8s-s has no backend: every connection is forwarded, from its address
        for (int i = 0; i < 5; i++) {
            String body = probe.httpGet("outside", Ipv4.parse("192.168.10.10"), 30080, "/");
            assertThat(field(body, "RemoteAddr")).startsWith("192.168.10.10:");
        }
        // externalTrafficPolicy Local: only the node's own backends, which see the client; none on k8s-s
        Set<String> local = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            String body = probe.httpGet("outside", Ipv4.parse("192.168.10.102"), 30090, "/");
            local.add(field(body, "Hostname"));
            assertThat(field(body, "RemoteAddr")).startsWith("203.0.113.10:");
        }
        assertThat(local).isSubsetOf("web2", "web3");
        assertThat(probe.tcpReaches("outside", Ipv4.parse("192.168.10.10"), 30090)).as("no backend on k8s-s").isFalse();
        // UDP: the echo comes back from the node port
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByName("192.168.10.10"), 30017);
        try (NetNamespace outside = NetNamespace.open(env.lab.namespaceOf("outside"))) {
            assertThat(udpEchoFrom(outside, to, "pong")).isEqualTo(to);
        }
    }

    /** Sends {@code text} over UDP from {@code ns} to {@code to}; checks the echo and returns where it came from. */
    static SocketAddress udpEchoFrom(NetNamespace ns, InetSocketAddress to, String text) {
        return ns.run(() -> {
            try (DatagramChannel ch = DatagramChannel.open()) {
                ch.socket().setSoTimeout(3000);
                ch.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), to);
                byte[] buf = new byte[64];
                java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
                ch.socket().receive(p);
                assertThat(new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII)).isEqualTo(text);
                return p.getSocketAddress();
            }
        });
    }

    /** Whether {@code s} echoes {@code text} back. */
    static boolean echo(Socket s, String text) {
        try {
            s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[text.length()];
            int got = 0;
            while (got < buf.length) {
                int n = in.read(buf, got, buf.length - got);
                if (n < 0) {
                    return false;
                }
                got += n;
            }
            return new String(buf, StandardCharsets.US_ASCII).equals(text);
        } catch (IOException e) {
            return false;
        }
    }
}
