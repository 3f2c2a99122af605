package io.jbpf.netpolicy.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.testing.KernelTest;
import io.jbpf.netpolicy.datapath.HostRouting;
import io.jbpf.netpolicy.lab.ExecResult;
import io.jbpf.netpolicy.lab.Ipv4;
import io.jbpf.netpolicy.lab.LabSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * BPF host routing in the lab: with every node's netfilter FORWARD chain set to drop, pods still
 * reach each other on the same node and across nodes, because the datapath forwards by redirect and
 * never hands a pod's packet to the kernel's forwarding (the chain's counter stays at 0); an agent
 * started with legacy host routing sends its pods' packets through that chain, where they die.
 */
@KernelTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostRoutingLabTest {
    static final List<String> NODES = List.of("k8s-s", "k8s-w1", "k8s-w2");
    static final Ipv4 WEB1 = Ipv4.parse("172.16.1.10");
    static final Ipv4 WEB2 = Ipv4.parse("172.16.2.10");
    static final Ipv4 WEB3 = Ipv4.parse("172.16.2.11");

    static LabAgents env;

    @BeforeAll
    static void up() {
        env = LabAgents.up("hr", LabSpec.builtin("services"), Duration.ofSeconds(2));
    }

    @AfterAll
    static void down() {
        if (env != null) {
            env.close();
        }
    }

    /** Sets the FORWARD chain's policy on every node. */
    static void forwardPolicy(String policy) {
        for (String node : NODES) {
            ExecResult r = env.lab.exec(node, "iptables", "-P", "FORWARD", policy);
            assertThat(r.exitCode()).as("iptables on %s: %s", node, r.output()).isZero();
        }
    }

    /** The packets the FORWARD chain's policy dropped on {@code node}. */
    static long forwardDrops(String node) {
        ExecResult r = env.lab.exec(node, "iptables", "-L", "FORWARD", "-v", "-x", "-n");
        assertThat(r.exitCode()).as(r.output()).isZero();
        Matcher m = Pattern.compile("Chain FORWARD \\(policy (\\w+) (\\d+) packets").matcher(r.output());
        assertThat(m.find()).as(r.output()).isTrue();
        return Long.parseLong(m.group(2));
    }

    static String hostname(String from, Ipv4 to) {
        return env.probe.httpGet(from, to, 8080, "/").lines().filter(l -> l.startsWith("Hostname: ")).findFirst()
                .orElseThrow().substring("Hostname: ".length());
    }

    @Test
    @Order(1)
    void podsTalkAcrossAndWithinNodesWithTheKernelsForwardingClosed() {
        assertThat(env.client("k8s-s").call("status")).contains("Host: BPF");
        forwardPolicy("DROP");
        try {
            assertThat(hostname("default/client", WEB1)).as("k8s-s to k8s-w1").isEqualTo("web1");
            assertThat(hostname("default/web1", WEB2)).as("k8s-w1 to k8s-w2").isEqualTo("web2");
            assertThat(hostname("default/web2", WEB3)).as("within k8s-w2").isEqualTo("web3");
            byte[] hi = "hi".getBytes(StandardCharsets.US_ASCII);
            assertThat(env.probe.udpEcho("default/client", WEB3, 7, hi)).as("UDP, k8s-s to k8s-w2").hasValue(hi);
            assertThat(env.probe.tcpEcho("default/web3", WEB1, 7, hi)).as("TCP, k8s-w2 to k8s-w1").isEqualTo(hi);
            for (String node : NODES) {
                assertThat(forwardDrops(node)).as("packets the kernel tried to forward on %s", node).isZero();
            }
        } finally {
            forwardPolicy("ACCEPT");
        }
    }

    @Test
    @Order(2)
    void legacyHostRoutingHandsThePacketsToTheKernel() {
        env.agents.remove("k8s-s").close();
        env.agents.put("k8s-s", Agent.start(env.lab.spec(), env.config("k8s-s").withHostRouting(HostRouting.LEGACY)));
        assertThat(env.client("k8s-s").call("status")).contains("Host: Legacy");
        assertThat(hostname("default/client", WEB1)).as("the kernel forwards").isEqualTo("web1");
        forwardPolicy("DROP");
        try {
            long before = forwardDrops("k8s-s");
            assertThat(env.probe.tcpReaches("default/client", WEB1, 8080)).as("the FORWARD chain drops it").isFalse();
            assertThat(forwardDrops("k8s-s")).isGreaterThan(before);
            assertThat(hostname("default/web1", WEB2)).as("k8s-w1 still forwards by BPF").isEqualTo("web2");
        } finally {
            forwardPolicy("ACCEPT");
        }
    }
}
