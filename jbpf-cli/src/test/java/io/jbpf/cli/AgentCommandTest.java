package io.jbpf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code jbpf agent}'s options: a bad one is named before any lab is opened. */
class AgentCommandTest {
    static final String NO_LAB = "jbpf-nolab-" + ProcessHandle.current().pid();

    @Test
    void aBadHostRoutingIsNamed() {
        CliRun r = CliRun.of("agent", "--lab", NO_LAB, "--node", "k8s-s", "--host-routing", "fast");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("host routing 'fast' is neither bpf nor legacy").doesNotContain(NO_LAB);
    }

    @Test
    void aBadLoadBalancingAlgorithmIsNamed() {
        CliRun r = CliRun.of("agent", "--lab", NO_LAB, "--node", "k8s-s", "--lb-algorithm", "roundrobin");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("roundrobin").doesNotContain(NO_LAB);
    }

    @Test
    void aMissingLabIsNamedWhenTheOptionsAreGood() {
        CliRun r = CliRun.of("agent", "--lab", NO_LAB, "--node", "k8s-s", "--host-routing", "LEGACY");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains(NO_LAB);
    }
}
