package io.jbpf.netpolicy.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.netns.NetNamespace;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.netpolicy.health.ClusterHealth;
import io.jbpf.netpolicy.health.HealthOptions;
import io.jbpf.netpolicy.health.HealthReport;
import io.jbpf.netpolicy.health.NodeHealth;
import io.jbpf.netpolicy.lab.ExecResult;
import io.jbpf.netpolicy.lab.LabNames;
import io.jbpf.netpolicy.lab.LabSpec;
import io.jbpf.netpolicy.lab.NodeSpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cluster health over the default lab with an agent per node: every node's agent probes every
 * node's address and health endpoint from its node's namespace; {@code status} counts the nodes
 * that answered on both. A health endpoint whose interface goes down is reported unreachable by
 * every node and reachable again once its interface and routes are back; the responders answer
 * {@code /hello} only, also to a pod, while another client holds a connection without a request; a stopped agent leaves
 * no responder behind (its port refuses, its threads are gone) and a new one takes the ports again.
 */
@KernelTest
class ClusterHealthLabTest {
    /** Probes every 200 ms, each at most a second: a change shows within about a second. */
    static final HealthOptions FAST = new HealthOptions(Duration.ofMillis(200), Duration.ofSeconds(1));
    static final Pattern LINE = Pattern.compile("Cluster health:\\s+(\\d+)/(\\d+) reachable\\s+\\((\\S+)\\)");

    static LabAgents env;

    @BeforeAll
    static void up() {
        env = LabAgents.up("hl", LabSpec.defaultSpec(), Duration.ofSeconds(2));
        env.agents.values().forEach(a -> a.health().options(FAST));
    }

    @AfterAll
    static void down() {
        if (env != null) {
            env.close();
        }
    }

