package io.jbpf.netpolicy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.netpolicy.identity.Labels;
import io.jbpf.netpolicy.policy.EndpointSelector.Operator;
import io.jbpf.netpolicy.policy.EndpointSelector.Requirement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EndpointSelectorTest {
    static final Labels WEB = Labels.parse("k8s:app=web", "k8s:tier=front", "k8s:io.kubernetes.pod.namespace=x");
    static final Labels HOST = Labels.parse("reserved:host");

    @Test
    void matchLabelsNeedEveryPairAndBareKeysMatchAnySource() {
        assertThat(EndpointSelector.matchLabels(Map.of("app", "web")).matches(WEB)).isTrue();
        assertThat(EndpointSelector.matchLabels(Map.of("k8s:app", "web")).matches(WEB)).isTrue();
        assertThat(EndpointSelector.matchLabels(Map.of("reserved:app", "web")).matches(WEB)).isFalse();
        assertThat(EndpointSelector.matchLabels(Map.of("app", "web", "tier", "back")).matches(WEB)).isFalse();
        assertThat(EndpointSelector.matchLabels(Map.of("reserved:host", "")).matches(HOST)).isTrue();
        assertThat(EndpointSelector.ALL.matches(WEB)).isTrue();
        assertThat(EndpointSelector.ALL.matches(HOST)).isTrue();
    }

    @Test
    void expressionsFollowKubernetesOperators() {
        EndpointSelector in = EndpointSelector.ALL.and(new Requirement("app", Operator.IN, Set.of("web", "api")));
        EndpointSelector notIn = EndpointSelector.ALL.and(new Requirement("app", Operator.NOT_IN, Set.of("web")));
        EndpointSelector exists = EndpointSelector.ALL.and(new Requirement("tier", Operator.EXISTS, Set.of()));
        EndpointSelector absent = EndpointSelector.ALL.and(new Requirement("tier", Operator.DOES_NOT_EXIST, Set.of()));
        assertThat(List.of(in.matches(WEB), notIn.matches(WEB), exists.matches(WEB), absent.matches(WEB)))
                .containsExactly(true, false, true, false);
        // a label set without the key: In fails, NotIn holds
        assertThat(List.of(in.matches(HOST), notIn.matches(HOST), exists.matches(HOST), absent.matches(HOST)))
                .containsExactly(false, true, false, true);
        assertThat(in.mentions("k8s", "app")).isTrue();
        assertThat(in.mentions("k8s", "io.kubernetes.pod.namespace")).isFalse();
    }

    @Test
    void requirementsRefuseValuesThatDoNotFitTheOperator() {
        assertThatThrownBy(() -> new Requirement("app", Operator.IN, Set.of())).hasMessageContaining("'app'")
                .hasMessageContaining("at least one value");
        assertThatThrownBy(() -> new Requirement("app", Operator.EXISTS, Set.of("x"))).hasMessageContaining("takes no values");
    }
}
