package io.jbpf.netpolicy.service;

import java.util.List;
import java.util.Objects;

/**
 * A frontend of a resolved service with its backends (active and terminating, in slice order).
 *
 * @param frontend the address, port and protocol
 * @param portName the service port it comes from ({@code ""} when unnamed)
 * @param trafficPolicy the policy that applies to it (internal for the cluster IP, external for
 *     node ports and external IPs)
 * @param backends its backends, each address and port once
 */
public record ServiceFrontend(Frontend frontend, String portName, TrafficPolicy trafficPolicy, List<Backend> backends) {
    /** Copies the backends. */
    public ServiceFrontend {
        Objects.requireNonNull(frontend, "frontend");
        Objects.requireNonNull(portName, "portName");
        Objects.requireNonNull(trafficPolicy, "trafficPolicy");
        backends = List.copyOf(backends);
    }

    /**
     * The backends a new connection arriving on {@code node} may be sent to: the active ones, and
     * under {@link TrafficPolicy#LOCAL} only those on {@code node} (none there: the connection is
     * dropped). Terminating backends never take new connections.
     */
    public List<Backend> backendsForNewConnections(String node) {
        return backends.stream()
                .filter(b -> b.state() == BackendState.ACTIVE)
                .filter(b -> trafficPolicy == TrafficPolicy.CLUSTER || b.nodeName().filter(node::equals).isPresent())
                .toList();
    }
}
