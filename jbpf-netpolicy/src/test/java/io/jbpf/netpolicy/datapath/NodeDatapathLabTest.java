package io.jbpf.netpolicy.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.netns.NetNamespace;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.maps.Cidr;
import io.jbpf.netpolicy.identity.Identity;
import io.jbpf.netpolicy.identity.IdentityAllocator;
import io.jbpf.netpolicy.identity.Labels;
import io.jbpf.netpolicy.identity.ReservedIdentity;
import io.jbpf.netpolicy.lab.Ipv4;
import io.jbpf.netpolicy.lab.Lab;
import io.jbpf.netpolicy.lab.LabException;
import io.jbpf.netpolicy.lab.LabNames;
import io.jbpf.netpolicy.lab.LabProbe;
import io.jbpf.netpolicy.lab.LabSpec;
import io.jbpf.netpolicy.lab.NamespaceSpec;
import io.jbpf.netpolicy.lab.NodeSpec;
import io.jbpf.netpolicy.lab.PodSpec;
import io.jbpf.netpolicy.policy.EndpointPolicy;
import io.jbpf.netpolicy.policy.NamedPort;
import io.jbpf.netpolicy.policy.Policy;
import io.jbpf.netpolicy.policy.PolicyResolver;
import io.jbpf.netpolicy.policy.PolicyYaml;
import io.jbpf.netpolicy.policy.Protocol;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The datapath on the three nodes of the default lab, with real traffic: attached with no policy
 * it lets everything through; with the demo policy (only app=netpod may reach app=webpod, on TCP
 * 80) a cross-node HTTP request still works while the echo port and the outside host are refused;
 * the pinned links keep judging after every fd of this process is closed; removal restores
 * everything.
 */
@KernelTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeDatapathLabTest {
    static final String NAME = "d" + ProcessHandle.current().pid();
    static final Path PINS = Path.of("/sys/fs/bpf/jbpf-lab-" + NAME);
    static final String DEMO = String.join("\n",
            "apiVersion: networking.k8s.io/v1",
            "kind: NetworkPolicy",
            "metadata: {name: demo, namespace: default}",
            "spec:",
            "  podSelector: {matchLabels: {app: webpod}}",
            "  ingress:",
            "  - from: [{podSelector: {matchLabels: {app: netpod}}}]",
            "    ports: [{port: 80}]");
    static final Ipv4 WEBPOD1 = Ipv4.parse("172.16.1.10");

    static Lab lab;
    static LabProbe probe;
    static IdentityAllocator ids = IdentityAllocator.inMemory();
    static Map<String, Identity> podIdentity = new HashMap<>();

    @BeforeAll
    static void up() {
        lab = Lab.up(LabSpec.defaultSpec().withName(NAME));
        probe = new LabProbe(lab, Duration.ofSeconds(2));
    }

    @AfterAll
    static void down() {
        try {
            for (NodeSpec n : spec().nodes()) {
                NodeDatapath.remove(PINS.resolve(n.name()));
            }
            NodeDatapath.remove(PINS);
        } finally {
            Lab.down(NAME);
        }
    }

    static LabSpec spec() {
        return LabSpec.defaultSpec().withName(NAME);
    }

    static Inet4Address ip(Ipv4 a) throws Exception {
        return (Inet4Address) InetAddress.getByAddress(a.bytes());
    }

    static Labels labelsOf(PodSpec p) {
        Map<String, String> nsLabels = spec().namespaces().stream().filter(n -> n.name().equals(p.namespace()))
                .findFirst().map(NamespaceSpec::labels).orElse(Map.of());
        return Labels.ofPod(p.namespace(), p.labels(), nsLabels);
    }

    /** What an agent would do on every node: maps, endpoints, ipcache, attach, then each endpoint's policy. */
    static void install(List<Policy> policies) throws Exception {
        for (PodSpec p : spec().pods()) {
            podIdentity.put(p.name(), ids.allocate(labelsOf(p)));
        }
        PolicyResolver resolver = new PolicyResolver(ids.all(), i -> List.of());
        for (NodeSpec node : spec().nodes()) {
            try (NodeDatapath dp = NodeDatapath.open(PINS.resolve(node.name()));
                    NetNamespace ns = NetNamespace.open(lab.namespaceOf(node.name()))) {
                for (PodSpec p : spec().pods()) {
                    IpCache.put(dp.ipcache(), new IpCache.Entry(Cidr.parse(p.ip() + "/32"), podIdentity.get(p.name()).id(),
                            null));
                }
                for (NodeSpec other : spec().nodes()) {
                    int id = other.equals(node) ? ReservedIdentity.HOST.id() : ReservedIdentity.REMOTE_NODE.id();
                    IpCache.put(dp.ipcache(), new IpCache.Entry(Cidr.parse(other.ip() + "/32"), id, null));
                }
                int endpointId = 1;
                for (PodSpec p : spec().pods()) {
                    if (!p.node().equals(node.name())) {
                        continue;
                    }
                    String lxc = LabNames.lxc(p);
                    EndpointMap.put(dp.endpoints(), new EndpointMap.Entry(ip(p.ip()), endpointId,
                            podIdentity.get(p.name()).id(), ns.ifindex(lxc), new byte[6], new byte[6]));
                    List<NamedPort> ports = p.ports().stream()
                            .map(ps -> new NamedPort(ps.name(), Protocol.of(ps.protocol().toString()), ps.port())).toList();
                    EndpointPolicy ep = resolver.resolve(podIdentity.get(p.name()).labels(), ports, policies);
                    PolicyMap.sync(dp.policy(), endpointId, ep);
                    dp.attach(ns, lxc);
                    assertThat(dp.isAttached(lxc)).isTrue();
                    endpointId++;
                }
            }
        }
    }

    static String hostname(String body) {
        return body.lines().filter(l -> l.startsWith("Hostname:")).findFirst().orElse("");
    }

    @Test
    @Order(1)
    void withoutPolicyEverythingStillFlows() throws Exception {
        install(List.of());
        assertThat(hostname(probe.httpGet("netpod", WEBPOD1, 80, "/"))).contains("webpod1");
        assertThat(new String(probe.tcpEcho("netpod", WEBPOD1, 7, "hi".getBytes()), StandardCharsets.UTF_8)).isEqualTo("hi");
        assertThat(probe.udpEcho("webpod1", Ipv4.parse("172.16.2.10"), 7, "u".getBytes())).isPresent();
    }

    @Test
    @Order(2)
    void theDemoPolicyLetsOnlyNetpodReachPort80() throws Exception {
        install(PolicyYaml.parse(DEMO));
        assertThat(hostname(probe.httpGet("netpod", WEBPOD1, 80, "/"))).contains("webpod1");
        assertThatThrownBy(() -> probe.tcpEcho("netpod", WEBPOD1, 7, "hi".getBytes())).isInstanceOf(LabException.class);
        assertThat(probe.udpEcho("netpod", WEBPOD1, 7, "u".getBytes())).isEmpty();
        assertThatThrownBy(() -> probe.httpGet("webpod2", WEBPOD1, 80, "/")).as("webpod2 is no netpod")
                .isInstanceOf(LabException.class);
        assertThatThrownBy(() -> probe.httpGet("outside", WEBPOD1, 80, "/")).isInstanceOf(LabException.class);
    }

    @Test
    @Order(3)
    void pinnedLinksKeepJudgingWithNoFdOpenAndRemovalRestoresTraffic() throws Exception {
        System.gc(); // nothing of this process holds the datapath now but the pins
        assertThatThrownBy(() -> probe.tcpEcho("netpod", WEBPOD1, 7, "hi".getBytes())).isInstanceOf(LabException.class);
        try (NodeDatapath again = NodeDatapath.open(PINS.resolve("k8s-w1"))) {
            assertThat(again.restored()).isTrue();
            assertThat(EndpointMap.all(again.endpoints())).hasSize(1);
        }
        for (NodeSpec n : spec().nodes()) {
            assertThat(NodeDatapath.remove(PINS.resolve(n.name()))).isTrue();
        }
        assertThat(new String(probe.tcpEcho("netpod", WEBPOD1, 7, "hi".getBytes()), StandardCharsets.UTF_8)).isEqualTo("hi");
        assertThat(probe.httpGet("outside", WEBPOD1, 80, "/")).contains("webpod1");
    }
}
