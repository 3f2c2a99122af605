package io.jbpf.netpolicy.policy;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The resolved policy of one endpoint: in which directions it is default-deny, and the entries
 * its policy map holds. {@link #decide} is the datapath's lookup, written in Java: the tests hold
 * the kernel's verdicts against it.
 *
 * @param enforced the default-deny directions
 * @param entries  the policy map entries
 */
public record EndpointPolicy(Set<Direction> enforced, Map<PolicyKey, Verdict> entries) {
    /** The policy of an endpoint that no policy selects: everything allowed, no entries. */
    public static final EndpointPolicy OPEN = new EndpointPolicy(Set.of(), Map.of());

    /** Copies the collections. */
    public EndpointPolicy {
        enforced = enforced.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(enforced));
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** Whether {@code direction} is default-deny. */
    public boolean isEnforced(Direction direction) {
        return enforced.contains(direction);
    }

    /**
     * The verdict for traffic with {@code identity} in {@code direction} on {@code protocol} and
     * {@code port}, as the datapath gives it: the most specific entry for the identity and the
     * most specific entry for any identity are looked up; a deny from either wins, then an allow
     * from either; with neither, the direction's default (deny when enforced).
     */
    public Verdict decide(int identity, Direction direction, int protocol, int port) {
        Verdict own = longestMatch(identity, direction, protocol, port);
        Verdict any = identity == 0 ? null : longestMatch(0, direction, protocol, port);
        if (own == Verdict.DENY || any == Verdict.DENY) {
            return Verdict.DENY;
        }
        if (own == Verdict.ALLOW || any == Verdict.ALLOW) {
            return Verdict.ALLOW;
        }
        return isEnforced(direction) ? Verdict.DENY : Verdict.ALLOW;
    }

    private Verdict longestMatch(int identity, Direction direction, int protocol, int port) {
        PolicyKey best = null;
        for (PolicyKey k : entries.keySet()) {
            if (k.identity() == identity && k.direction() == direction && k.matches(protocol, port)
                    && (best == null || k.prefixLength() > best.prefixLength())) {
                best = k;
            }
        }
        return best == null ? null : entries.get(best);
    }
}
