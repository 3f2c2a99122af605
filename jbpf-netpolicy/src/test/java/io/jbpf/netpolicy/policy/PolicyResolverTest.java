package io.jbpf.netpolicy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.maps.Cidr;
import io.jbpf.netpolicy.identity.Identity;
import io.jbpf.netpolicy.identity.IdentityAllocator;
import io.jbpf.netpolicy.identity.Labels;
import io.jbpf.netpolicy.identity.ReservedIdentity;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyResolverTest {
    final IdentityAllocator ids = IdentityAllocator.inMemory();
    final Identity netpod = ids.allocate(pod("default", "netpod"));
    final Identity webpod = ids.allocate(pod("default", "webpod"));
    final Identity other = ids.allocate(pod("other", "netpod"));

    static Labels pod(String ns, String app) {
        return Labels.ofPod(ns, Map.of("app", app), Map.of("kubernetes.io/metadata.name", ns));
    }

    static EndpointSelector app(String ns, String app) {
        return EndpointSelector.matchLabels(Map.of("app", app, "k8s:io.kubernetes.pod.namespace", ns));
    }

    PolicyResolver resolver() {
        return new PolicyResolver(ids.all(), i -> i.id() == webpod.id()
                ? List.of(new NamedPort("http", Protocol.TCP, 8080)) : List.of());
    }

    static Policy ingress(EndpointSelector subject, PolicyRule... rules) {
        return new Policy("p", "default", subject, Set.of(Direction.INGRESS), List.of(rules));
    }

    @Test
    void anEndpointNoPolicySelectsIsOpen() {
        Policy p = ingress(app("default", "webpod"));
        EndpointPolicy ep = resolver().resolve(netpod.labels(), List.of(), List.of(p));
        assertThat(ep).isEqualTo(EndpointPolicy.OPEN);
        assertThat(ep.decide(other.id(), Direction.INGRESS, 6, 80)).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void onlyTheSelectedPeerReachesTheSelectedPort() {
        Policy p = ingress(app("default", "webpod"), new PolicyRule(Direction.INGRESS, false,
                List.of(new Peer.Endpoints(app("default", "netpod"))), List.of(PortRule.of(Protocol.TCP, 80))));
        EndpointPolicy ep = resolver().resolve(webpod.labels(), List.of(), List.of(p));
        assertThat(ep.isEnforced(Direction.INGRESS)).isTrue();
        assertThat(ep.isEnforced(Direction.EGRESS)).isFalse();
        assertThat(ep.entries()).containsOnlyKeys(new PolicyKey(netpod.id(), Direction.INGRESS, 6, 80, 16));
        assertThat(ep.decide(netpod.id(), Direction.INGRESS, 6, 80)).isEqualTo(Verdict.ALLOW);
        assertThat(ep.decide(netpod.id(), Direction.INGRESS, 6, 81)).isEqualTo(Verdict.DENY);
        assertThat(ep.decide(netpod.id(), Direction.INGRESS, 17, 80)).isEqualTo(Verdict.DENY);
        assertThat(ep.decide(other.id(), Direction.INGRESS, 6, 80)).isEqualTo(Verdict.DENY);
        assertThat(ep.decide(other.id(), Direction.EGRESS, 6, 80)).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void namedPortsResolveOnTheDestination() {
        PolicyRule in = new PolicyRule(Direction.INGRESS, false, List.of(), List.of(PortRule.named(Protocol.TCP, "http")));
        EndpointPolicy web = resolver().resolve(webpod.labels(), List.of(new NamedPort("http", Protocol.TCP, 8080)),
                List.of(ingress(app("default", "webpod"), in)));
        assertThat(web.decide(netpod.id(), Direction.INGRESS, 6, 8080)).isEqualTo(Verdict.ALLOW);
        assertThat(web.decide(netpod.id(), Direction.INGRESS, 6, 80)).isEqualTo(Verdict.DENY);
        PolicyRule out = new PolicyRule(Direction.EGRESS, false, List.of(new Peer.Endpoints(EndpointSelector.ALL)),
                List.of(PortRule.named(Protocol.TCP, "http")));
        EndpointPolicy net = resolver().resolve(netpod.labels(), List.of(),
                List.of(new Policy("e", "default", app("default", "netpod"), Set.of(Direction.EGRESS), List.of(out))));
        assertThat(net.decide(webpod.id(), Direction.EGRESS, 6, 8080)).isEqualTo(Verdict.ALLOW);
        assertThat(net.decide(other.id(), Direction.EGRESS, 6, 8080)).isEqualTo(Verdict.DENY);
    }

    @Test
    void egressToEveryPeerOnANamedPortIsEachServerOnItsOwnPort() {
        // kubernetes e2e "should allow egress access on one named port": an egress rule with ports only
        PolicyRule out = new PolicyRule(Direction.EGRESS, false, List.of(), List.of(PortRule.named(Protocol.TCP, "http")));
        EndpointPolicy net = resolver().resolve(netpod.labels(), List.of(),
                List.of(new Policy("e", "default", app("default", "netpod"), Set.of(Direction.EGRESS), List.of(out))));
        assertThat(net.entries()).containsOnlyKeys(new PolicyKey(webpod.id(), Direction.EGRESS, 6, 8080, 16));
        assertThat(net.decide(webpod.id(), Direction.EGRESS, 6, 8080)).isEqualTo(Verdict.ALLOW);
        assertThat(net.decide(webpod.id(), Direction.EGRESS, 6, 80)).isEqualTo(Verdict.DENY);
        assertThat(net.decide(webpod.id(), Direction.EGRESS, 17, 8080)).isEqualTo(Verdict.DENY);
        assertThat(net.decide(other.id(), Direction.EGRESS, 6, 8080)).as("serves no port named http").isEqualTo(Verdict.DENY);
    }

    @Test
    void cidrBlocksWithExceptionsAndTheWorldEntity() {
        Identity block = ids.allocateCidr(Cidr.parse("203.0.113.0/24"));
        Identity hole = ids.allocateCidr(Cidr.parse("203.0.113.128/25"));
        Identity elsewhere = ids.allocateCidr(Cidr.parse("198.51.100.0/24"));
        PolicyRule r = new PolicyRule(Direction.EGRESS, false,
                List.of(new Peer.Cidrs(Cidr.parse("203.0.113.0/24"), List.of(Cidr.parse("203.0.113.128/25")))), List.of());
        Policy p = new Policy("c", "default", app("default", "netpod"), Set.of(Direction.EGRESS), List.of(r));
        EndpointPolicy ep = resolver().resolve(netpod.labels(), List.of(), List.of(p));
        assertThat(ep.decide(block.id(), Direction.EGRESS, 17, 53)).isEqualTo(Verdict.ALLOW);
        assertThat(ep.decide(hole.id(), Direction.EGRESS, 17, 53)).isEqualTo(Verdict.DENY);
        assertThat(ep.decide(elsewhere.id(), Direction.EGRESS, 17, 53)).isEqualTo(Verdict.DENY);
        assertThat(ep.decide(ReservedIdentity.WORLD.id(), Direction.EGRESS, 17, 53)).isEqualTo(Verdict.DENY);
        PolicyRule world = new PolicyRule(Direction.EGRESS, false, List.of(new Peer.Entities(Entity.WORLD)), List.of());
        EndpointPolicy w = resolver().resolve(netpod.labels(), List.of(),
                List.of(new Policy("w", "default", app("default", "netpod"), Set.of(Direction.EGRESS), List.of(world))));
        assertThat(List.of(block, hole, elsewhere, ReservedIdentity.WORLD.identity()))
                .allMatch(i -> w.decide(i.id(), Direction.EGRESS, 6, 443) == Verdict.ALLOW);
        assertThat(w.decide(webpod.id(), Direction.EGRESS, 6, 443)).isEqualTo(Verdict.DENY);
    }

    @Test
    void portRangesBecomeTheFewestAlignedBlocks() {
        Random rnd = new Random(7);
        for (int t = 0; t < 2000; t++) {
            int from = 1 + rnd.nextInt(65535);
            int to = from + rnd.nextInt(Math.min(65536 - from, t % 2 == 0 ? 40 : 65536));
            List<int[]> blocks = PolicyResolver.blocks(from, to);
            int next = from;
            for (int[] b : blocks) {
                PolicyKey k = new PolicyKey(1, Direction.INGRESS, 6, b[0], b[1]); // checks alignment
                assertThat(k.port()).isEqualTo(next);
                next = k.endPort() + 1;
            }
            assertThat(next - 1).isEqualTo(to);
            assertThat(blocks.size()).isLessThanOrEqualTo(32);
        }
        assertThat(PolicyResolver.blocks(80, 80)).hasSize(1);
        assertThat(PolicyResolver.blocks(1, 65535)).hasSize(16);
    }

    /**
     * Random allow and deny rules for random peers and port ranges: the map entries the resolver
     * makes, looked up as the datapath does, give the verdict the rules mean (deny wins, then
     * allow, then the default of the direction).
     */
    @Test
    void theMapEntriesMeanWhatTheRulesSay() {
        Random rnd = new Random(42);
        List<Identity> peers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            peers.add(ids.allocate(pod("ns", "p" + i)));
        }
        PolicyResolver resolver = resolver();
        for (int round = 0; round < 300; round++) {
            List<PolicyRule> rules = new ArrayList<>();
            int n = 1 + rnd.nextInt(6);
            for (int i = 0; i < n; i++) {
                List<Peer> who = rnd.nextInt(4) == 0 ? List.of()
                        : List.of(new Peer.Endpoints(EndpointSelector.matchLabels(Map.of("app", "p" + rnd.nextInt(6)))));
                List<PortRule> what;
                int kind = rnd.nextInt(4);
                if (kind == 0) {
                    what = List.of();
                } else if (kind == 1) {
                    what = List.of(new PortRule(rnd.nextBoolean() ? Protocol.TCP : Protocol.UDP, 0, 0, null));
                } else {
                    int from = 1 + rnd.nextInt(120);
                    what = List.of(PortRule.range(rnd.nextBoolean() ? Protocol.TCP : Protocol.UDP, from,
                            from + (kind == 2 ? 0 : rnd.nextInt(40))));
                }
                rules.add(new PolicyRule(Direction.INGRESS, rnd.nextInt(3) == 0, who, what));
            }
            Policy p = ingress(app("default", "webpod"), rules.toArray(new PolicyRule[0]));
            EndpointPolicy ep = resolver.resolve(webpod.labels(), List.of(), List.of(p));
            for (int probe = 0; probe < 200; probe++) {
                Identity src = peers.get(rnd.nextInt(peers.size()));
                int proto = rnd.nextBoolean() ? 6 : 17;
                int port = 1 + rnd.nextInt(170);
                Verdict expected = meaning(rules, src, proto, port);
                assertThat(ep.decide(src.id(), Direction.INGRESS, proto, port))
                        .as("round %d: %s from %s proto %d port %d", round, rules, src.labels(), proto, port)
                        .isEqualTo(expected);
            }
        }
    }

    private static Verdict meaning(List<PolicyRule> rules, Identity src, int proto, int port) {
        boolean allowed = false;
        for (PolicyRule r : rules) {
            boolean peer = r.peers().isEmpty() || r.peers().stream()
                    .anyMatch(p -> ((Peer.Endpoints) p).selector().matches(src.labels()));
            boolean ports = r.ports().isEmpty() || r.ports().stream().anyMatch(pr -> pr.protocol().number() == proto
                    && (pr.port() == 0 || (port >= pr.port() && port <= pr.endPort())));
            if (peer && ports) {
                if (r.deny()) {
                    return Verdict.DENY;
                }
                allowed = true;
            }
        }
        return allowed ? Verdict.ALLOW : Verdict.DENY;
    }

    @Test
    void denyOnlyPoliciesStillEnforceButAllowOnlyWhatAllowsSay() {
        PolicyRule deny = new PolicyRule(Direction.INGRESS, true, List.of(new Peer.Endpoints(app("other", "netpod"))), List.of());
        PolicyRule allowAll = new PolicyRule(Direction.INGRESS, false, List.of(new Peer.Entities(Entity.ALL)), List.of());
        EndpointPolicy ep = resolver().resolve(webpod.labels(), List.of(), List.of(ingress(app("default", "webpod"), deny, allowAll)));
        assertThat(ep.decide(other.id(), Direction.INGRESS, 6, 80)).isEqualTo(Verdict.DENY);
        assertThat(ep.decide(netpod.id(), Direction.INGRESS, 6, 80)).isEqualTo(Verdict.ALLOW);
        assertThat(ep.enforced()).isEqualTo(EnumSet.of(Direction.INGRESS));
    }
}
