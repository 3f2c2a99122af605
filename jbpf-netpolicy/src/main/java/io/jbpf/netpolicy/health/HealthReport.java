package io.jbpf.netpolicy.health;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The result of one probe round.
 *
 * @param probed when the round started
 * @param nodes  every node of the cluster, in the lab's order
 */
public record HealthReport(Instant probed, List<NodeHealth> nodes) {
    /** Copies the list. */
    public HealthReport {
        Objects.requireNonNull(probed, "probed");
        nodes = List.copyOf(nodes);
    }

    /** How many nodes were {@link NodeHealth#reachable() reachable}. */
    public int reachable() {
        return (int) nodes.stream().filter(NodeHealth::reachable).count();
    }
}
