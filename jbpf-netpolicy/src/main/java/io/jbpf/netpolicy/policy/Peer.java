package io.jbpf.netpolicy.policy;

import io.jbpf.maps.Cidr;
import java.util.List;
import java.util.Objects;

/** The other side of a rule: who may send to (ingress) or receive from (egress) the endpoint. */
public sealed interface Peer {
    /**
     * Endpoints (pods, and reserved identities other than the world) whose labels the selector
     * matches.
     *
     * @param selector over the identity's labels
     */
    record Endpoints(EndpointSelector selector) implements Peer {
        /** Checks for null. */
        public Endpoints {
            Objects.requireNonNull(selector, "selector");
        }
    }

    /**
     * Addresses in {@code cidr} but in none of {@code except} (an {@code ipBlock}, a
     * {@code toCIDRSet} entry, or a {@code fromCIDR} without exceptions).
     *
     * @param cidr   the block
     * @param except blocks inside it that are not meant
     */
    record Cidrs(Cidr cidr, List<Cidr> except) implements Peer {
        /** @throws IllegalArgumentException when an exception lies outside the block or differs in family */
        public Cidrs {
            Objects.requireNonNull(cidr, "cidr");
            except = List.copyOf(except);
            for (Cidr e : except) {
                if (e.isIpv4() != cidr.isIpv4() || e.prefixLength() < cidr.prefixLength() || !cidr.contains(e.address())) {
                    throw new IllegalArgumentException("except " + e + " is not inside " + cidr);
                }
            }
        }
    }

    /**
     * An entity.
     *
     * @param entity which
     */
    record Entities(Entity entity) implements Peer {
        /** Checks for null. */
        public Entities {
            Objects.requireNonNull(entity, "entity");
        }
    }
}
