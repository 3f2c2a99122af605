package io.jbpf.netpolicy.policy;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A policy, as a Kubernetes NetworkPolicy or a CiliumNetworkPolicy translates to: the endpoints
 * it selects, the directions in which it makes them default-deny, and its rules.
 *
 * @param name      the policy's name
 * @param namespace its Kubernetes namespace, or null for a cluster-wide policy
 * @param subject   the endpoints it applies to (over their identity labels, including the
 *                  namespace label when the policy is namespaced)
 * @param enforced  the directions in which a selected endpoint allows only what some rule allows
 * @param rules     the rules
 */
public record Policy(String name, String namespace, EndpointSelector subject, Set<Direction> enforced,
        List<PolicyRule> rules) {
    /** Copies the collections. */
    public Policy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(subject, "subject");
        enforced = Set.copyOf(enforced);
        rules = List.copyOf(rules);
    }

    /** {@code namespace/name}, or the name of a cluster-wide policy. */
    public String qualifiedName() {
        return namespace == null ? name : namespace + "/" + name;
    }
}
