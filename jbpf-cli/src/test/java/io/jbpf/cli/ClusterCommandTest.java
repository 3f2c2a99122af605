package io.jbpf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.testing.KernelTest;
import io.jbpf.netpolicy.agent.Agent;
import io.jbpf.netpolicy.datapath.NodeDatapath;
import io.jbpf.netpolicy.health.HealthOptions;
import io.jbpf.netpolicy.lab.Lab;
import io.jbpf.netpolicy.lab.LabSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jbpf status|endpoint|identity|policy|service|bpf} against agents of a two-node lab. */
@KernelTest
class ClusterCommandTest {
    private static final String NAME = "k" + ProcessHandle.current().pid();
    private static final Path PINS = Path.of("/sys/fs/bpf/jbpf-lab-" + NAME);

    @TempDir
    Path dir;

    @Test
    void theAgentsAnswerTheCli() throws Exception {
        LabSpec spec = LabSpec.parse(String.join("\n",
                "name: " + NAME,
                "underlay: 192.168.10.0/24",
                "outside: {ip: 203.0.113.10}",
                "nodes:",
                "  - {name: n1, ip: 192.168.10.10, podCIDR: 172.16.0.0/24}",
                "  - {name: n2, ip: 192.168.10.11, podCIDR: 172.16.1.0/24}",
                "pods:",
                "  - {name: client, node: n1, labels: {app: client}}",
                "  - {name: web, node: n2, labels: {app: web}, ports: [{name: http, port: 80}]}",
                ""));
        List<Agent> agents = new ArrayList<>();
        try {
            Lab.up(spec);
            for (String n : List.of("n1", "n2")) {
                agents.add(Agent.start(spec, AgentCommand.config(NAME, n, PINS.resolve(n))));
            }
            CliRun status = CliRun.of("status", "--lab", NAME, "--node", "n2", "--verbose");
            assertThat(status.exitCode()).as(status.err()).isZero();
            assertThat(status.out()).contains("Routing:").contains("Native").contains("172.16.1.10 (default/web)");

            // cluster health: each agent probes both nodes (n1's first round ran before n2's agent was up)
            agents.forEach(a -> a.health().options(HealthOptions.DEFAULTS.withInterval(Duration.ofMillis(300))));
            long healthDeadline = System.nanoTime() + 10_000_000_000L;
            while (!(CliRun.of("status", "--lab", NAME, "--node", "n2").out().contains("2/2 reachable")
                    && CliRun.of("status", "--lab", NAME, "--node", "n1").out().contains("2/2 reachable"))
                    && System.nanoTime() < healthDeadline) {
                Thread.sleep(100);
            }
            CliRun healthStatus = CliRun.of("status", "--lab", NAME, "--node", "n2", "--verbose");
            assertThat(healthStatus.out()).containsPattern("Cluster health:\\s+2/2 reachable\\s+\\(\\d{4}-\\d\\d-\\d\\dT[\\d:]+Z\\)")
                    .containsPattern("n1\\s+192\\.168\\.10\\.10\\s+reachable [\\d.]+ms\\s+reachable [\\d.]+ms")
                    .containsPattern("n2 \\(localhost\\)\\s+192\\.168\\.10\\.11\\s+reachable");
            CliRun health = CliRun.of("health", "--lab", NAME, "--node", "n1");
            assertThat(health.exitCode()).as(health.err()).isZero();
            assertThat(health.out()).startsWith("Probe time:").contains("n1 (localhost):")
                    .contains("Host connectivity to 192.168.10.11:\n      HTTP to agent:   OK, RTT=");

            CliRun eps = CliRun.of("endpoint", "list", "--lab", NAME, "--node", "n2");
            assertThat(eps.out()).startsWith("ENDPOINT").containsPattern("1\\s+Disabled\\s+Disabled\\s+\\d+\\s+k8s:app=web");

            CliRun probe = CliRun.of("connectivity", "probe", "--lab", NAME, "--timeout", "1000");
            assertThat(probe.exitCode()).as(probe.err()).isZero();
            assertThat(probe.out()).contains("80/TCP").contains("1 of 1 attempts reachable");

            Path good = dir.resolve("policy.yaml");
            Files.writeString(good, String.join("\n",
                    "apiVersion: networking.k8s.io/v1",
                    "kind: NetworkPolicy",
                    "metadata: {name: web, namespace: default}",
                    "spec:",
                    "  podSelector: {matchLabels: {app: web}}",
                    "  ingress:",
                    "  - from: [{podSelector: {matchLabels: {app: client}}}]",
                    "    ports: [{port: http}]", ""));
            CliRun imported = CliRun.of("policy", "import", good.toString(), "--lab", NAME);
            assertThat(imported.exitCode()).as(imported.err()).isZero();
            assertThat(imported.out()).isEqualTo("Revision: 1\n");

            Path bad = dir.resolve("bad.yaml");
            Files.writeString(bad, Files.readString(good).replace("matchLabels: {app: client}", "matchLabelz: {app: client}"));
            CliRun refused = CliRun.of("policy", "import", bad.toString(), "--lab", NAME);
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err()).contains("spec.ingress[0].from[0].podSelector.matchLabelz").contains("unknown field");

            long deadline = System.nanoTime() + 10_000_000_000L;
            while (agents.get(1).appliedRevision() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            CliRun policy = CliRun.of("bpf", "policy", "get", "1", "--lab", NAME, "--node", "n2");
            assertThat(policy.exitCode()).as(policy.err()).isZero();
            assertThat(policy.out()).containsPattern("Allow\\s+Ingress\\s+\\d+\\s+80/TCP\\s+.*k8s:app=client");
            assertThat(CliRun.of("policy", "get", "--lab", NAME).out()).contains("default/web").contains("Revision: 1");
            assertThat(CliRun.of("identity", "list", "--lab", NAME).out()).contains("reserved:world").contains("k8s:app=web");
            assertThat(CliRun.of("bpf", "ipcache", "list", "--lab", NAME).out()).contains("172.16.1.10/32");
            assertThat(CliRun.of("bpf", "endpoint", "list", "--lab", NAME, "--node", "n1").out()).contains("172.16.0.10:0");
            CliRun maps = CliRun.of("map", "list", "--lab", NAME, "--node", "n2");
            assertThat(maps.exitCode()).as(maps.err()).isZero();
            assertThat(maps.out()).containsPattern("jbpf_lxc\\s+HASH\\s+1\\s+1024").contains("jbpf_policy").contains("jbpf_ct");
            CliRun counters = CliRun.of("map", "get", "jbpf_counters", "--lab", NAME, "--node", "n2");
            assertThat(counters.exitCode()).as(counters.err()).isZero();
            assertThat(counters.out()).startsWith("ENDPOINT").contains("Forwarded");
            CliRun noMap = CliRun.of("map", "get", "cilium_lxc", "--lab", NAME, "--node", "n2");
            assertThat(noMap.exitCode()).isEqualTo(1);
            assertThat(noMap.err()).contains("no datapath map 'cilium_lxc'").contains("jbpf_ipcache");
            CliRun missing = CliRun.of("bpf", "policy", "get", "9", "--lab", NAME, "--node", "n2");
            assertThat(missing.exitCode()).isEqualTo(1);
            assertThat(missing.err()).contains("no endpoint 9");
            CliRun observe = CliRun.of("observe", "--lab", NAME, "--verdict", "DROPPED", "-o", "json");
            assertThat(observe.exitCode()).as(observe.err()).isZero();
            assertThat(CliRun.of("observe", "--lab", NAME, "-o", "yaml").err()).contains("compact or json");
            assertThat(CliRun.of("policy", "delete", "web", "--lab", NAME).out()).isEqualTo("Revision: 2\n");

            Path svc = dir.resolve("service.yaml");
            Files.writeString(svc, String.join("\n",
                    "apiVersion: v1", "kind: Service", "metadata: {name: web, namespace: default}",
                    "spec: {type: NodePort, clusterIP: 10.96.0.50, ports: [{port: 80, targetPort: 80, nodePort: 30080}]}",
                    "---", "apiVersion: discovery.k8s.io/v1", "kind: EndpointSlice",
                    "metadata: {name: web-1, labels: {kubernetes.io/service-name: web}}", "addressType: IPv4",
                    "ports: [{port: 80}]", "endpoints: [{addresses: [172.16.1.10], nodeName: n2, conditions: {ready: true}}]", ""));
            CliRun svcImported = CliRun.of("service", "import", svc.toString(), "--lab", NAME, "--node", "n2");
            assertThat(svcImported.exitCode()).as(svcImported.err()).isZero();
            assertThat(svcImported.out()).isEqualTo("Revision: 1\n");
            Path badSvc = dir.resolve("bad-service.yaml");
            Files.writeString(badSvc, Files.readString(svc).replace("nodePort: 30080", "nodePort: 80"));
            CliRun svcRefused = CliRun.of("service", "import", badSvc.toString(), "--lab", NAME);
            assertThat(svcRefused.exitCode()).isEqualTo(1);
            assertThat(svcRefused.err()).contains("invalid service").contains("line 4").contains("nodePort");
            deadline = System.nanoTime() + 10_000_000_000L;
            while (agents.get(0).appliedServiceRevision() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            CliRun services = CliRun.of("service", "list", "--lab", NAME, "--node", "n1");
            assertThat(services.exitCode()).as(services.err()).isZero();
            assertThat(services.out()).startsWith("ID").containsPattern("\\d+\\s+10\\.96\\.0\\.50:80/TCP\\s+ClusterIP\\s+1 => 172\\.16\\.1\\.10:80/TCP \\(active\\)")
                    .containsPattern("192\\.168\\.10\\.11:30080/TCP\\s+NodePort\\s+1 => 172\\.16\\.1\\.10:80/TCP");
            assertThat(CliRun.of("bpf", "lb", "list", "--lab", NAME, "--node", "n1").out())
                    .contains("10.96.0.50:80/TCP (1)").contains("172.16.1.10:80/TCP");
            assertThat(CliRun.of("status", "--lab", NAME, "--node", "n1").out())
                    .contains("KubeProxyReplacement:   True   [eth0 192.168.10.10] (algorithm random, 1 services");
            assertThat(CliRun.of("service", "delete", "web", "--lab", NAME).out()).isEqualTo("Revision: 2\n");
            CliRun noSvc = CliRun.of("service", "delete", "web", "--lab", NAME);
            assertThat(noSvc.exitCode()).isEqualTo(1);
            assertThat(noSvc.err()).contains("no service named 'web'");
        } finally {
            try {
                agents.forEach(Agent::close);
            } finally {
                try {
                    for (String n : List.of("n1", "n2")) {
                        NodeDatapath.remove(PINS.resolve(n));
                    }
                    NodeDatapath.remove(PINS);
                } finally {
                    Lab.down(NAME);
                }
            }
        }
        CliRun gone = CliRun.of("status", "--lab", NAME);
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.err()).contains("no lab named");
    }
}
