package io.jbpf.netpolicy.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.netpolicy.policy.Direction;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Hubble's flow metrics, counted on the flow reader's thread. */
class FlowMetricsTest {
    private static Flow flow(long seq, boolean dropped, int flags, int port) {
        return new Flow(seq, Instant.now(), "k8s-s", dropped, dropped ? 133 : 0, Direction.EGRESS, 6, flags,
                "default/client", "10.0.0.2", 40000, 1000, "default/web1", "10.0.1.2", port, 1001, 0, 0);
    }

    private static double value(PrometheusRegistry registry, String family, String... labels) {
        for (MetricSnapshot m : registry.scrape()) {
            if (m.getMetadata().getPrometheusName().equals(family)) {
                for (CounterSnapshot.CounterDataPointSnapshot p : ((CounterSnapshot) m).getDataPoints()) {
                    boolean all = true;
                    for (int i = 0; i < labels.length; i += 2) {
                        all &= labels[i + 1].equals(p.getLabels().get(labels[i]));
                    }
                    if (all) {
                        return p.getValue();
                    }
                }
            }
        }
        return 0;
    }

    @Test
    void countsFlowsByVerdictPortAndFlagsWithoutExemplarTimers() {
        PrometheusRegistry registry = new PrometheusRegistry();
        FlowMetrics metrics = new FlowMetrics(registry);
        for (int i = 0; i < 2000; i++) {
            metrics.record(flow(i, i % 4 == 0, 0x02, 7 + i % 3));
        }
        assertThat(value(registry, "hubble_flows_processed", "type", "PolicyVerdict", "verdict", "FORWARDED")).isEqualTo(1500);
        assertThat(value(registry, "hubble_drop", "reason", "POLICY_DENIED", "protocol", "TCP")).isEqualTo(500);
        assertThat(value(registry, "hubble_tcp_flags", "flag", "SYN")).isEqualTo(2000);
        assertThat(value(registry, "hubble_port_distribution", "port", "8")).isEqualTo(500);
        // without tracing, exemplars would only cost: the client's sampler arms a timer on its
        // scheduler thread for every data point it observes, a wakeup the datapath's node pays for
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(n -> n.startsWith("prometheus-metrics-scheduler"));
    }
}
