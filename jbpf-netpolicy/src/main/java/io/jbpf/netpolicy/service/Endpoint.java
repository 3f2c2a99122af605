package io.jbpf.netpolicy.service;

import io.jbpf.netpolicy.lab.Ipv4;
import java.util.List;
import java.util.Optional;

/**
 * One endpoint of an {@link EndpointSlice}, with its conditions as Kubernetes reads them: an absent
 * {@code ready} means ready, an absent {@code serving} means the same as {@code ready}, an absent
 * {@code terminating} means not terminating.
 *
 * @param addresses its addresses, at least one; as Kubernetes allows, only the first is used
 * @param ready whether it takes new traffic
 * @param serving whether it answers (also while terminating)
 * @param terminating whether it is shutting down
 * @param nodeName the node it runs on, if known
 * @param podName the pod it is ({@code targetRef} of kind Pod), if known
 */
public record Endpoint(List<Ipv4> addresses, boolean ready, boolean serving, boolean terminating,
        Optional<String> nodeName, Optional<String> podName) {

    /** Copies the addresses; at least one. */
    public Endpoint {
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("an endpoint needs at least one address");
        }
        java.util.Objects.requireNonNull(nodeName, "nodeName");
        java.util.Objects.requireNonNull(podName, "podName");
    }

    /**
     * The state it gives its backends, if it is a backend at all: ready and not terminating is
     * {@link BackendState#ACTIVE}; terminating and still serving is {@link BackendState#TERMINATING}
     * (kept for its established connections, given no new ones); anything else (not ready, or
     * terminating and no longer serving) is no backend.
     */
    public Optional<BackendState> backendState() {
        if (terminating) {
            return serving ? Optional.of(BackendState.TERMINATING) : Optional.empty();
        }
        return ready ? Optional.of(BackendState.ACTIVE) : Optional.empty();
    }
}
