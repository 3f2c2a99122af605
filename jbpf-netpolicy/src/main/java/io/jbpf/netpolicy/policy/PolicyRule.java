package io.jbpf.netpolicy.policy;

import java.util.List;
import java.util.Objects;

/**
 * One rule: traffic in {@code direction} with any of {@code peers} on any of {@code ports} is
 * allowed, or denied when {@code deny}. No peers means every peer; no ports means every protocol
 * and port. Deny wins over allow wherever both apply.
 *
 * @param direction ingress or egress
 * @param deny      a deny rule ({@code ingressDeny}/{@code egressDeny})
 * @param peers     who, none for everyone
 * @param ports     what, none for everything
 */
public record PolicyRule(Direction direction, boolean deny, List<Peer> peers, List<PortRule> ports) {
    /** Copies the lists. */
    public PolicyRule {
        Objects.requireNonNull(direction, "direction");
        peers = List.copyOf(peers);
        ports = List.copyOf(ports);
    }
}
