package io.jbpf.netpolicy.policy;

import io.jbpf.netpolicy.identity.Identity;
import io.jbpf.netpolicy.identity.Label;
import io.jbpf.netpolicy.identity.Labels;
import io.jbpf.netpolicy.identity.ReservedIdentity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Turns policies into one endpoint's {@link EndpointPolicy}: which policies select it, which
 * directions they make default-deny, and the policy map entries their rules give, with deny
 * winning over allow. Identities are taken from the given universe (every identity the node
 * knows, CIDR identities included); a rule's peers become the identities they select at this
 * moment, so the agent resolves again when identities come and go.
 */
public final class PolicyResolver {
    private final Collection<Identity> identities;
    private final Function<Identity, List<NamedPort>> namedPortsOf;
    /** Endpoint identities by each of their labels' {@code key=value} (source left out): selectors look up candidates here. */
    private final Map<String, List<Identity>> byLabel = new java.util.HashMap<>();
    private final List<Identity> endpointIdentities = new ArrayList<>();

    /**
     * @param identities   every identity known (reserved, cluster and CIDR)
     * @param namedPortsOf the named ports the endpoints of an identity serve (for egress rules
     *                     that name a port)
     */
    public PolicyResolver(Collection<Identity> identities, Function<Identity, List<NamedPort>> namedPortsOf) {
        this.identities = List.copyOf(identities);
        this.namedPortsOf = namedPortsOf;
        for (Identity i : this.identities) {
            if (!i.isLocal() && i.id() != ReservedIdentity.WORLD.id()) {
                endpointIdentities.add(i);
                for (io.jbpf.netpolicy.identity.Label l : i.labels()) {
                    byLabel.computeIfAbsent(l.key() + "=" + l.value(), k -> new ArrayList<>()).add(i);
                }
            }
        }
    }

    /** The endpoint identities (not world or CIDR) that {@code selector} selects, found through the label index. */
    private List<Identity> selected(EndpointSelector selector) {
        List<Identity> candidates = endpointIdentities;
        for (Map.Entry<String, String> e : selector.matchLabels().entrySet()) {
            String key = e.getKey();
            int colon = key.indexOf(':');
            if (colon > 0 && List.of("k8s", "reserved", "cidr", "any").contains(key.substring(0, colon))) {
                key = key.substring(colon + 1);
            }
            List<Identity> c = byLabel.getOrDefault(key + "=" + e.getValue(), List.of());
            if (c.size() < candidates.size()) {
                candidates = c;
            }
        }
        List<Identity> out = new ArrayList<>();
        for (Identity i : candidates) {
            if (selector.matches(i.labels())) {
                out.add(i);
            }
        }
        return out;
    }

    /**
     * The policy of an endpoint with {@code labels} serving {@code ownPorts}, under {@code policies}.
     */
    public EndpointPolicy resolve(Labels labels, List<NamedPort> ownPorts, Collection<Policy> policies) {
        Set<Direction> enforced = EnumSet.noneOf(Direction.class);
        Map<PolicyKey, Verdict> entries = new LinkedHashMap<>();
        List<Policy> selecting = new ArrayList<>();
        for (Policy p : policies) {
            if (p.subject().matches(labels)) {
                selecting.add(p);
                enforced.addAll(p.enforced());
            }
        }
        for (Policy p : selecting) {
            for (PolicyRule r : p.rules()) {
                if (!p.enforced().contains(r.direction()) && !r.deny()) {
                    continue; // Kubernetes ignores rules of a direction its policyTypes leave out
                }
                addRule(r, ownPorts, entries);
            }
        }
        removeShadowedAllows(entries);
        if (selecting.isEmpty()) {
            return EndpointPolicy.OPEN;
        }
        entries.entrySet().removeIf(e -> e.getValue() == Verdict.ALLOW && !enforced.contains(e.getKey().direction()));
        return new EndpointPolicy(enforced, entries);
    }

    private void addRule(PolicyRule r, List<NamedPort> ownPorts, Map<PolicyKey, Verdict> entries) {
        Verdict v = r.deny() ? Verdict.DENY : Verdict.ALLOW;
        Set<Integer> ids = peers(r.peers());
        for (int id : ids) {
            List<PortRule> ports = r.ports().isEmpty() ? List.of(PortRule.ANY) : r.ports();
            for (PortRule pr : ports) {
                for (PolicyKey k : keys(id, r.direction(), pr, ownPorts)) {
                    entries.merge(k, v, (a, b) -> a == Verdict.DENY || b == Verdict.DENY ? Verdict.DENY : Verdict.ALLOW);
                }
            }
        }
    }

