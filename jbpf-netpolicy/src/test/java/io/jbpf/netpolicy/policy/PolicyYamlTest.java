package io.jbpf.netpolicy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.maps.Cidr;
import io.jbpf.netpolicy.identity.Identity;
import io.jbpf.netpolicy.identity.IdentityAllocator;
import io.jbpf.netpolicy.identity.Labels;
import io.jbpf.netpolicy.identity.ReservedIdentity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyYamlTest {
    final IdentityAllocator ids = IdentityAllocator.inMemory();
    final Identity netpod = ids.allocate(pod("default", "netpod", "dev"));
    final Identity webpod = ids.allocate(pod("default", "webpod", "dev"));
    final Identity otherNs = ids.allocate(pod("other", "netpod", "prod"));
    final Identity otherWeb = ids.allocate(pod("other", "webpod", "prod"));

    static Labels pod(String ns, String app, String env) {
        return Labels.ofPod(ns, Map.of("app", app), Map.of("env", env, "kubernetes.io/metadata.name", ns));
    }

    EndpointPolicy resolve(Identity subject, String yaml, NamedPort... ports) {
        return new PolicyResolver(ids.all(), i -> List.of()).resolve(subject.labels(), List.of(ports), PolicyYaml.parse(yaml));
    }

    static final String DEMO = String.join("\n",
            "apiVersion: networking.k8s.io/v1",
            "kind: NetworkPolicy",
            "metadata:",
            "  name: web-from-netpod",
            "  namespace: default",
            "spec:",
            "  podSelector:",
            "    matchLabels: {app: webpod}",
            "  ingress:",
            "  - from:",
            "    - podSelector:",
            "        matchLabels: {app: netpod}",
            "    ports:",
            "    - port: 80");

    @Test
    void aNetworkPolicyLetsOnlyTheSelectedPodsReachThePort() {
        List<Policy> ps = PolicyYaml.parse(DEMO);
        assertThat(ps).singleElement().satisfies(p -> {
            assertThat(p.qualifiedName()).isEqualTo("default/web-from-netpod");
            assertThat(p.enforced()).containsExactly(Direction.INGRESS);
        });
        EndpointPolicy web = resolve(webpod, DEMO);
        assertThat(web.decide(netpod.id(), Direction.INGRESS, 6, 80)).isEqualTo(Verdict.ALLOW);
        assertThat(web.decide(netpod.id(), Direction.INGRESS, 6, 81)).isEqualTo(Verdict.DENY);
        assertThat(web.decide(netpod.id(), Direction.INGRESS, 17, 80)).isEqualTo(Verdict.DENY);
        assertThat(web.decide(otherNs.id(), Direction.INGRESS, 6, 80)).as("same labels, other namespace").isEqualTo(Verdict.DENY);
        assertThat(web.decide(otherNs.id(), Direction.EGRESS, 6, 80)).isEqualTo(Verdict.ALLOW);
        assertThat(resolve(otherWeb, DEMO)).as("the policy is namespaced").isEqualTo(EndpointPolicy.OPEN);
    }

    @Test
    void namespaceSelectorsIpBlocksNamedPortsAndRanges() {
        Identity block = ids.allocateCidr(Cidr.parse("203.0.113.0/24"));
        Identity hole = ids.allocateCidr(Cidr.parse("203.0.113.0/28"));
        String yaml = String.join("\n",
                "apiVersion: networking.k8s.io/v1",
                "kind: NetworkPolicy",
                "metadata: {name: p, namespace: default}",
                "spec:",
                "  podSelector: {}",
                "  policyTypes: [Ingress, Egress]",
                "  ingress:",
                "  - from:",
                "    - namespaceSelector:",
                "        matchExpressions: [{key: env, operator: In, values: [prod]}]",
                "      podSelector: {matchLabels: {app: netpod}}",
                "    ports:",
                "    - {port: http}",
                "    - {protocol: UDP, port: 5000, endPort: 5010}",
                "  egress:",
                "  - to:",
                "    - ipBlock: {cidr: 203.0.113.0/24, except: [203.0.113.0/28]}");
        EndpointPolicy web = resolve(webpod, yaml, new NamedPort("http", Protocol.TCP, 8080));
        assertThat(web.decide(otherNs.id(), Direction.INGRESS, 6, 8080)).isEqualTo(Verdict.ALLOW);
        assertThat(web.decide(otherNs.id(), Direction.INGRESS, 17, 5005)).isEqualTo(Verdict.ALLOW);
        assertThat(web.decide(otherNs.id(), Direction.INGRESS, 17, 5011)).isEqualTo(Verdict.DENY);
        assertThat(web.decide(otherWeb.id(), Direction.INGRESS, 6, 8080)).as("app=webpod is not netpod").isEqualTo(Verdict.DENY);
        assertThat(web.decide(netpod.id(), Direction.INGRESS, 6, 8080)).as("namespace env=dev").isEqualTo(Verdict.DENY);
        assertThat(web.decide(block.id(), Direction.EGRESS, 6, 443)).isEqualTo(Verdict.ALLOW);
        assertThat(web.decide(hole.id(), Direction.EGRESS, 6, 443)).isEqualTo(Verdict.DENY);
        assertThat(web.decide(ReservedIdentity.WORLD.id(), Direction.EGRESS, 6, 443)).isEqualTo(Verdict.DENY);
        assertThat(web.decide(netpod.id(), Direction.EGRESS, 6, 80)).isEqualTo(Verdict.DENY);
    }

    @Test
    void aCiliumPolicyWithEntitiesCidrSetsAndADenyThatWins() {
        Identity outside = ids.allocateCidr(Cidr.parse("203.0.113.10/32"));
        String yaml = String.join("\n",
                "apiVersion: cilium.io/v2",
                "kind: CiliumNetworkPolicy",
                "metadata: {name: c, namespace: default}",
                "spec:",
                "  endpointSelector: {matchLabels: {app: netpod}}",
                "  egress:",
                "  - toEntities: [world]",
                "  - toEndpoints: [{matchLabels: {app: webpod}}]",
                "    toPorts: [{ports: [{port: '80', protocol: TCP}]}]",
                "  egressDeny:",
                "  - toCIDRSet: [{cidr: 203.0.113.0/24}]",
                "    toPorts: [{ports: [{port: '22'}]}]",
                "  ingress:",
                "  - {}",
                "---",
                "apiVersion: cilium.io/v2",
                "kind: CiliumClusterwideNetworkPolicy",
                "metadata: {name: all-web}",
                "spec:",
                "  endpointSelector: {matchLabels: {app: webpod}}",
                "  ingress:",
                "  - fromEndpoints: [{matchLabels: {'k8s:io.kubernetes.pod.namespace': other}}]");
        List<Policy> ps = PolicyYaml.parse(yaml);
        assertThat(ps).extracting(Policy::qualifiedName).containsExactly("default/c", "all-web");
        EndpointPolicy net = resolve(netpod, yaml);
        assertThat(net.enforced()).containsExactlyInAnyOrder(Direction.INGRESS, Direction.EGRESS);
        assertThat(net.decide(outside.id(), Direction.EGRESS, 6, 443)).isEqualTo(Verdict.ALLOW);
        assertThat(net.decide(outside.id(), Direction.EGRESS, 6, 22)).isEqualTo(Verdict.DENY);
        assertThat(net.decide(outside.id(), Direction.EGRESS, 17, 22)).as("port without protocol: every protocol").isEqualTo(Verdict.DENY);
        assertThat(net.decide(ReservedIdentity.WORLD.id(), Direction.EGRESS, 6, 22)).isEqualTo(Verdict.ALLOW);
        assertThat(net.decide(webpod.id(), Direction.EGRESS, 6, 80)).isEqualTo(Verdict.ALLOW);
        assertThat(net.decide(otherWeb.id(), Direction.EGRESS, 6, 80)).as("toEndpoints stay in the namespace").isEqualTo(Verdict.DENY);
        assertThat(net.decide(webpod.id(), Direction.INGRESS, 6, 80)).as("ingress: [{}] allows nothing").isEqualTo(Verdict.DENY);
        EndpointPolicy otherWebPolicy = resolve(otherWeb, yaml);
        assertThat(otherWebPolicy.decide(otherNs.id(), Direction.INGRESS, 6, 1)).isEqualTo(Verdict.ALLOW);
        assertThat(otherWebPolicy.decide(netpod.id(), Direction.INGRESS, 6, 1)).isEqualTo(Verdict.DENY);
    }

    @Test
    void badDocumentsAreRefusedWholeNamingTheField() {
        String good = DEMO + "\n---\n";
        assertThatThrownBy(() -> PolicyYaml.parse(good + DEMO.replace("port: 80", "port: 70000")))
                .isInstanceOfSatisfying(InvalidPolicyException.class, e -> {
                    assertThat(e.field()).isEqualTo("spec.ingress[0].ports[0].port");
                    assertThat(e.line()).isEqualTo(29);
                    assertThat(e.getMessage()).contains("70000").contains("out of range");
                });
        assertThatThrownBy(() -> PolicyYaml.parse(DEMO.replace("    ports:", "    portz:")))
                .isInstanceOfSatisfying(InvalidPolicyException.class, e -> {
                    assertThat(e.field()).isEqualTo("spec.ingress[0].portz");
                    assertThat(e.getMessage()).contains("unknown field");
                });
        assertThatThrownBy(() -> PolicyYaml.parse(DEMO.replace("  ingress:\n  - from:\n",
                "  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.0/33}\n")))
                .isInstanceOf(InvalidPolicyException.class).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> PolicyYaml.parse(DEMO.replace("matchLabels: {app: netpod}",
                "matchExpressions: [{key: app, operator: Like, values: [x]}]")))
                .isInstanceOf(InvalidPolicyException.class).hasMessageContaining("operator").hasMessageContaining("Like");
        assertThatThrownBy(() -> PolicyYaml.parse(DEMO.replace("  ingress:\n  - from:\n",
                "  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.0/8, except: [192.168.0.0/16]}\n")))
                .isInstanceOf(InvalidPolicyException.class).hasMessageContaining("192.168.0.0/16 is not inside 10.0.0.0/8");
        assertThatThrownBy(() -> PolicyYaml.parse(DEMO.replace("kind: NetworkPolicy", "kind: Ingress")))
                .isInstanceOf(InvalidPolicyException.class).hasMessageContaining("unsupported kind Ingress");
        assertThatThrownBy(() -> PolicyYaml.parse(DEMO.replace("    - port: 80", "    - port: 80\n      protocol: ICMP")))
                .isInstanceOf(InvalidPolicyException.class).hasMessageContaining("TCP, UDP or SCTP");
        assertThatThrownBy(() -> PolicyYaml.parse("apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: x}\n"
                + "spec:\n  endpointSelector: {}\n  egress:\n  - toFQDNs: [{matchName: example.com}]\n"))
                .isInstanceOf(InvalidPolicyException.class).hasMessageContaining("toFQDNs is not supported");
        assertThatThrownBy(() -> PolicyYaml.parse("kind: [unclosed"))
                .isInstanceOf(InvalidPolicyException.class).hasMessageContaining("YAML");
    }
}
