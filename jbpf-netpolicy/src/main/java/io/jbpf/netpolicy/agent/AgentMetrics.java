package io.jbpf.netpolicy.agent;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapType;
import io.jbpf.core.netns.NetNamespace;
import io.jbpf.netpolicy.flow.Flow;
import io.jbpf.netpolicy.flow.FlowMetrics;
import io.jbpf.netpolicy.identity.Identity;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.TreeMap;

/**
 * One agent's Prometheus endpoint ({@code http://<node address>:9962/metrics}, listening inside the
 * node's network namespace): Hubble's flow families ({@link FlowMetrics}) and the agent's own,
 * read when scraped:
 * <ul>
 * <li>{@code cilium_endpoint_state{endpoint_state}}: local endpoints by state;</li>
 * <li>{@code cilium_identity{type}}: identities by kind ({@code reserved}, {@code node_local} for
 * CIDRs, {@code cluster_local} for pods);</li>
 * <li>{@code cilium_policy}: imported policies; {@code cilium_policy_max_revision}: the revision the
 * datapath holds;</li>
 * <li>{@code cilium_bpf_map_pressure{map_name}}: each datapath map's fill (0 to 1; conntrack,
 * NAT and the others), which {@link #pressureWarnings} turns into warnings at
 * {@value #PRESSURE_WARNING};</li>
 * <li>{@code cilium_bpf_map_ops_total{map_name, operation, outcome}}: the agent's map operations
 * ({@link MapOps});</li>
 * <li>{@code hubble_lost_events_total{source}}: flow events lost, {@code PERF_EVENT_RING_BUFFER} for
 * those the datapath's ring had no room for.</li>
 * </ul>
 */
final class AgentMetrics implements AutoCloseable {
    /** Cilium's agent metrics port. */
    static final int PORT = 9962;
    /** The fill at which a map's pressure is reported as a warning. */
    static final double PRESSURE_WARNING = 0.9;

    private final PrometheusRegistry registry;
    private final FlowMetrics flows;
    private final HTTPServer server;

    private AgentMetrics(Agent agent, NetNamespace ns, InetAddress address, PrometheusRegistry registry) {
        this.registry = registry;
        this.flows = new FlowMetrics(registry);
        GaugeWithCallback.builder().name("cilium_endpoint_state").help("Count of all endpoints by state")
                .labelNames("endpoint_state").callback(cb -> {
                    Map<String, Integer> by = new TreeMap<>();
                    agent.endpoints().values().forEach(e -> by.merge(e.state(), 1, Integer::sum));
                    by.forEach((state, n) -> cb.call(n, state));
                }).register(registry);
        GaugeWithCallback.builder().name("cilium_identity").help("Number of identities currently allocated")
                .labelNames("type").callback(cb -> {
                    Map<String, Integer> by = new TreeMap<>();
                    for (Identity id : agent.identities().all()) {
                        by.merge(kind(id), 1, Integer::sum);
                    }
                    by.forEach((kind, n) -> cb.call(n, kind));
                }).register(registry);
        GaugeWithCallback.builder().name("cilium_policy").help("Number of policies currently loaded")
                .callback(cb -> cb.call(agent.policies().policies().size())).register(registry);
        GaugeWithCallback.builder().name("cilium_policy_max_revision").help("Highest policy revision number in the agent")
                .callback(cb -> cb.call(agent.appliedRevision())).register(registry);
        GaugeWithCallback.builder().name("cilium_bpf_map_pressure").help("Fill percentage of BPF maps, from 0 to 1")
                .labelNames("map_name").callback(cb -> pressure(agent).forEach((name, p) -> cb.call(p, name)))
                .register(registry);
        CounterWithCallback.builder().name("hubble_lost_events_total").help("Number of lost events")
                .labelNames("source").callback(cb -> cb.call(agent.datapath().lostEvents(), "PERF_EVENT_RING_BUFFER"))
                .register(registry);
        try {
            // bound on the namespace's thread, the listening socket belongs to the node's namespace
            this.server = ns.run(() -> HTTPServer.builder().inetAddress(address).port(PORT).registry(registry)
                    .buildAndStart());
        } catch (RuntimeException e) {
            throw new AgentException("cannot serve metrics on " + address.getHostAddress() + ":" + PORT + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Starts the endpoint on {@code address} in {@code ns}, serving {@code registry} (where the
     * agent's {@link MapOps} already count) with the families above added.
     *
     * @throws AgentException when the port cannot be bound
     */
    static AgentMetrics start(Agent agent, NetNamespace ns, InetAddress address, PrometheusRegistry registry) {
        return new AgentMetrics(agent, ns, address, registry);
    }

    /** Counts one observed flow. */
    void record(Flow f) {
        flows.record(f);
    }

    /** The port the endpoint listens on. */
    int port() {
        return server.getPort();
    }

    /** Cilium's identity types: reserved, node-local (CIDR identities) and cluster-wide. */
    private static String kind(Identity id) {
        if (id.isReserved()) {
            return "reserved";
        }
        return id.isLocal() ? "node_local" : "cluster_local";
    }

    /** Each datapath map's fill, by name (ring buffers have none). */
    static Map<String, Double> pressure(Agent agent) {
        Map<String, Double> out = new TreeMap<>();
        for (KernelMap m : AgentViews.datapathMaps(agent).values()) {
            if (m.spec().type() != MapType.RINGBUF) {
                out.put(m.spec().name(), AgentViews.count(m) / (double) m.spec().maxEntries());
            }
        }
        return out;
    }

    /** A warning for each map at or above {@value #PRESSURE_WARNING} of its capacity. */
    static String pressureWarnings(Agent agent) {
        StringBuilder b = new StringBuilder();
        pressure(agent).forEach((name, p) -> {
            if (p >= PRESSURE_WARNING) {
                b.append(b.length() == 0 ? "" : ", ").append(name).append(String.format(" %.0f%% full", p * 100));
            }
        });
        return b.toString();
    }

    @Override
    public void close() {
        server.close();
    }
}
