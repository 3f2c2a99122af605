package io.jbpf.netpolicy.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.testing.KernelTest;
import io.jbpf.netpolicy.lab.Ipv4;
import io.jbpf.netpolicy.lab.Lab;
import io.jbpf.netpolicy.lab.LabProbe;
import io.jbpf.netpolicy.lab.LabSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.DoublePredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agents' Prometheus endpoints in the default lab, scraped from a pod over the lab's network:
 * after a policy drop, an allowed connection and a connection attempt to the outside host, the
 * Hubble families count them with Hubble's labels, and the agent's own gauges (endpoints, policies,
 * identities, map pressure) read the node's state.
 */
@KernelTest
class AgentMetricsLabTest {
    static final Ipv4 WEBPOD1 = Ipv4.parse("172.16.1.10");
    static final Ipv4 OUTSIDE = Ipv4.parse("203.0.113.10");
    static final String DEMO = String.join("\n",
            "apiVersion: networking.k8s.io/v1",
            "kind: NetworkPolicy",
            "metadata: {name: demo, namespace: default}",
            "spec:",
            "  podSelector: {matchLabels: {app: webpod}}",
            "  ingress:",
            "  - from: [{podSelector: {matchLabels: {app: netpod}}}]",
            "    ports: [{port: 80}]");

    static LabAgents env;
    static Map<String, Agent> agents;
    static LabProbe probe;
    static Lab lab;

    static AgentConfig config(String node) {
        return env.config(node);
    }

    @BeforeAll
    static void up() {
        env = LabAgents.up("p", LabSpec.defaultSpec(), Duration.ofSeconds(2));
        agents = env.agents;
        probe = env.probe;
        lab = env.lab;
    }

    @AfterAll
    static void down() {
        if (env != null) {
            env.close();
        }
    }

    static String scrape(String from, String node) {
        Ipv4 ip = lab.spec().node(node).orElseThrow().ip();
        return probe.httpGet(from, ip, AgentMetrics.PORT, "/metrics");
    }

    /** The value of the sample of {@code name} whose labels include every {@code key="value"} given. */
    static OptionalDouble value(String text, String name, String... labels) {
        return text.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> Arrays.stream(labels).allMatch(kv -> l.contains(kv.replaceFirst("=(.*)", "=\"$1\""))))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst();
    }

    static void awaitMetric(String from, String node, String name, DoublePredicate ok, String... labels)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String text = "";
        while (System.nanoTime() < deadline) {
            text = scrape(from, node);
            OptionalDouble v = value(text, name, labels);
            if (v.isPresent() && ok.test(v.getAsDouble())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " " + Arrays.toString(labels) + " never as expected on " + node + ":\n" + text);
    }

    @Test
    void hubbleAndAgentMetricsCountWhatHappened() throws Exception {
        new AgentClient(config("k8s-s").socket()).call("policy-import", Map.of("yaml", DEMO));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (agents.values().stream().anyMatch(a -> a.appliedRevision() < 1)) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(50);
        }
        // before any traffic: no drop counted, the agent's gauges already there
        String before = scrape("netpod", "k8s-w1");
        assertThat(value(before, "hubble_drop_total", "reason=POLICY_DENIED")).isEmpty();
        assertThat(value(before, "cilium_policy")).hasValue(1.0);
        assertThat(value(before, "cilium_endpoint_state", "endpoint_state=ready")).hasValue(1.0);
        assertThat(value(before, "cilium_identity", "type=reserved").orElse(0)).isGreaterThan(0);
        assertThat(value(before, "cilium_bpf_map_pressure", "map_name=jbpf_policy").orElse(-1))
                .isGreaterThan(0).isLessThan(AgentMetrics.PRESSURE_WARNING);
        assertThat(value(before, "cilium_bpf_map_pressure", "map_name=jbpf_ct")).isPresent();
        assertThat(value(before, "cilium_bpf_map_pressure", "map_name=nat_rev")).isPresent();

        // a drop: webpod2 may not reach webpod1
        assertThat(probe.tcpReaches("webpod2", WEBPOD1, 80)).isFalse();
        awaitMetric("netpod", "k8s-w1", "hubble_drop_total", v -> v >= 1, "reason=POLICY_DENIED", "protocol=TCP");
        awaitMetric("netpod", "k8s-w1", "hubble_flows_processed_total", v -> v >= 1, "type=Drop", "verdict=DROPPED");
        // an allowed connection: netpod to webpod1:80, a verdict on both nodes
        assertThat(probe.httpGet("netpod", WEBPOD1, 80, "/")).contains("Hostname: webpod1");
        awaitMetric("netpod", "k8s-w1", "hubble_flows_processed_total", v -> v >= 1, "type=PolicyVerdict",
                "subtype=to-endpoint", "verdict=FORWARDED");
        awaitMetric("netpod", "k8s-s", "hubble_flows_processed_total", v -> v >= 1, "type=PolicyVerdict",
                "subtype=from-endpoint", "verdict=FORWARDED");
        awaitMetric("netpod", "k8s-w1", "hubble_port_distribution_total", v -> v >= 1, "protocol=TCP", "port=80");
        awaitMetric("netpod", "k8s-w1", "hubble_tcp_flags_total", v -> v >= 1, "flag=SYN", "family=IPv4");
        // a connection attempt to the world
        probe.tcpReaches("netpod", OUTSIDE, 80);
        awaitMetric("netpod", "k8s-s", "hubble_flows_to_world_total", v -> v >= 1, "protocol=TCP", "verdict=FORWARDED");
        // ICMP: netpod's echo request leaves k8s-s as a new connection (webpod1's policy then drops it)
        lab.exec("netpod", "ping", "-c", "1", "-W", "1", WEBPOD1.toString());
        awaitMetric("netpod", "k8s-s", "hubble_icmp_total", v -> v >= 1, "family=IPv4", "type=EchoRequest");
        awaitMetric("netpod", "k8s-w1", "hubble_drop_total", v -> v >= 1, "reason=POLICY_DENIED", "protocol=ICMPv4");
        // the agent's own map operations
        assertThat(value(scrape("netpod", "k8s-w1"), "cilium_bpf_map_ops_total", "map_name=jbpf_policy", "operation=update",
                "outcome=success").orElse(0)).isGreaterThan(0);
        // the ring had room for every event
        assertThat(value(scrape("netpod", "k8s-s"), "hubble_lost_events_total", "source=PERF_EVENT_RING_BUFFER")).hasValue(0.0);
        // nothing of k8s-w1's drop on k8s-w2's endpoint
        assertThat(value(scrape("netpod", "k8s-w2"), "hubble_drop_total", "reason=POLICY_DENIED")).isEmpty();
        assertThat(new AgentClient(config("k8s-w1").socket()).call("status")).contains("Metrics:")
                .contains("http://192.168.10.101:9962/metrics").contains("BPF maps:               OK");
    }
}
