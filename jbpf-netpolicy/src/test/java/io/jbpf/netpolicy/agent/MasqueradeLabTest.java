package io.jbpf.netpolicy.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.testing.KernelTest;
import io.jbpf.netpolicy.datapath.NonMasqueradeMap;
import io.jbpf.netpolicy.lab.Ipv4;
import io.jbpf.netpolicy.lab.Lab;
import io.jbpf.netpolicy.lab.LabProbe;
import io.jbpf.netpolicy.lab.LabSpec;
import io.jbpf.netpolicy.nat.MasqConfig;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * BPF masquerade in the default lab (with a whoami server on the outside host): under the
 * ip-masq-agent's defaults the outside host's documentation range is exempt and it sees the pod's
 * address; once the shared config lists only the lab's own ranges, the agents reload it and the
 * outside host sees the node's address, while pod-to-pod traffic across nodes keeps pod addresses.
 */
@KernelTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MasqueradeLabTest {
    static final Ipv4 OUTSIDE = Ipv4.parse("203.0.113.10");
    static final Ipv4 WEBPOD1 = Ipv4.parse("172.16.1.10");

    static LabAgents env;
    static Map<String, Agent> agents;
    static LabProbe probe;
    static Lab lab;

    static AgentConfig config(String node) {
        return env.config(node);
    }

    @BeforeAll
    static void up() {
        String yaml = LabSpec.builtinYaml("default").replace("outside:\n  ip: 203.0.113.10\n",
                "outside:\n  ip: 203.0.113.10\n  ports: [{port: 80}]\n");
        assertThat(yaml).contains("ports: [{port: 80}]");
        env = LabAgents.up("m", LabSpec.parse(yaml), Duration.ofSeconds(3));
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

    static String remoteAddr(String from, Ipv4 to) {
        String body = probe.httpGet(from, to, 80, "/");
        return body.lines().filter(l -> l.startsWith("RemoteAddr: ")).findFirst().orElseThrow()
                .substring("RemoteAddr: ".length()).replaceAll(":\\d+$", "");
    }

    static void awaitConfig(MasqConfig want) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (agents.values().stream().anyMatch(a -> !a.masqConfig().current().equals(want))) {
            assertThat(System.nanoTime()).as("agents reloading the ip-masq-agent config").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    @Order(1)
    void underTheDefaultsTheOutsideHostSeesThePod() {
        for (Agent a : agents.values()) {
            assertThat(a.masqConfig().current()).isEqualTo(MasqConfig.defaults());
            assertThat(a.masquerade().isAttached("eth0")).isTrue();
        }
        assertThat(remoteAddr("netpod", OUTSIDE)).isEqualTo("172.16.0.10");
        assertThat(remoteAddr("webpod1", OUTSIDE)).isEqualTo("172.16.1.10");
    }

    @Test
    @Order(2)
    void withTheLabsConfigTheOutsideHostSeesTheNode() throws Exception {
        String labConfig = "nonMasqueradeCIDRs:\n- 192.168.0.0/16\n- 172.16.0.0/12\nmasqLinkLocal: false\n";
        Files.writeString(lab.stateDir().resolve("cluster").resolve("ip-masq-agent"), labConfig);
        MasqConfig want = MasqConfig.parse(labConfig);
        awaitConfig(want);
        assertThat(NonMasqueradeMap.all(agents.get("k8s-w1").masquerade().nonMasquerade()))
                .containsExactlyInAnyOrderElementsOf(want.effectiveCidrs());
        assertThat(remoteAddr("netpod", OUTSIDE)).isEqualTo("192.168.10.10");
        assertThat(remoteAddr("webpod1", OUTSIDE)).isEqualTo("192.168.10.101");
        assertThat(remoteAddr("webpod2", OUTSIDE)).isEqualTo("192.168.10.102");
        // pod to pod across nodes: inside the non-masquerade CIDRs, the pod's own address
        assertThat(remoteAddr("netpod", WEBPOD1)).isEqualTo("172.16.0.10");
        // the translations, as bpf nat list shows them, and the status line
        String nat = new AgentClient(config("k8s-w1").socket()).call("bpf-nat-list");
        assertThat(nat.lines()).anyMatch(l -> l.matches("TCP OUT 172\\.16\\.1\\.10:\\d+ -> 203\\.0\\.113\\.10:80 XLATE_SRC "
                + "192\\.168\\.10\\.101:\\d+"));
        assertThat(nat.lines()).anyMatch(l -> l.matches("TCP IN 203\\.0\\.113\\.10:80 -> 192\\.168\\.10\\.101:\\d+ XLATE_DST "
                + "172\\.16\\.1\\.10:\\d+"));
        assertThat(new AgentClient(config("k8s-w1").socket()).call("status"))
                .contains("Masquerading:           BPF (ip-masq-agent)   [eth0]   172.16.0.0/22 [3 non-masquerade CIDRs]");
    }

    @Test
    @Order(3)
    void aBrokenConfigKeepsTheLastGoodOne() throws Exception {
        MasqConfig before = agents.get("k8s-s").masqConfig().current();
        Files.writeString(lab.stateDir().resolve("cluster").resolve("ip-masq-agent"), "nonMasqueradeCIDRs: [nonsense]\n");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (agents.values().stream().anyMatch(a -> a.masqConfig().lastError().isEmpty())) {
            assertThat(System.nanoTime()).as("agents seeing the broken config").isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(agents.get("k8s-s").masqConfig().current()).isEqualTo(before);
        assertThat(remoteAddr("netpod", OUTSIDE)).isEqualTo("192.168.10.10");
        assertThat(new AgentClient(config("k8s-s").socket()).call("status")).contains("config refused, the last good one holds")
                .contains("nonsense");
    }
}
