package io.jbpf.netpolicy.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.testing.KernelTest;
import io.jbpf.netpolicy.datapath.NodeDatapath;
import io.jbpf.netpolicy.lab.Ipv4;
import io.jbpf.netpolicy.lab.Lab;
import io.jbpf.netpolicy.lab.LabConnectivity;
import io.jbpf.netpolicy.lab.LabException;
import io.jbpf.netpolicy.lab.LabProbe;
import io.jbpf.netpolicy.lab.LabSpec;
import io.jbpf.netpolicy.lab.NodeSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three agents (in this process) over the default lab: endpoints, a policy imported through one
 * agent's socket applied on every node, an invalid policy refused whole, a second agent for a node
 * refused, a stopped agent's datapath still enforcing, a restarted agent restoring its endpoints.
 */
@KernelTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentLabTest {
    static final String NAME = "a" + ProcessHandle.current().pid();
    static final Path PINS = Path.of("/sys/fs/bpf/jbpf-lab-" + NAME);
    static final Ipv4 WEBPOD1 = Ipv4.parse("172.16.1.10");
    static final String DEMO = String.join("\n",
            "apiVersion: networking.k8s.io/v1",
            "kind: NetworkPolicy",
            "metadata: {name: demo, namespace: default}",
            "spec:",
            "  podSelector: {matchLabels: {app: webpod}}",
            "  ingress:",
            "  - from: [{podSelector: {matchLabels: {app: netpod}}}]",
            "    ports: [{port: 80}]");

    static Lab lab;
    static LabProbe probe;
    static final Map<String, Agent> agents = new LinkedHashMap<>();

    static AgentConfig config(String node) {
        return new AgentConfig(node, lab.stateDir().resolve("cluster"), PINS.resolve(node));
    }

    @BeforeAll
    static void up() {
        lab = Lab.up(LabSpec.defaultSpec().withName(NAME));
        probe = new LabProbe(lab, Duration.ofSeconds(2));
        for (NodeSpec n : lab.spec().nodes()) {
            agents.put(n.name(), Agent.start(lab.spec(), config(n.name())));
        }
    }

    @AfterAll
    static void down() {
        try {
            agents.values().forEach(Agent::close);
        } finally {
            try {
                for (NodeSpec n : LabSpec.defaultSpec().nodes()) {
                    NodeDatapath.remove(PINS.resolve(n.name()));
                }
                NodeDatapath.remove(PINS);
            } finally {
                Lab.down(NAME);
            }
        }
    }

    static AgentClient client(String node) {
        return new AgentClient(config(node).socket());
    }

    static void awaitRevision(long revision) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (agents.values().stream().anyMatch(a -> a.appliedRevision() < revision)) {
            assertThat(System.nanoTime()).as("agents applying revision %d", revision).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    static String echo() {
        return new String(probe.tcpEcho("netpod", WEBPOD1, 7, "hi".getBytes()), StandardCharsets.UTF_8);
    }

    @Test
    @Order(1)
    void agentsListTheirEndpointsAndStatus() {
        String list = client("k8s-w1").call("endpoint-list");
        assertThat(list).startsWith("ENDPOINT").contains("172.16.1.10").contains("k8s:app=webpod").contains("ready")
                .doesNotContain("172.16.0.10");
        assertThat(list.lines().filter(l -> l.contains("172.16.1.10")).findFirst().orElseThrow()).contains("Disabled");
        assertThat(client("k8s-s").call("status")).contains("Routing:").contains("Native").contains("Policy revision:");
        assertThat(client("k8s-s").call("identity-list")).contains("reserved:host").contains("k8s:app=netpod");
        assertThat(client("k8s-w2").call("bpf-ipcache-list")).contains("172.16.1.10/32").contains("192.168.10.101/32");
        // the endpoint map holds the pod's MAC and its host side's, as ip shows them
        io.jbpf.netpolicy.lab.PodSpec webpod1 = lab.spec().pod("webpod1").orElseThrow();
        String podMac = macOf(lab.namespaceOf("webpod1"), io.jbpf.netpolicy.lab.LabNames.POD_IF);
        String lxcMac = macOf(lab.namespaceOf("k8s-w1"), io.jbpf.netpolicy.lab.LabNames.lxc(webpod1));
        assertThat(client("k8s-w1").call("bpf-endpoint-list").lines().filter(l -> l.startsWith("172.16.1.10:"))
                .findFirst().orElseThrow()).contains("mac=" + podMac + " nodemac=" + lxcMac);
        assertThat(podMac).isNotEqualTo("00:00:00:00:00:00").isNotEqualTo(lxcMac);
        assertThat(echo()).isEqualTo("hi");
    }

    /** The MAC of {@code ifname} in {@code netns}, from {@code ip -o link}, upper case. */
    static String macOf(String netns, String ifname) {
        try {
            Process p = new ProcessBuilder("ip", "-n", netns, "-o", "link", "show", "dev", ifname).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(out).isZero();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("link/ether ([0-9a-f:]{17})").matcher(out);
            assertThat(m.find()).as(out).isTrue();
            return m.group(1).toUpperCase(java.util.Locale.ROOT);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(2)
    void aPolicyImportedOnOneNodeIsEnforcedOnAll() throws Exception {
        String answer = client("k8s-s").call("policy-import", Map.of("yaml", DEMO));
        assertThat(answer).startsWith("Revision: 1");
        awaitRevision(1);
        assertThat(probe.httpGet("netpod", WEBPOD1, 80, "/")).contains("Hostname: webpod1");
        assertThatThrownBy(AgentLabTest::echo).isInstanceOf(LabException.class);
        assertThatThrownBy(() -> probe.httpGet("webpod2", WEBPOD1, 80, "/")).isInstanceOf(LabException.class);
        String list = client("k8s-w1").call("endpoint-list");
        assertThat(list.lines().filter(l -> l.contains("172.16.1.10")).findFirst().orElseThrow()).contains("Enabled");
        String ep = list.lines().filter(l -> l.contains("172.16.1.10")).findFirst().orElseThrow().strip().split("\\s+")[0];
        assertThat(client("k8s-w1").call("bpf-policy-get", Map.of("endpoint", Integer.parseInt(ep))))
                .contains("Allow").contains("Ingress").contains("80/TCP").contains("k8s:app=netpod");
        assertThat(client("k8s-w2").call("policy-get")).contains("default/demo").contains("Revision: 1");
        List<LabConnectivity.Attempt> matrix = LabConnectivity.probe(lab, Duration.ofSeconds(1));
        assertThat(matrix).hasSize(12);
        assertThat(matrix).filteredOn(LabConnectivity.Attempt::reachable).extracting(a -> a.from() + ">" + a.to() + ":" + a.port()
                + "/" + a.protocol()).containsExactlyInAnyOrder("default/netpod>default/webpod1:80/TCP",
                "default/netpod>default/webpod2:80/TCP");
        assertThat(LabConnectivity.matrices(lab, matrix)).contains("7/UDP").contains("80/TCP");
        AgentClient.Observed drops = client("k8s-w1").observe(0, 50, Map.of("verdict", "DROPPED", "port", 7));
        assertThat(drops.flows()).isNotEmpty();
        assertThat(drops.flows().get(0).compact()).contains("default/netpod:").contains("<> default/webpod1:7")
                .contains("Policy denied DROPPED").contains("TCP Flags: SYN");
        assertThat(drops.flows().get(0).json()).contains("\"drop_reason\":133").contains("\"traffic_direction\":\"INGRESS\"");
        AgentClient.Observed allowed = client("k8s-w1").observe(0, 50, Map.of("verdict", "FORWARDED", "pod", "webpod1"));
        assertThat(allowed.flows()).anySatisfy(f -> assertThat(f.compact())
                .contains("-> default/webpod1:80").contains("policy-verdict:L3-L4 INGRESS ALLOWED"));
    }

    @Test
    @Order(3)
    void anInvalidPolicyIsRefusedWholeAndASecondAgentForANodeToo() {
        String bad = DEMO + "\n---\n" + DEMO.replace("name: demo", "name: other").replace("port: 80", "port: 99999");
        assertThatThrownBy(() -> client("k8s-s").call("policy-import", Map.of("yaml", bad)))
                .isInstanceOf(AgentException.class).hasMessageContaining("spec.ingress[0].ports[0].port")
                .hasMessageContaining("99999");
        assertThat(agents.get("k8s-s").policies().revision()).isEqualTo(1);
        assertThat(agents.get("k8s-s").policies().names()).containsExactly("default/demo");
        assertThatThrownBy(() -> Agent.start(lab.spec(), config("k8s-w1"))).isInstanceOf(AgentException.class)
                .hasMessageContaining("another agent");
        assertThatThrownBy(() -> Agent.start(lab.spec(), config("k8s-w9"))).isInstanceOf(AgentException.class)
                .hasMessageContaining("no node 'k8s-w9'");
    }

    @Test
    @Order(4)
    void aStoppedAgentLeavesThePolicyInForceAndARestartedOneRestores() throws Exception {
        agents.remove("k8s-w1").close();
        assertThat(probe.httpGet("netpod", WEBPOD1, 80, "/")).contains("Hostname: webpod1");
        assertThatThrownBy(AgentLabTest::echo).as("policy still enforced without the agent").isInstanceOf(LabException.class);
        assertThatThrownBy(() -> client("k8s-w1").call("status")).isInstanceOf(AgentException.class)
                .hasMessageContaining("no agent");
        agents.put("k8s-w1", Agent.start(lab.spec(), config("k8s-w1")));
        assertThat(client("k8s-w1").call("endpoint-list")).contains("restored");
        client("k8s-w2").call("policy-delete", Map.of("name", "demo"));
        awaitRevision(2);
        assertThat(echo()).isEqualTo("hi");
    }

    @Test
    @Order(5)
    void changingLabelsReEvaluatesPolicyWithoutReimportingIt() throws Exception {
        long rev = Long.parseLong(client("k8s-s").call("policy-import", Map.of("yaml", DEMO)).strip().substring(10));
        awaitRevision(rev);
        assertThatThrownBy(() -> probe.httpGet("webpod2", WEBPOD1, 80, "/")).isInstanceOf(LabException.class);
        String answer = client("k8s-w2").call("label", Map.of("kind", "pod", "name", "webpod2", "namespace", "default",
                "set", Map.of("app", "netpod"), "remove", List.of()));
        awaitRevision(Long.parseLong(answer.strip().substring(10)));
        assertThat(probe.httpGet("webpod2", WEBPOD1, 80, "/")).contains("Hostname: webpod1");
        assertThat(client("k8s-w2").call("endpoint-list")).contains("k8s:app=netpod");
        answer = client("k8s-s").call("label", Map.of("kind", "pod", "name", "webpod2", "namespace", "default",
                "set", Map.of("app", "webpod"), "remove", List.of()));
        awaitRevision(Long.parseLong(answer.strip().substring(10)));
        assertThatThrownBy(() -> probe.httpGet("webpod2", WEBPOD1, 80, "/")).isInstanceOf(LabException.class);
        assertThatThrownBy(() -> client("k8s-s").call("label", Map.of("kind", "pod", "name", "nobody", "namespace", "default",
                "set", Map.of("a", "b"), "remove", List.of()))).isInstanceOf(AgentException.class).hasMessageContaining("no pod");
        assertThatThrownBy(() -> client("k8s-s").call("label", Map.of("kind", "pod", "name", "webpod2", "namespace", "default",
                "set", Map.of("bad key", "b"), "remove", List.of()))).isInstanceOf(AgentException.class)
                .hasMessageContaining("not a valid label key");
    }

    @Test
    @Order(6)
    void repliesOfAllowedConnectionsPassADefaultDenyAndNewOnesDoNot() throws Exception {
        String denyIngress = String.join("\n",
                "apiVersion: networking.k8s.io/v1",
                "kind: NetworkPolicy",
                "metadata: {name: netpod-closed, namespace: default}",
                "spec:",
                "  podSelector: {matchLabels: {app: netpod}}",
                "  policyTypes: [Ingress, Egress]",
                "  egress:",
                "  - to: [{podSelector: {matchLabels: {app: webpod}}}]");
        client("k8s-s").call("policy-delete", Map.of("name", "demo"));
        long rev = Long.parseLong(client("k8s-s").call("policy-import", Map.of("yaml", denyIngress)).strip().substring(10));
        awaitRevision(rev);
        assertThat(probe.httpGet("netpod", WEBPOD1, 80, "/")).as("the replies are tracked").contains("Hostname: webpod1");
        assertThat(lab.exec("netpod", "ping", "-c", "1", "-W", "2", "172.16.1.10").exitCode()).isZero();
        assertThat(lab.exec("webpod1", "ping", "-c", "1", "-W", "1", "172.16.0.10").exitCode()).as("new ingress").isNotZero();
        assertThat(lab.exec("netpod", "ping", "-c", "1", "-W", "1", "203.0.113.10").exitCode()).as("egress only to webpods")
                .isNotZero();
        assertThat(client("k8s-s").call("bpf-ct-list")).contains("172.16.0.10").contains("172.16.1.10");
        client("k8s-s").call("policy-delete", Map.of("name", "netpod-closed"));
    }
}
