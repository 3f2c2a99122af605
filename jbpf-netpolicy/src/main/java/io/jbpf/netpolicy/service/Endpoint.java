package io.jbpf.netpolicy.service;

import io.jbpf.netpolicy.lab.Ipv4;
import java.util.List;
import java.util.Optional;

/**
 * One endpoint of an {@link EndpointSlice}, with its conditions as Kubernetes reads them: an absent
 * condition is read as discovery.k8s.io/v1 documents it: {@code ready} and {@code serving} as true,
 * {@code terminating} as false.
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
     * The state it gives its backends, if it is a backend at all: ready is
     * {@link BackendState#ACTIVE} (also when terminating: only {@code publishNotReadyAddresses}
     * makes a terminating endpoint ready, and then it is meant to take traffic, as kube-proxy and
     * Cilium treat it); not ready but terminating and still serving is
     * {@link BackendState#TERMINATING} (kept for its established connections, given no new ones);
     * anything else (not ready and not terminating, or no longer serving) is no backend.
     */
    public Optional<BackendState> backendState() {
        if (ready) {
            return Optional.of(BackendState.ACTIVE);
        }
        return terminating && serving ? Optional.of(BackendState.TERMINATING) : Optional.empty();
    }
}
