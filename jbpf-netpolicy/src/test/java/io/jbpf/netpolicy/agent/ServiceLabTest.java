package io.jbpf.netpolicy.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.netpolicy.lab.Ipv4;
import io.jbpf.netpolicy.lab.LabSpec;
import io.jbpf.netpolicy.lab.NodeSpec;
import io.jbpf.netpolicy.service.LoadBalancing;
import io.jbpf.netpolicy.service.ServiceMaps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Services through the agents in the default lab: a NodePort service with the three pods as
 * backends, imported on one node's socket, reaches every node's pinned service maps (the cluster IP,
 * and the node port on each node's address); re-importing its slice with one backend gone and one
 * terminating shrinks every frontend to the active one while the terminating one stays in the
 * backend map; an agent restarted with Maglev rewrites its frontends for it; a stored file that no
 * longer reads is reported by every agent (status, controllers) and the maps keep their state until
 * it is fixed; deleting the service empties the maps. No traffic: the maps only.
 */
@KernelTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceLabTest {
    static final Ipv4 CLUSTER_IP = Ipv4.parse("10.96.0.50");
    static final int NODE_PORT = 30080;
    static final String SERVICE = String.join("\n", "apiVersion: v1", "kind: Service",
            "metadata: {name: web, namespace: default}", "spec:", "  type: NodePort", "  clusterIP: 10.96.0.50",
            "  ports: [{name: http, protocol: TCP, port: 80, targetPort: 80, nodePort: 30080}]", "");

    static LabAgents env;
    static Ipv4 netpod;
    static Ipv4 webpod1;
    static Ipv4 webpod2;

    @BeforeAll
    static void up() {
        env = LabAgents.up("s", LabSpec.defaultSpec(), Duration.ofSeconds(2));
        netpod = env.lab.spec().pod("default/netpod").orElseThrow().ip();
        webpod1 = env.lab.spec().pod("default/webpod1").orElseThrow().ip();
        webpod2 = env.lab.spec().pod("default/webpod2").orElseThrow().ip();
    }

    @AfterAll
    static void down() {
        if (env != null) {
            env.close();
        }
    }

    /** The slice of service web: {@code ip@node}, a trailing {@code !} for a terminating one. */
    static String slice(String... backends) {
        StringBuilder b = new StringBuilder(String.join("\n", "apiVersion: discovery.k8s.io/v1", "kind: EndpointSlice",
                "metadata: {name: web-1, namespace: default, labels: {kubernetes.io/service-name: web}}",
                "addressType: IPv4", "ports: [{name: http, protocol: TCP, port: 80}]", "endpoints:"));
        for (String be : backends) {
            boolean terminating = be.endsWith("!");
            String[] ipNode = be.replace("!", "").split("@");
            b.append("\n- addresses: [\"").append(ipNode[0]).append("\"]\n  nodeName: ").append(ipNode[1])
                    .append("\n  conditions: {ready: ").append(!terminating).append(", serving: true, terminating: ")
                    .append(terminating).append("}");
        }
        return b.append('\n').toString();
    }

    /** A node's frontends and backends as its pinned maps hold them (read with fds of the test's own). */
    record Pinned(List<ServiceMaps.Entry> frontends, Map<Integer, ServiceMaps.BackendEntry> backends,
            Map<Integer, int[]> maglev) {}

    static Pinned pinned(String node) {
        Map<String, KernelMap> maps = new HashMap<>();
        try {
            for (String name : List.of(ServiceMaps.SERVICES, ServiceMaps.BACKENDS, ServiceMaps.MAGLEV)) {
                maps.put(name, KernelMap.openPinned(env.pins.resolve(node).resolve(name).toString()));
            }
            List<ServiceMaps.Entry> fes = ServiceMaps.frontends(maps);
            Map<Integer, int[]> maglev = new HashMap<>();
            fes.forEach(e -> ServiceMaps.maglevTable(maps, e.revNatIndex()).ifPresent(t -> maglev.put(e.revNatIndex(), t)));
            return new Pinned(fes, ServiceMaps.backends(maps), maglev);
        } finally {
            maps.values().forEach(KernelMap::close);
        }
    }

    static void awaitServiceRevision(long revision) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (Agent a : env.agents.values()) {
            while (a.appliedServiceRevision() < revision) {
                assertThat(System.nanoTime()).as(a.node().name() + " applying service revision " + revision + ": "
                        + a.serviceError()).isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(a.serviceError()).isEmpty();
        }
    }

    /** Where each frontend's slots lead: {@code address:port} to the backends' {@code address:port}. */
    static Map<String, Set<String>> slotTargets(Pinned p) {
        Map<String, Set<String>> out = new HashMap<>();
        for (ServiceMaps.Entry e : p.frontends()) {
            out.put(e.address() + ":" + e.port(), e.backendIds().stream()
                    .map(id -> p.backends().get(id).address() + ":" + p.backends().get(id).port()).collect(Collectors.toSet()));
        }
        return out;
    }

    static Map<String, Set<String>> expected(Ipv4... backends) {
        Set<String> bes = java.util.Arrays.stream(backends).map(b -> b + ":80").collect(Collectors.toSet());
        Map<String, Set<String>> out = new HashMap<>();
        out.put(CLUSTER_IP + ":80", bes);
        for (NodeSpec n : env.lab.spec().nodes()) {
            out.put(n.ip() + ":" + NODE_PORT, bes);
        }
        return out;
    }

    static List<String> backendLines(String list) {
        List<String> out = new ArrayList<>();
        list.lines().filter(l -> l.contains(" => ")).forEach(l -> out.add(l.substring(l.indexOf(" => ") + 4).strip()));
        return out;
    }

    @Test
    @Order(1)
    void anImportedServiceIsOnEveryNodeWithItsNodePortOnEveryAddress() throws Exception {
        String answer = env.client("k8s-s").call("service-import", Map.of("yaml", SERVICE + "---\n"
                + slice(netpod + "@k8s-s", webpod1 + "@k8s-w1", webpod2 + "@k8s-w2")));
        assertThat(answer).isEqualTo("Revision: 1\n");
        awaitServiceRevision(1);
        for (NodeSpec n : env.lab.spec().nodes()) {
            Pinned p = pinned(n.name());
            assertThat(slotTargets(p)).as(n.name()).isEqualTo(expected(netpod, webpod1, webpod2));
            for (ServiceMaps.Entry e : p.frontends()) {
                boolean nodePort = e.port() == NODE_PORT;
                assertThat(e.flags() & ServiceMaps.SERVICE_NODE_PORT).isEqualTo(nodePort ? ServiceMaps.SERVICE_NODE_PORT : 0);
                assertThat(e.flags2()).isZero(); // random
                assertThat(e.protocol()).isEqualTo(6);
            }
            assertThat(p.backends().values()).allMatch(b -> !b.terminating()).hasSize(3);
            String list = env.client(n.name()).call("service-list");
            assertThat(list.lines().findFirst().orElseThrow()).matches("ID +Frontend +Service Type +Backend");
            assertThat(list).containsPattern("\\d+ +10\\.96\\.0\\.50:80/TCP +ClusterIP +1 => ")
                    .containsPattern("\\d+ +" + n.ip().toString().replace(".", "\\.") + ":30080/TCP +NodePort +1 => ");
            assertThat(backendLines(list)).hasSize(12).allMatch(l -> l.endsWith("/TCP (active)"))
                    .contains(netpod + ":80/TCP (active)", webpod1 + ":80/TCP (active)", webpod2 + ":80/TCP (active)");
            assertThat(env.client(n.name()).call("status")).contains("KubeProxyReplacement:   True   [eth0 " + n.ip()
                    + "] (algorithm random, 1 services, revision 1)").contains("Controllers:            3/3 healthy");
            assertThat(env.client(n.name()).call("bpf-lb-list")).contains("10.96.0.50:80/TCP (0)")
                    .contains("10.96.0.50:80/TCP (3)").contains("[ClusterIP]").contains("[NodePort]");
        }
    }

    @Test
    @Order(2)
    void aScaledDownSliceShrinksEveryFrontendAndKeepsTheTerminatingBackend() throws Exception {
        String answer = env.client("k8s-w1").call("service-import", Map.of("yaml", slice(netpod + "@k8s-s!",
                webpod1 + "@k8s-w1")));
        assertThat(answer).isEqualTo("Revision: 2\n");
        awaitServiceRevision(2);
        for (NodeSpec n : env.lab.spec().nodes()) {
            Pinned p = pinned(n.name());
            assertThat(slotTargets(p)).as(n.name()).isEqualTo(expected(webpod1));
            assertThat(p.backends().values()).extracting(b -> b.address() + " " + b.terminating())
                    .containsExactlyInAnyOrder(webpod1 + " false", netpod + " true");
            String list = env.client(n.name()).call("service-list");
            assertThat(backendLines(list)).hasSize(8).doesNotContain(webpod2 + ":80/TCP (active)")
                    .filteredOn(l -> l.contains("(terminating)")).hasSize(4)
                    .allMatch(l -> l.equals(netpod + ":80/TCP (terminating)"));
            assertThat(list).doesNotContain(webpod2.toString())
                    .containsPattern("(?m)^ +2 => " + netpod.toString().replace(".", "\\.") + ":80/TCP \\(terminating\\)$");
        }
        // an invalid import is refused with its reason and changes nothing
        assertThatThrownBy(() -> env.client("k8s-w2").call("service-import", Map.of("yaml",
                SERVICE.replace("nodePort: 30080", "nodePort: 40000"))))
                .isInstanceOf(AgentException.class).hasMessageContaining("invalid service:").hasMessageContaining("nodePort");
        assertThat(env.agents.get("k8s-w2").services().revision()).isEqualTo(2);
    }

    @Test
    @Order(3)
    void aRestartedAgentRewritesItsMapsForMaglev() throws Exception {
        Agent old = env.agents.remove("k8s-w2");
        old.close();
        LoadBalancing maglev = new LoadBalancing(LoadBalancing.Algorithm.MAGLEV, LoadBalancing.DEFAULTS.maglevTableSize());
        env.agents.put("k8s-w2", Agent.start(env.lab.spec(), env.config("k8s-w2").withLoadBalancing(maglev)));
        awaitServiceRevision(2);
        Pinned p = pinned("k8s-w2");
        assertThat(slotTargets(p)).isEqualTo(expected(webpod1));
        int webpod1Id = p.backends().values().stream().filter(b -> b.address().equals(webpod1)).findFirst().orElseThrow().id();
        for (ServiceMaps.Entry e : p.frontends()) {
            assertThat(e.flags2()).isEqualTo(ServiceMaps.SERVICE2_MAGLEV);
            assertThat(p.maglev().get(e.revNatIndex())).hasSize(maglev.maglevTableSize()).containsOnly(webpod1Id);
        }
        assertThat(env.client("k8s-w2").call("status")).contains("(algorithm maglev table size 1021, 1 services, revision 2)");
        assertThat(pinned("k8s-w1").frontends()).allMatch(e -> e.flags2() == 0);
    }

    @Test
    @Order(4)
    void aStoreThatNoLongerReadsIsReportedAndTheWatcherRecovers() throws Exception {
        Path dir = env.config("k8s-s").services();
        Path file = dir.resolve("service_default_web.yaml");
        String good = Files.readString(file);
        Files.writeString(file, good.replace("clusterIP: 10.96.0.50", "clusterIP: 10.96.0.500"));
        Files.writeString(dir.resolve("revision"), "10");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (Agent a : env.agents.values()) {
            while (a.serviceError().isEmpty()) {
                assertThat(System.nanoTime()).as(a.node().name() + " reporting the failed sync").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(a.serviceError()).contains("10.96.0.500");
            assertThat(a.appliedServiceRevision()).isEqualTo(2);
            assertThat(env.client(a.node().name()).call("status")).contains("Controllers:            2/3 healthy (service-sync: ")
                    .contains("revision 2)");
            // the maps keep what they held
            assertThat(slotTargets(pinned(a.node().name()))).isEqualTo(expected(webpod1));
        }
        Files.writeString(file, good);
        Files.writeString(dir.resolve("revision"), "11");
        awaitServiceRevision(11);
    }

    @Test
    @Order(5)
    void aDeletedServiceLeavesNoFrontendOrBackend() throws Exception {
        assertThat(env.client("k8s-w2").call("service-delete", Map.of("name", "default/web"))).isEqualTo("Revision: 12\n");
        awaitServiceRevision(12);
        for (NodeSpec n : env.lab.spec().nodes()) {
            Pinned p = pinned(n.name());
            assertThat(p.frontends()).as(n.name()).isEmpty();
            assertThat(p.backends()).isEmpty();
            assertThat(p.maglev()).isEmpty();
            assertThat(env.client(n.name()).call("service-list").lines().count()).isEqualTo(1);
        }
        assertThatThrownBy(() -> env.client("k8s-s").call("service-delete", Map.of("name", "web")))
                .isInstanceOf(AgentException.class).hasMessageContaining("no service named 'web'");
    }
}
