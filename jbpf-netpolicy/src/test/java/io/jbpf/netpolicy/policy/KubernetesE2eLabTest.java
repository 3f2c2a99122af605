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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Upstream Kubernetes e2e network policy cases (the files KubernetesE2eModelTest reads) with real
 * traffic: the e2e lab (namespaces x, y, z with pods a, b, c on TCP and UDP 80 and 81) with an
 * agent per node, each step's policies and label changes applied through the agents, and every pod
 * pair probed on every port at once ({@link LabConnectivity#probe}: reachable = data went both
 * ways, unreachable = nothing came back within {@link #TIMEOUT}, anything else fails the case).
 * Every case our model supports runs, except those in {@link #NOT_IN_LAB}. The probes upstream
 * checks must give upstream's matrix; the ports and protocols upstream does not check at that step
 * must give our model's (the datapath enforces what the model resolves).
 */
@KernelTest
class KubernetesE2eLabTest {
    static final String NAME = "e" + ProcessHandle.current().pid();
    static final Path PINS = Path.of("/sys/fs/bpf/jbpf-lab-" + NAME);
    /**
     * How long an attempt waits for its first answer before it counts as unreachable. Once the
     * servers are warm, most answers come within tens of ms with all 288 attempts of a step at once;
     * the slowest of a whole run (printed after it) was 90 to 220 ms on the busy 2-core CI machine,
     * also with a core kept busy on the side. This leaves a wide margin, and since all attempts of a
     * step run together a step pays it once, not per silent pair.
     */
    static final Duration TIMEOUT = Duration.ofMillis(800);
    static final String SCTP_ONLY = "upstream probes only SCTP there, and the lab has no SCTP traffic: its servers and"
            + " probes speak TCP and UDP, and the lab's kernel may have no SCTP at all (CONFIG_IP_SCTP is not set on the"
            + " CI machine's 6.18); the SCTP policies of 38 and 39 still run, probed over TCP as upstream does";
    /** Supported cases (no {@code unsupported:} in their file) that do not run here, with why. */
    static final Map<String, String> NOT_IN_LAB = Map.of(
            "46-sctp-default-deny-ingress.yaml", SCTP_ONLY,
            "47-sctp-ports.yaml", SCTP_ONLY,
            "48-sctp-pod-in-other-namespace.yaml", SCTP_ONLY);
    static final List<Protocol> PROTOCOLS = List.of(Protocol.TCP, Protocol.UDP);
    static final List<Integer> PORTS = List.of(80, 81);

    static Lab lab;
    static final List<Agent> agents = new ArrayList<>();
    static final Stats stats = new Stats();

    /** Where the time goes, printed after the run (not asserted: timing is no test). */
    static final class Stats {
        int steps;
        long applyNanos;
        long maxApplyNanos;
        long probeNanos;
        long slowestAnswerNanos;
        int attempts;

        synchronized String summary() {
            return String.format("%d steps, %d attempts; applying %.0f ms (slowest step %.0f ms), probing %.0f ms"
                    + " (timeout %d ms); slowest answer %.1f ms", steps, attempts, applyNanos / 1e6, maxApplyNanos / 1e6,
                    probeNanos / 1e6, TIMEOUT.toMillis(), slowestAnswerNanos / 1e6);
        }
    }

    @BeforeAll
    static void up() throws InterruptedException {
        LabSpec spec = LabSpec.builtin("e2e").withName(NAME);
        lab = Lab.up(spec);
        for (NodeSpec n : spec.nodes()) {
            agents.add(Agent.start(spec, new AgentConfig(n.name(), lab.stateDir().resolve("cluster"), PINS.resolve(n.name()))));
        }
        awaitAgents(agents.get(0).policies().revision());
        // Without a policy every pod reaches every other on every port. Probed once with a long
        // timeout, which also brings the servers (new JVMs) and the probing code up to speed: their
        // first answers are the slowest of the run.
        List<LabConnectivity.Attempt> all = LabConnectivity.probe(lab, Duration.ofSeconds(5));
        assertThat(all).hasSize(9 * 8 * 4);
        assertThat(all).as("no policies yet:\n" + LabConnectivity.matrices(lab, all)).allMatch(LabConnectivity.Attempt::reachable);
    }

    @AfterAll
    static void down() {
        System.out.println("KubernetesE2eLabTest: " + stats.summary());
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

    /** The cases to run: every supported one but those in {@link #NOT_IN_LAB}. */
    static List<KubernetesE2eModelTest.Case> labCases() throws Exception {
        return KubernetesE2eModelTest.cases().stream()
                .filter(c -> c.unsupportedReason() == null && !NOT_IN_LAB.containsKey(c.file())).toList();
    }

    @Test
    void everyCaseLeftOutSaysWhyAndTheReasonHolds() throws Exception {
        List<KubernetesE2eModelTest.Case> all = KubernetesE2eModelTest.cases();
        Map<String, KubernetesE2eModelTest.Case> byFile = new LinkedHashMap<>();
        all.forEach(c -> byFile.put(c.file(), c));
        assertThat(byFile).containsKeys(NOT_IN_LAB.keySet().toArray(String[]::new));
        for (String f : NOT_IN_LAB.keySet()) {
            KubernetesE2eModelTest.Case c = byFile.get(f);
            assertThat(c.unsupportedReason()).as(f + " is left out for the lab, not as unsupported").isNull();
            assertThat(c.steps()).as(f + ": " + NOT_IN_LAB.get(f)).allSatisfy(s -> assertThat(s.probes())
                    .allSatisfy(p -> assertThat(p.protocol()).isEqualTo(Protocol.SCTP)));
        }
        // the rest: unsupported by the model (their files say why) or run here
        assertThat(labCases().size() + NOT_IN_LAB.size() + all.stream().filter(c -> c.unsupportedReason() != null).count())
                .isEqualTo(all.size());
        assertThat(labCases()).hasSizeGreaterThanOrEqualTo(40);
    }

    @TestFactory
    Stream<DynamicTest> upstreamCasesWithRealTraffic() throws Exception {
        return labCases().stream().map(c -> DynamicTest.dynamicTest(c.file() + ": " + c.test(), () -> run(c)));
    }

    /** Whether a step changed labels since they were last put back. */
    static boolean labelsChanged;

    /** Puts back the lab's own labels (a case starts from them, as upstream's namespaces are made afresh). */
    static void resetLabels(Agent via) {
        if (!labelsChanged) {
            return;
        }
        for (var p : lab.spec().pods()) {
            via.labels().setPod(p.namespace(), p.name(), p.labels());
        }
        for (var ns : lab.spec().namespaces()) {
            via.labels().setNamespace(ns.name(), ns.labels());
        }
        labelsChanged = false;
    }

    /**
     * Waits until every agent has applied {@code rev}. They look for a new revision every 100 ms and
     * a reconcile of the e2e lab takes some tens of ms, so this is mostly that polling.
     */
    static void awaitAgents(long rev) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (agents.stream().anyMatch(a -> a.appliedRevision() < rev)) {
            assertThat(System.nanoTime()).as("agents applying revision %d", rev).isLessThan(deadline);
            Thread.sleep(2);
        }
    }

    static void apply(Agent via, KubernetesE2eModelTest.Step step) throws InterruptedException {
        long t0 = System.nanoTime();
        for (String name : via.policies().names()) {
            via.policies().delete(name);
        }
        labelsChanged |= !step.podLabels().isEmpty() || !step.namespaceLabels().isEmpty();
        step.podLabels().forEach((pod, labels) -> via.relabel("pod", pod.substring(0, pod.indexOf('/')),
                pod.substring(pod.indexOf('/') + 1), labels, List.of()));
        step.namespaceLabels().forEach((ns, labels) -> via.relabel("namespace", ns, ns, labels, List.of()));
        if (!step.policies().isBlank()) {
            via.policies().importYaml(step.policies());
        }
        long rev = via.policies().revision();
        awaitAgents(rev);
        for (Agent a : agents) {
            io.jbpf.netpolicy.conntrack.ConntrackMap.clear(a.datapath().conntrack()); // each step's probes start fresh
        }
        long took = System.nanoTime() - t0;
        synchronized (stats) {
            stats.applyNanos += took;
            stats.maxApplyNanos = Math.max(stats.maxApplyNanos, took);
        }
    }

    static void run(KubernetesE2eModelTest.Case c) throws Exception {
        E2eModel model = E2eModel.fromLab();
        List<String> pods = model.pods();
        assertThat(pods).isEqualTo(lab.spec().pods().stream().map(p -> p.namespace() + "/" + p.name()).toList());
        StringBuilder report = new StringBuilder();
        int wrong = 0;
        resetLabels(agents.get(0));
        for (int i = 0; i < c.steps().size(); i++) {
            KubernetesE2eModelTest.Step s = c.steps().get(i);
            s.podLabels().forEach(model::addPodLabels);
            s.namespaceLabels().forEach(model::addNamespaceLabels);
            E2eModel.Resolved resolved = model.resolve(s.policies().isBlank() ? List.of() : PolicyYaml.parse(s.policies()));
            apply(agents.get(i % agents.size()), s);
            long t0 = System.nanoTime();
            List<LabConnectivity.Attempt> attempts = LabConnectivity.probe(lab, TIMEOUT);
            synchronized (stats) {
                stats.probeNanos += System.nanoTime() - t0;
                stats.steps++;
                stats.attempts += attempts.size();
                attempts.forEach(a -> stats.slowestAnswerNanos = Math.max(stats.slowestAnswerNanos, a.answerTime().toNanos()));
            }
            for (LabConnectivity.Attempt a : attempts) {
                if (a.result() == LabConnectivity.Result.ANOMALOUS) {
                    wrong++;
                    report.append("\nstep ").append(i + 1).append(", ").append(a.protocol()).append('/').append(a.port())
                            .append(": ").append(a.from()).append(" -> ").append(a.to()).append(" neither reached nor"
                                    + " silent: ").append(a.detail());
                }
            }
            for (Protocol proto : PROTOCOLS) {
                for (int port : PORTS) {
                    List<KubernetesE2eModelTest.Probe> upstream = s.probes().stream()
                            .filter(p -> p.protocol() == proto && p.port() == port).toList();
                    TruthTable expected;
                    String whose;
                    if (upstream.isEmpty()) {
                        expected = resolved.reachability(pods, proto, port);
                        whose = "our model's (upstream checks no " + proto + "/" + port + " here)";
                    } else {
                        expected = new TruthTable(pods, true);
                        upstream.forEach(p -> p.expect().forEach(expected::apply));
                        whose = "upstream's";
                    }
                    TruthTable actual = new TruthTable(pods, true);
                    for (LabConnectivity.Attempt a : attempts) {
                        if (a.port() == port && a.protocol().name().equals(proto.name())) {
                            actual.set(a.from(), a.to(), a.reachable());
                        }
                    }
                    List<String> diff = expected.differences(actual, KubernetesE2eModelTest.IGNORE_LOOPBACK);
                    if (!diff.isEmpty()) {
                        wrong += diff.size();
                        report.append("\nstep ").append(i + 1).append(", ").append(proto).append('/').append(port)
                                .append(": ").append(diff).append("\nexpected, ").append(whose).append(":\n")
                                .append(expected.pretty()).append("observed in the lab:\n").append(actual.pretty());
                    }
                }
            }
        }
        assertThat(wrong).as(c.file() + report).isZero();
    }
}
