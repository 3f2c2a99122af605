package io.jbpf.netpolicy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The Kubernetes network policy e2e cases (kubernetes/kubernetes
 * {@code test/e2e/network/netpol/network_policy.go}), transcribed into
 * {@code k8s-e2e/*.yaml}: the policies each test creates, and the reachability matrix upstream
 * expects after them, checked against what our policy model (YAML reader, resolver,
 * {@link EndpointPolicy#decide}) gives for the 9 pods of the e2e layout.
 *
 * <p>A case file holds:
 * <pre>
 * source: repository, file and commit
 * test: the upstream test's name
 * unsupported:            # only where our model cannot follow upstream
 *   reason: why
 *   differences: ["step 1, TCP/80: x/a -&gt; y/b", ...]   # exactly the pairs that differ
 * steps:                  # one per state upstream checks (policies created, updated, deleted; labels added)
 *   - podLabels: {x/b: {pod2: updated}}         # optional, added from this step on
 *     namespaceLabels: {y: {ns2: updated}}      # optional, added from this step on
 *     policies: |         # every policy in force at this step, as YAML documents ("" for none;
 *       ...               #   left out: the same as the step before)
 *     probes:
 *       - probe: TCP/80
 *         expect: ["ExpectPeer * -&gt; x/* false", ...]   # upstream's Reachability calls, in order
 * </pre>
 * Upstream starts every matrix with everything reachable and ignores a pod's traffic to itself
 * ({@code ignoreLoopback = true}, kubernetes issue 95879), and so do we.
 */
class KubernetesE2eModelTest {
    static final String DIR = "k8s-e2e";
    static final boolean IGNORE_LOOPBACK = true;

    record Probe(Protocol protocol, int port, List<String> expect) {
        String name() {
            return protocol + "/" + port;
        }
    }

    record Step(Map<String, Map<String, String>> podLabels, Map<String, Map<String, String>> namespaceLabels,
            String policies, List<Probe> probes) {}

    record Case(String file, String source, String test, String unsupportedReason, List<String> unsupportedDifferences,
            List<Step> steps) {}

    @TestFactory
    Stream<DynamicTest> upstreamCases() throws IOException {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.file() + ": " + c.test()
                + (c.unsupportedReason() != null ? " [unsupported: " + c.unsupportedReason() + "]" : ""), () -> run(c)));
    }

    @Test
    void theCasesCoverTheUpstreamSuite() throws IOException {
        List<Case> all = cases();
        assertThat(all).hasSizeGreaterThanOrEqualTo(30);
        assertThat(all).allSatisfy(c -> {
            assertThat(c.source()).startsWith("kubernetes/kubernetes test/e2e/network/netpol/");
            assertThat(c.test()).isNotBlank();
            assertThat(c.steps()).isNotEmpty();
        });
        Set<String> probes = new LinkedHashSet<>();
        all.forEach(c -> c.steps().forEach(s -> s.probes().forEach(p -> probes.add(p.protocol().name()))));
        assertThat(probes).contains("TCP", "UDP", "SCTP");
        E2eModel m = E2eModel.fromLab();
        assertThat(List.of(m.ip("x/a"), m.ip("x/b"), m.ip("y/b"))).as("the ipBlock cases (34-36) name these lab addresses")
                .containsExactly("172.16.0.10", "172.16.1.10", "172.16.2.11");
    }

    @Test
    void theExpectationsReadAsUpstreamWritesThem() {
        List<String> pods = E2eModel.fromLab().pods();
        assertThat(pods).containsExactly("x/a", "x/b", "x/c", "y/a", "y/b", "y/c", "z/a", "z/b", "z/c");
        // the example in network_policy.go's header comment: nothing reaches x/a except from y
        TruthTable t = new TruthTable(pods, true);
        t.apply("ExpectAllIngress x/a false");
        t.apply("ExpectPeer y/* -> x/a true");
        assertThat(t.pretty()).isEqualTo(String.join("\n",
                "-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c  ",
                "x/a  X    .    .    .    .    .    .    .    .    ",
                "x/b  X    .    .    .    .    .    .    .    .    ",
                "x/c  X    .    .    .    .    .    .    .    .    ",
                "y/a  .    .    .    .    .    .    .    .    .    ",
                "y/b  .    .    .    .    .    .    .    .    .    ",
                "y/c  .    .    .    .    .    .    .    .    .    ",
                "z/a  X    .    .    .    .    .    .    .    .    ",
                "z/b  X    .    .    .    .    .    .    .    .    ",
                "z/c  X    .    .    .    .    .    .    .    .    ", ""));
        t.apply("ExpectAllEgress z/c false");
        t.apply("Expect z/c -> x/b true");
        assertThat(t.get("z/c", "x/b")).isTrue();
        assertThat(t.get("z/c", "y/a")).isFalse();
        assertThat(t.get("y/a", "z/c")).isTrue();
        assertThatThrownBy(() -> t.apply("ExpectPeer q/* -> x/a true")).hasMessageContaining("matches no pod");
        assertThatThrownBy(() -> t.apply("Expect x/a x/b true")).hasMessageContaining("FROM -> TO");
        assertThatThrownBy(() -> t.apply("ExpectAllIngress x/a maybe")).hasMessageContaining("not true or false");
    }

    @Test
    void aWrongExpectationIsReportedAsATableDiff() {
        E2eModel model = E2eModel.fromLab();
        TruthTable actual = model.resolve(List.of()).reachability(model.pods(), Protocol.TCP, 80);
        TruthTable expected = new TruthTable(model.pods(), true);
        expected.apply("ExpectAllIngress x/a false");
        assertThat(expected.differences(actual, true)).hasSize(8).contains("y/b -> x/a").doesNotContain("x/a -> x/a");
        assertThat(expected.differences(actual, false)).hasSize(9);
        assertThat(expected.comparison(actual, true).split("\n")[1]).isEqualTo("x/a  ~    .    .    .    .    .    .    .    .    ");
    }

    // ---- running a case ---------------------------------------------------------------------------

    static void run(Case c) {
        E2eModel model = E2eModel.fromLab();
        List<String> pods = model.pods();
        List<String> differences = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        for (int i = 0; i < c.steps().size(); i++) {
            Step s = c.steps().get(i);
            s.podLabels().forEach(model::addPodLabels);
            s.namespaceLabels().forEach(model::addNamespaceLabels);
            List<Policy> policies = s.policies().isBlank() ? List.of() : PolicyYaml.parse(s.policies());
            E2eModel.Resolved resolved = model.resolve(policies);
            for (Probe p : s.probes()) {
                TruthTable expected = new TruthTable(pods, true);
                p.expect().forEach(expected::apply);
                TruthTable actual = resolved.reachability(pods, p.protocol(), p.port());
                List<String> diff = expected.differences(actual, IGNORE_LOOPBACK);
                String where = "step " + (i + 1) + ", " + p.name();
                for (String d : diff) {
                    differences.add(where + ": " + d);
                }
                if (!diff.isEmpty()) {
                    report.append("\n").append(c.file()).append(" (").append(c.test()).append(") ").append(where)
                            .append(": ").append(diff.size()).append(" wrong\nexpected (upstream):\n")
                            .append(expected.pretty()).append("observed (our model):\n").append(actual.pretty())
                            .append("comparison (X = differs):\n").append(expected.comparison(actual, IGNORE_LOOPBACK));
                }
            }
        }
        if (c.unsupportedReason() == null) {
            assertThat(differences).as(report.toString()).isEmpty();
        } else {
            assertThat(differences).as("an unsupported case must differ exactly where its file says; once it does not,"
                    + " the feature works and the 'unsupported' mark must go" + report)
                    .containsExactlyInAnyOrderElementsOf(c.unsupportedDifferences());
        }
    }

    // ---- reading the case files -------------------------------------------------------------------

    static List<Case> cases() throws IOException {
        URL dir = KubernetesE2eModelTest.class.getResource(DIR);
        assertThat(dir).as("test resource folder " + DIR).isNotNull();
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(dir.toURI()))) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        List<Case> out = new ArrayList<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                out.add(readCase(f.getFileName().toString(), yaml.readValue(in, Map.class)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(f.getFileName() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Case readCase(String file, Map<String, Object> m) {
        only(m, "case", "source", "test", "unsupported", "steps");
        String reason = null;
        List<String> unsupportedDiffs = List.of();
        if (m.containsKey("unsupported")) {
            Map<String, Object> u = (Map<String, Object>) m.get("unsupported");
            only(u, "unsupported", "reason", "differences");
            reason = text(u, "reason");
            unsupportedDiffs = (List<String>) u.get("differences");
        }
        List<Step> steps = new ArrayList<>();
        String policies = null;
        for (Map<String, Object> s : (List<Map<String, Object>>) m.get("steps")) {
            only(s, "step", "podLabels", "namespaceLabels", "policies", "probes");
            List<Probe> probes = new ArrayList<>();
            for (Map<String, Object> p : (List<Map<String, Object>>) s.get("probes")) {
                only(p, "probe", "probe", "expect");
                String[] pp = text(p, "probe").split("/");
                probes.add(new Probe(Protocol.of(pp[0]), Integer.parseInt(pp[1]),
                        List.copyOf((List<String>) p.getOrDefault("expect", List.of()))));
            }
            if (s.containsKey("policies")) {
                policies = text(s, "policies");
            } else if (policies == null) {
                throw new IllegalArgumentException("the first step needs policies");
            }
            steps.add(new Step((Map<String, Map<String, String>>) s.getOrDefault("podLabels", Map.of()),
                    (Map<String, Map<String, String>>) s.getOrDefault("namespaceLabels", Map.of()), policies, probes));
        }
        return new Case(file, text(m, "source"), text(m, "test"), reason, unsupportedDiffs, steps);
    }

    private static String text(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("'" + key + "' must be text, not " + v);
        }
        return s;
    }

    private static void only(Map<String, Object> m, String what, String... keys) {
        Set<String> extra = new LinkedHashSet<>(m.keySet());
        extra.removeAll(List.of(keys));
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException(what + " has unknown fields " + extra + " (known: " + List.of(keys) + ")");
        }
    }
}