    /** The identities of a rule's peers; {0} for "every peer". */
    Set<Integer> peers(List<Peer> peers) {
        Set<Integer> out = new TreeSet<>();
        if (peers.isEmpty()) {
            out.add(0);
            return out;
        }
        for (Peer peer : peers) {
            if (peer instanceof Peer.Endpoints e) {
                for (Identity i : selected(e.selector())) {
                    out.add(i.id());
                }
            } else if (peer instanceof Peer.Cidrs c) {
                if (c.cidr().prefixLength() == 0) {
                    out.add(ReservedIdentity.WORLD.id());
                }
                Label block = new Label(Label.CIDR, c.cidr().toString(), "");
                for (Identity i : identities) {
                    if (i.labels().contains(block) && c.except().stream().noneMatch(
                            x -> i.labels().contains(new Label(Label.CIDR, x.toString(), "")))) {
                        out.add(i.id());
                    }
                }
            } else {
                addEntity(((Peer.Entities) peer).entity(), out);
            }
        }
        return out;
    }

    private void addEntity(Entity entity, Set<Integer> out) {
        switch (entity) {
            case ALL:
                out.add(0);
                return;
            case WORLD:
                out.add(ReservedIdentity.WORLD.id());
                for (Identity i : identities) {
                    if (i.isLocal()) {
                        out.add(i.id());
                    }
                }
                return;
            case CLUSTER:
                for (Identity i : identities) {
                    if (!i.isLocal() && i.id() != ReservedIdentity.WORLD.id()) {
                        out.add(i.id());
                    }
                }
                return;
            case HOST:
                out.add(ReservedIdentity.HOST.id());
                return;
            case REMOTE_NODE:
                out.add(ReservedIdentity.REMOTE_NODE.id());
                return;
            case HEALTH:
                out.add(ReservedIdentity.HEALTH.id());
                return;
            case INIT:
                out.add(ReservedIdentity.INIT.id());
                return;
            default:
                out.add(ReservedIdentity.KUBE_APISERVER.id());
        }
    }

    private List<PolicyKey> keys(int id, Direction dir, PortRule pr, List<NamedPort> ownPorts) {
        List<PolicyKey> out = new ArrayList<>();
        if (pr.protocol() == Protocol.ANY) {
            out.add(new PolicyKey(id, dir, 0, 0, 0));
            return out;
        }
        if (!pr.isNamed()) {
            if (pr.port() == 0) {
                out.add(new PolicyKey(id, dir, pr.protocol().number(), 0, 0));
            } else {
                for (int[] block : blocks(pr.port(), pr.endPort())) {
                    out.add(new PolicyKey(id, dir, pr.protocol().number(), block[0], block[1]));
                }
            }
            return out;
        }
        // A named port is the port the destination serves under that name: the endpoint's own on
        // ingress, the peer's on egress. Egress to "every peer" on a named port is, for each identity
        // serving a port under that name, that identity on that port (as Kubernetes means it: the
        // destination pod's port); peers that serve no such name get nothing.
        List<NamedPort> served;
        if (dir == Direction.INGRESS) {
            served = ownPorts;
        } else if (id == 0) {
            for (Identity i : identities) {
                for (NamedPort np : namedPortsOf.apply(i)) {
                    if (np.name().equals(pr.name()) && np.protocol() == pr.protocol()) {
                        out.add(new PolicyKey(i.id(), dir, pr.protocol().number(), np.port(), 16));
                    }
                }
            }
            return out;
        } else {
            served = identities.stream().filter(i -> i.id() == id).findFirst().map(namedPortsOf).orElse(List.of());
        }
        for (NamedPort np : served) {
            if (np.name().equals(pr.name()) && np.protocol() == pr.protocol()) {
                out.add(new PolicyKey(id, dir, pr.protocol().number(), np.port(), 16));
            }
        }
        return out;
    }

    /** The fewest aligned power-of-two blocks {first port, prefix bits} that cover {@code from..to}. */
    static List<int[]> blocks(int from, int to) {
        List<int[]> out = new ArrayList<>();
        int p = from;
        while (p <= to) {
            int size = p == 0 ? 1 << 16 : Integer.lowestOneBit(p);
            while (p + size - 1 > to) {
                size >>= 1;
            }
            out.add(new int[] {p, 16 - Integer.numberOfTrailingZeros(size)});
            p += size;
        }
        return out;
    }

    /** Drops each allow whose block lies inside a deny of the same identity and direction (the LPM would prefer it). */
    private static void removeShadowedAllows(Map<PolicyKey, Verdict> entries) {
        Map<String, List<PolicyKey>> denies = new java.util.HashMap<>();
        entries.forEach((k, v) -> {
            if (v == Verdict.DENY) {
                denies.computeIfAbsent(k.identity() + "/" + k.direction(), x -> new ArrayList<>()).add(k);
            }
        });
        if (denies.isEmpty()) {
            return;
        }
        entries.entrySet().removeIf(e -> e.getValue() == Verdict.ALLOW && denies
                .getOrDefault(e.getKey().identity() + "/" + e.getKey().direction(), List.of()).stream()
                .anyMatch(d -> d.covers(e.getKey())));
    }
}