    /** The status of {@code node}'s agent once {@code ok} holds for it (10 seconds at most). */
    static String awaitStatus(String node, Predicate<String> ok) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String status = "";
        while (System.nanoTime() < deadline) {
            status = env.client(node).call("status", java.util.Map.of("verbose", true));
            if (ok.test(status)) {
                return status;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the status of " + node + " never as expected:\n" + status);
    }

    static Predicate<String> reachable(int n) {
        return s -> {
            Matcher m = LINE.matcher(s);
            return m.find() && Integer.parseInt(m.group(1)) == n && m.group(2).equals("3");
        };
    }

    /** The verbose table's row of {@code node}. */
    static String row(String status, String node) {
        return status.lines().filter(l -> l.startsWith("  " + node + " ") || l.equals("  " + node))
                .findFirst().orElseThrow(() -> new AssertionError("no row of " + node + " in:\n" + status));
    }

    static ExecResult ip(String member, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        ExecResult r = env.lab.exec(member, Duration.ofSeconds(10), cmd);
        assertThat(r.ok()).as("%s in %s: %s", cmd, member, r.output()).isTrue();
        return r;
    }

    @Test
    void everyNodeSeesEveryNodeThenOneHealthEndpointFailsAndRecovers() throws Exception {
        NodeSpec w2 = env.lab.spec().node("k8s-w2").orElseThrow();
        String member = w2.name() + "-health";

        // all three reachable, seen from every node, with a latency and the time of the round
        awaitStatus("k8s-s", reachable(3));
        assertThat(env.client("k8s-s").call("status")).containsPattern("Cluster health:\\s+3/3 reachable   \\(")
                .doesNotContain("Endpoints");
        for (String node : env.agents.keySet()) {
            String status = awaitStatus(node, reachable(3));
            for (NodeSpec n : env.lab.spec().nodes()) {
                assertThat(row(status, n.name() + (n.name().equals(node) ? " (localhost)" : "")))
                        .contains(n.ip().toString()).containsPattern("reachable \\d+\\.\\d{3}ms\\s+reachable \\d+\\.\\d{3}ms");
            }
        }
        HealthReport report = env.agents.get("k8s-s").health().report().orElseThrow();
        assertThat(report.nodes()).extracting(NodeHealth::node).containsExactly("k8s-s", "k8s-w1", "k8s-w2");
        for (NodeHealth n : report.nodes()) {
            assertThat(n.host().latency()).isPositive().isLessThan(FAST.timeout());
            assertThat(n.endpoint().address()).isEqualTo(env.lab.spec().node(n.node()).orElseThrow().healthIp());
            assertThat(n.endpoint().port()).isEqualTo(ClusterHealth.PORT);
        }
        assertThat(env.client("k8s-w1").call("health")).startsWith("Probe time:   ")
                .contains("  k8s-w1 (localhost):\n    Host connectivity to 192.168.10.101:\n      HTTP to agent:   OK, RTT=")
                .contains("    Endpoint connectivity to " + w2.healthIp() + ":\n      HTTP to agent:   OK, RTT=");

        // the responders answer a pod too, /hello only, and a client that sends nothing holds up nobody
        NodeSpec s = env.lab.spec().node("k8s-s").orElseThrow();
        try (NetNamespace pod = NetNamespace.open(env.lab.namespaceOf("netpod"));
                SocketChannel idle = pod.run(() -> SocketChannel.open(
                        new InetSocketAddress(InetAddress.getByAddress(s.ip().bytes()), ClusterHealth.PORT)))) {
            assertThat(idle.isConnected()).isTrue();
            assertThat(env.probe.httpGet("netpod", s.ip(), ClusterHealth.PORT, "/hello")).isEqualTo("k8s-s\n");
            assertThat(env.probe.httpGet("netpod", w2.healthIp(), ClusterHealth.PORT, "/hello")).isEqualTo("k8s-w2-health\n");
        }
        assertThatThrownBy(() -> env.probe.httpGet("netpod", s.ip(), ClusterHealth.PORT, "/metrics"))
                .hasMessageContaining("404");

        // k8s-w2's health endpoint loses its interface: every node, k8s-w2 itself too, sees it unreachable
        ip(member, "link", "set", LabNames.POD_IF, "down");
        try {
            for (String node : env.agents.keySet()) {
                String status = awaitStatus(node, reachable(2));
                assertThat(row(status, "k8s-w2")).containsPattern("reachable \\d+\\.\\d{3}ms\\s+unreachable \\(");
                assertThat(row(status, "k8s-w1")).doesNotContain("unreachable");
            }
            // without --verbose: the unreachable node's row only
            String brief = env.client("k8s-s").call("status");
            assertThat(brief).containsPattern("Cluster health:\\s+2/3 reachable");
            assertThat(row(brief, "k8s-w2")).contains("unreachable (");
            assertThat(brief).doesNotContain("  k8s-w1 ").doesNotContain("(localhost)");
            assertThat(env.client("k8s-s").call("health"))
                    .containsPattern("Endpoint connectivity to " + w2.healthIp().toString().replace(".", "\\.")
                            + ":\n      HTTP to agent:   Failed: .+ \\(port 4240\\)");
        } finally {
            // up again: the routes the interface lost with it come back too
            ip(member, "link", "set", LabNames.POD_IF, "up");
            ip(member, "route", "replace", w2.routerIp() + "/32", "dev", LabNames.POD_IF, "scope", "link");
            ip(member, "route", "replace", "default", "via", w2.routerIp().toString(), "dev", LabNames.POD_IF);
        }
        for (String node : env.agents.keySet()) {
            awaitStatus(node, reachable(3));
        }

        // k8s-w1's agent stops: its responders close (the port refuses), its health threads end
        env.agents.remove("k8s-w1").close();
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(t -> t.startsWith("jbpf-health-") && t.contains("k8s-w1"));
        String status = awaitStatus("k8s-s", reachable(2));
        assertThat(row(status, "k8s-w1")).contains("unreachable (connection refused)   unreachable (connection refused)");
        // a new agent binds the same addresses again
        env.agents.put("k8s-w1", Agent.start(env.lab.spec(), env.config("k8s-w1")));
        env.agents.get("k8s-w1").health().options(FAST);
        awaitStatus("k8s-s", reachable(3));
        awaitStatus("k8s-w1", reachable(3));
    }
}
