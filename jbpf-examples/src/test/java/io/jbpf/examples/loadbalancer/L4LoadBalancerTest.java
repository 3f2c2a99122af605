package io.jbpf.examples.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.dsl.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The load balancer example in the kernel: real TCP connections through the VIP (with checksum
 * offload off, so the backends' and client's stacks verify the rewritten checksums) spread over all
 * three backends, and a connection survives the removal of another backend.
 */
@KernelTest
class L4LoadBalancerTest {

    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"TC_INGRESS", "XDP"})
    void connectionsSpreadAndSurviveTheRemovalOfAnotherBackend(Target target) {
        L4LoadBalancer.Result r = L4LoadBalancer.run(60, target);
        assertThat(r.answersPerBackend().keySet()).containsExactlyInAnyOrder("backend-1", "backend-2", "backend-3");
        assertThat(r.answersPerBackend().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(60);
        // 60 random client ports over three equal shares: each gets some (a backend with fewer
        // than 5 of 60 has probability below 1e-4)
        assertThat(r.answersPerBackend().values()).allMatch(n -> n >= 5);
        assertThat(r.removedBackend()).isNotEqualTo(r.longLivedBackend());
        assertThat(r.longLivedAnswersAfterRemoval()).hasSize(3).allMatch(r.longLivedBackend()::equals);
        assertThat(r.answersAfterRemoval().keySet()).doesNotContain(r.removedBackend()).hasSize(2);
        assertThat(r.answersAfterRemoval().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(60);
    }
}
