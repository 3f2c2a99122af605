package io.jbpf.netpolicy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.testing.KernelTest;
import io.jbpf.netpolicy.agent.Agent;
import io.jbpf.netpolicy.agent.AgentConfig;
import io.jbpf.netpolicy.datapath.NodeDatapath;
import io.jbpf.netpolicy.lab.Lab;
import io.jbpf.netpolicy.lab.LabConnectivity;
import io.jbpf.netpolicy.lab.LabSpec;
import io.jbpf.netpolicy.lab.NodeSpec;
import io.jbpf.netpolicy.lab.PortSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Upstream Kubernetes e2e network policy cases (the files KubernetesE2eModelTest reads) with real
 * traffic: the e2e lab (namespaces x, y, z with pods a, b, c on TCP and UDP 80 and 81) with an
 * agent per node, each step's policies and label changes applied through the agents, and every pod
 * pair probed; the matrices must be upstream's. A selection of the cases keeps the run short (every
 * case runs at the model level); SCTP probes are left out (the lab serves TCP and UDP).
 */
@KernelTest
class KubernetesE2eLabTest {
    static final String NAME = "e" + ProcessHandle.current().pid();
    static final Path PINS = Path.of("/sys/fs/bpf/jbpf-lab-" + NAME);
    static final Set<String> CHOSEN = Set.of("01-", "02-", "03-", "06-", "10-", "14-", "17-", "19-", "22-", "25-", "28-",
            "40-", "44-");

    static Lab lab;
    static final List<Agent> agents = new ArrayList<>();

    @BeforeAll
    static void up() {
        LabSpec spec = LabSpec.builtin("e2e").withName(NAME);
        lab = Lab.up(spec);
        for (NodeSpec n : spec.nodes()) {
            agents.add(Agent.start(spec, new AgentConfig(n.name(), lab.stateDir().resolve("cluster"), PINS.resolve(n.name()))));
        }
    }

    @AfterAll
    static void down() {
        try {
            agents.forEach(Agent::close);
        } finally {
            try {
                for (NodeSpec n : LabSpec.builtin("e2e").nodes()) {
                    NodeDatapath.remove(PINS.resolve(n.name()));
                }
                NodeDatapath.remove(PINS);
            } finally {
                Lab.down(NAME);
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> upstreamCasesWithRealTraffic() throws Exception {
        List<KubernetesE2eModelTest.Case> cases = KubernetesE2eModelTest.cases().stream()
                .filter(c -> c.unsupportedReason() == null && CHOSEN.stream().anyMatch(c.file()::startsWith)).toList();
        assertThat(cases).hasSize(CHOSEN.size());
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.file() + ": " + c.test(), () -> run(c)));
    }

    static void apply(Agent via, KubernetesE2eModelTest.Step step) throws InterruptedException {
        for (String name : via.policies().names()) {
            via.policies().delete(name);
        }
        step.podLabels().forEach((pod, labels) -> via.relabel("pod", pod.substring(0, pod.indexOf('/')),
                pod.substring(pod.indexOf('/') + 1), labels, List.of()));
        step.namespaceLabels().forEach((ns, labels) -> via.relabel("namespace", ns, ns, labels, List.of()));
        if (!step.policies().isBlank()) {
            via.policies().importYaml(step.policies());
        }
        long rev = via.policies().revision();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (agents.stream().anyMatch(a -> a.appliedRevision() < rev)) {
            assertThat(System.nanoTime()).as("agents applying revision %d", rev).isLessThan(deadline);
            Thread.sleep(50);
        }
        for (Agent a : agents) {
            io.jbpf.netpolicy.conntrack.ConntrackMap.clear(a.datapath().conntrack()); // each step's probes start fresh
        }
    }

    static void run(KubernetesE2eModelTest.Case c) throws Exception {
        List<String> pods = lab.spec().pods().stream().map(p -> p.namespace() + "/" + p.name()).toList();
        StringBuilder report = new StringBuilder();
        int wrong = 0;
        for (int i = 0; i < c.steps().size(); i++) {
            KubernetesE2eModelTest.Step s = c.steps().get(i);
            apply(agents.get(i % agents.size()), s);
            List<LabConnectivity.Attempt> attempts = LabConnectivity.probe(lab, Duration.ofMillis(800));
            for (KubernetesE2eModelTest.Probe p : s.probes()) {
                if (p.protocol() == Protocol.SCTP) {
                    continue;
                }
                TruthTable expected = new TruthTable(pods, true);
                p.expect().forEach(expected::apply);
                TruthTable actual = new TruthTable(pods, true);
                PortSpec.Protocol proto = p.protocol() == Protocol.TCP ? PortSpec.Protocol.TCP : PortSpec.Protocol.UDP;
                for (LabConnectivity.Attempt a : attempts) {
                    if (a.port() == p.port() && a.protocol() == proto) {
                        actual.set(a.from(), a.to(), a.reachable());
                    }
                }
                List<String> diff = expected.differences(actual, true);
                if (!diff.isEmpty()) {
                    wrong += diff.size();
                    report.append("\nstep ").append(i + 1).append(", ").append(p.name()).append(": ").append(diff)
                            .append("\nexpected:\n").append(expected.pretty()).append("observed in the lab:\n")
                            .append(actual.pretty());
                }
            }
        }
        assertThat(wrong).as(c.file() + report).isZero();
        // leave no labels behind for the next case
        for (var p : lab.spec().pods()) {
            agents.get(0).labels().setPod(p.namespace(), p.name(), p.labels());
        }
        for (var ns : lab.spec().namespaces()) {
            agents.get(0).labels().setNamespace(ns.name(), ns.labels());
        }
    }
}
