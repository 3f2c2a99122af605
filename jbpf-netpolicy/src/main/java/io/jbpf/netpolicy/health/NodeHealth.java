package io.jbpf.netpolicy.health;

import java.util.Objects;

/**
 * The last probes of one node, as {@code cilium-health status} shows a node.
 *
 * @param node     the node's name
 * @param local    whether it is the node that probed (Cilium's {@code (localhost)})
 * @param host     the probe of the node's own address (its agent's responder)
 * @param endpoint the probe of the node's health endpoint
 */
public record NodeHealth(String node, boolean local, ProbeResult host, ProbeResult endpoint) {
    /** Checks for nulls. */
    public NodeHealth {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(endpoint, "endpoint");
    }

    /** Whether both the node's address and its health endpoint answered: how {@code cilium status} counts a node. */
    public boolean reachable() {
        return host.reachable() && endpoint.reachable();
    }
}
