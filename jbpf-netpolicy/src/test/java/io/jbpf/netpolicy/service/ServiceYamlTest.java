package io.jbpf.netpolicy.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.netpolicy.lab.Ipv4;
import io.jbpf.netpolicy.policy.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceYamlTest {

    static String resource(String name) throws IOException {
        try (InputStream in = ServiceYamlTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String yaml(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    static List<String> printed(ServiceFrontend f) {
        return f.backends().stream().map(Backend::toString).toList();
    }

    @Test
    void emptyDocumentsAndSeparatorsAreSkipped() {
        assertThat(ServiceYaml.parse("---\n" + NODE_PORT + "---\n\n---\n")).hasSize(1);
        assertThat(ServiceYaml.parse(NODE_PORT + "---\n")).hasSize(1);
    }

    @Test
    void aClusterIpServiceWithBackendsOnThreeNodes() throws IOException {
        List<ResolvedService> all = ServiceYaml.parse(resource("web-3-backends.yaml"));
        assertThat(all).singleElement().satisfies(r -> {
            Service s = r.service();
            assertThat(s.qualifiedName()).isEqualTo("shop/web");
            assertThat(s.type()).isEqualTo(ServiceType.CLUSTER_IP);
            assertThat(s.clusterIp()).contains(Ipv4.parse("10.96.0.50"));
            assertThat(s.selector()).isEqualTo(Map.of("app", "web"));
            assertThat(s.sessionAffinity()).isEqualTo(SessionAffinity.NONE);
            assertThat(s.ports()).containsExactly(
                    new ServicePort("http", Protocol.TCP, 80, TargetPort.named("http-alt"), 0),
                    new ServicePort("dns", Protocol.UDP, 53, TargetPort.of(5353), 0));
            assertThat(r.slices()).singleElement().satisfies(sl -> {
                assertThat(sl.serviceName()).isEqualTo("web");
                assertThat(sl.endpoints()).hasSize(5);
            });
            assertThat(r.frontends()).extracting(f -> f.frontend().toString())
                    .containsExactly("10.96.0.50:80/TCP", "10.96.0.50:53/UDP");
            ServiceFrontend http = r.frontends().get(0);
            assertThat(http.frontend().kind()).isEqualTo(FrontendKind.CLUSTER_IP);
            assertThat(http.portName()).isEqualTo("http");
            // the named target port resolves through the slice port of the same name; the
            // not-ready, not-terminating endpoint is no backend; absent conditions mean ready
            assertThat(printed(http)).containsExactly(
                    "10.0.1.11:8080/TCP (active)",
                    "10.0.2.12:8080/TCP (active)",
                    "10.0.3.13:8080/TCP (terminating)",
                    "10.0.3.15:8080/TCP (active)");
            assertThat(http.backends().get(0).nodeName()).contains("node-1");
            assertThat(http.backends().get(0).podName()).contains("web-7d9f-aaaaa");
            assertThat(http.backends().get(3).podName()).isEmpty();
            assertThat(printed(r.frontends().get(1))).containsExactly(
                    "10.0.1.11:5353/UDP (active)",
                    "10.0.2.12:5353/UDP (active)",
                    "10.0.3.13:5353/UDP (terminating)",
                    "10.0.3.15:5353/UDP (active)");
            // the terminating backend takes no new connection; Cluster policy uses every node
            assertThat(http.backendsForNewConnections("node-3")).extracting(b -> b.address().toString())
                    .containsExactly("10.0.1.11", "10.0.2.12", "10.0.3.15");
        });
    }

    static final String NODE_PORT = yaml(
            "apiVersion: v1",
            "kind: Service",
            "metadata: {name: echo}",
            "spec:",
            "  type: NodePort",
            "  clusterIP: 10.96.1.1",
            "  externalTrafficPolicy: Local",
            "  externalIPs: [192.168.50.10, 192.168.50.11]",
            "  sessionAffinity: ClientIP",
            "  sessionAffinityConfig:",
            "    clientIP: {timeoutSeconds: 60}",
            "  ports:",
            "  - {port: 7, protocol: UDP, nodePort: 30007}",
            "---",
            "apiVersion: discovery.k8s.io/v1",
            "kind: EndpointSlice",
            "metadata:",
            "  name: echo-1",
            "  labels: {kubernetes.io/service-name: echo}",
            "addressType: IPv4",
            "endpoints:",
            "- {addresses: [10.0.1.7], nodeName: node-1}",
            "- {addresses: [10.0.2.7], nodeName: node-2}",
            "---",
            "apiVersion: discovery.k8s.io/v1",
            "kind: EndpointSlice",
            "metadata:",
            "  name: echo-2",
            "  labels: {kubernetes.io/service-name: echo}",
            "addressType: IPv4",
            "endpoints:",
            "- {addresses: [10.0.2.7], nodeName: node-2}",
            "- addresses: [10.0.3.7]",
            "  nodeName: node-3",
            "ports:",
            "- {port: 7007, protocol: UDP}");

    @Test
    void aNodePortWithExternalIpsClientIpAffinityAndLocalPolicy() {
        ResolvedService r = ServiceYaml.parse(NODE_PORT).get(0);
        Service s = r.service();
        assertThat(s.namespace()).isEqualTo("default");
        assertThat(s.type()).isEqualTo(ServiceType.NODE_PORT);
        assertThat(s.sessionAffinity()).isEqualTo(SessionAffinity.clientIp(60));
        assertThat(s.externalTrafficPolicy()).isEqualTo(TrafficPolicy.LOCAL);
        assertThat(s.internalTrafficPolicy()).isEqualTo(TrafficPolicy.CLUSTER);
        assertThat(r.frontends()).extracting(f -> f.frontend().toString() + " " + f.frontend().kind() + " " + f.trafficPolicy())
                .containsExactly(
                        "10.96.1.1:7/UDP CLUSTER_IP CLUSTER",
                        "0.0.0.0:30007/UDP NODE_PORT LOCAL",
                        "192.168.50.10:7/UDP EXTERNAL_IP LOCAL",
                        "192.168.50.11:7/UDP EXTERNAL_IP LOCAL");
        // echo-1 has no ports: the numbered target port (the port itself) is used; echo-2 names
        // the unnamed port; 10.0.2.7 is in both slices, once with each port
        assertThat(printed(r.frontends().get(0))).containsExactly(
                "10.0.1.7:7/UDP (active)", "10.0.2.7:7/UDP (active)", "10.0.2.7:7007/UDP (active)", "10.0.3.7:7007/UDP (active)");
        ServiceFrontend nodePort = r.frontends().get(1);
        assertThat(nodePort.backendsForNewConnections("node-2")).extracting(b -> b.address() + ":" + b.port())
                .containsExactly("10.0.2.7:7", "10.0.2.7:7007");
        assertThat(nodePort.backendsForNewConnections("node-9")).as("Local with no backend on the node").isEmpty();
        assertThat(r.frontends().get(0).backendsForNewConnections("node-9")).hasSize(4);
    }

    @Test
    void clientIpAffinityDefaultsToThreeHoursAndLoadBalancerIsANodePort() {
        ResolvedService r = ServiceYaml.parse(yaml(
                "apiVersion: v1",
                "kind: List",
                "items:",
                "- apiVersion: v1",
                "  kind: Service",
                "  metadata: {name: lb, namespace: edge}",
                "  spec:",
                "    type: LoadBalancer",
                "    clusterIP: 10.96.2.2",
                "    sessionAffinity: ClientIP",
                "    ports: [{port: 443, targetPort: 8443, nodePort: 32443}]",
                "  status:",
                "    loadBalancer:",
                "      ingress: [{ip: 203.0.113.99}]")).get(0);
        assertThat(r.service().sessionAffinity().timeoutSeconds()).isEqualTo(10800);
        assertThat(r.service().type()).isEqualTo(ServiceType.LOAD_BALANCER);
        assertThat(r.frontends()).extracting(f -> f.frontend().toString()).containsExactly("10.96.2.2:443/TCP", "0.0.0.0:32443/TCP");
        assertThat(r.frontends().get(0).backends()).isEmpty();
    }

    @Test
    void aDuplicatedBackendKeepsTheActiveOne() {
        ResolvedService r = ServiceYaml.parse(yaml(
                "apiVersion: v1",
                "kind: Service",
                "metadata: {name: a}",
                "spec: {clusterIP: 10.96.0.1, ports: [{port: 80}]}",
                "---",
                "apiVersion: discovery.k8s.io/v1",
                "kind: EndpointSlice",
                "metadata: {name: a-1, labels: {kubernetes.io/service-name: a}}",
                "addressType: IPv4",
                "endpoints: [{addresses: [10.0.0.9], conditions: {ready: false, serving: true, terminating: true}}]",
                "---",
                "apiVersion: discovery.k8s.io/v1",
                "kind: EndpointSlice",
                "metadata: {name: a-2, labels: {kubernetes.io/service-name: a}}",
                "addressType: IPv4",
                "endpoints: [{addresses: [10.0.0.9]}]")).get(0);
        assertThat(printed(r.frontends().get(0))).containsExactly("10.0.0.9:80/TCP (active)");
    }

    @Test
    void aHeadlessServiceHasNoFrontend() {
        ResolvedService r = ServiceYaml.parse(yaml(
                "apiVersion: v1",
                "kind: Service",
                "metadata: {name: db}",
                "spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}",
                "---",
                "apiVersion: discovery.k8s.io/v1",
                "kind: EndpointSlice",
                "metadata: {name: db-1, labels: {kubernetes.io/service-name: db}}",
                "addressType: IPv4",
                "endpoints: [{addresses: [10.0.0.5]}]")).get(0);
        assertThat(r.service().isHeadless()).isTrue();
        assertThat(r.slices()).hasSize(1);
        assertThat(r.frontends()).isEmpty();
    }

    @Test
    void theSameAddressWithAnotherPortOrProtocolIsAnotherFrontend() {
        List<ResolvedService> all = ServiceYaml.parse(yaml(
                "apiVersion: v1", "kind: Service", "metadata: {name: a}",
                "spec: {clusterIP: 10.96.0.1, ports: [{port: 80}]}",
                "---",
                "apiVersion: v1", "kind: Service", "metadata: {name: b}",
                "spec: {clusterIP: 10.96.0.1, ports: [{name: dns, port: 80, protocol: UDP}, {name: web, port: 81}]}"));
        assertThat(all).hasSize(2);
        assertThat(all.get(1).frontends()).extracting(f -> f.frontend().toString())
                .containsExactly("10.96.0.1:80/UDP", "10.96.0.1:81/TCP");
    }

    @Test
    void aNamedTargetPortWithoutItsSlicePortGivesThatSliceNoBackends() {
        ResolvedService r = ServiceYaml.parse(yaml(
                "apiVersion: v1",
                "kind: Service",
                "metadata: {name: api, namespace: prod}",
                "spec:",
                "  clusterIP: 10.96.3.3",
                "  internalTrafficPolicy: Local",
                "  ports: [{port: 80, targetPort: web}]",
                "---",
                "apiVersion: discovery.k8s.io/v1",
                "kind: EndpointSlice",
                "metadata: {name: api-old, namespace: prod, labels: {kubernetes.io/service-name: api}}",
                "addressType: IPv4",
                "endpoints: [{addresses: [10.0.1.1], nodeName: node-1}]",
                "ports: [{name: metrics, port: 9090}]",
                "---",
                "apiVersion: discovery.k8s.io/v1",
                "kind: EndpointSlice",
                "metadata: {name: api-new, namespace: prod, labels: {kubernetes.io/service-name: api}}",
                "addressType: IPv4",
                "endpoints:",
                "- {addresses: [10.0.2.2], nodeName: node-2}",
                "- addresses: [10.0.1.3]",
                "  nodeName: node-1",
                "  conditions: {ready: false, terminating: true}",
                "ports: [{name: '', port: 8080}]")).get(0);
        ServiceFrontend f = r.frontends().get(0);
        assertThat(f.trafficPolicy()).isEqualTo(TrafficPolicy.LOCAL);
        // absent serving reads as true: the terminating endpoint still serves its connections
        assertThat(printed(f)).containsExactly("10.0.2.2:8080/TCP (active)", "10.0.1.3:8080/TCP (terminating)");
        assertThat(f.backendsForNewConnections("node-2")).extracting(b -> b.address().toString()).containsExactly("10.0.2.2");
        assertThat(f.backendsForNewConnections("node-1")).as("only a terminating backend on node-1").isEmpty();
    }

    @Test
    void tenThousandServicesEachKeepTheirOwnFrontend() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            b.append("---\napiVersion: v1\nkind: Service\nmetadata: {name: s").append(i).append("}\n")
                    .append("spec: {clusterIP: ").append(new Ipv4(0x0a600000 + i)).append(", ports: [{port: 80}]}\n");
        }
        List<ResolvedService> all = ServiceYaml.parse(b.toString());
        assertThat(all).hasSize(10_000);
        assertThat(all.get(9_999).service().name()).isEqualTo("s9999");
        assertThat(all.get(9_999).frontends().get(0).frontend().toString()).isEqualTo("10.96.39.15:80/TCP");
        assertThat(all.stream().map(r -> r.frontends().get(0).frontend()).distinct().count()).isEqualTo(10_000);
    }

    // ---- bad input -----------------------------------------------------------------------------

    static final String HEAD = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n";

    static void refused(String text, String field, int line, String message) {
        assertThatThrownBy(() -> ServiceYaml.parse(text))
                .isInstanceOfSatisfying(InvalidServiceException.class, e -> {
                    assertThat(e.field()).as("field").isEqualTo(field);
                    assertThat(e.line()).as("line").isEqualTo(line);
                    assertThat(e.column()).as("column").isPositive();
                })
                .hasMessageContaining(message);
    }

    @Test
    void aClusterIpServiceNeedsItsAddress() {
        refused(HEAD + "spec:\n  ports: [{port: 80}]\n", "spec", 5, "jbpf does not allocate cluster IPs");
        refused(HEAD + "spec:\n  clusterIP: \"\"\n  ports: [{port: 80}]\n", "spec", 5, "clusterIP is missing");
    }

    @Test
    void badAddressesAreRefused() {
        refused(HEAD + "spec:\n  clusterIP: 10.96.0.300\n  ports: [{port: 80}]\n", "spec.clusterIP", 5, "octet 300 is over 255");
        refused(HEAD + "spec:\n  clusterIP: fd00::1\n  ports: [{port: 80}]\n", "spec.clusterIP", 5, "not an IPv4 address");
        refused(HEAD + "spec:\n  clusterIP: 10.96.0.1\n  externalIPs: [1.2.3]\n  ports: [{port: 80}]\n",
                "spec.externalIPs[0]", 6, "not an IPv4 address");
        refused(HEAD + "spec:\n  clusterIP: 10.96.0.1\n  clusterIPs: [10.96.0.1, fd00::1]\n  ports: [{port: 80}]\n",
                "spec.clusterIPs[1]", 6, "single-stack");
        refused(HEAD + "spec:\n  clusterIP: 10.96.0.1\n  clusterIPs: [10.96.0.2]\n  ports: [{port: 80}]\n",
                "spec.clusterIPs[0]", 6, "must be clusterIP");
        refused(HEAD + "spec:\n  clusterIP: 10.96.0.1\n  ipFamilies: [IPv6]\n  ports: [{port: 80}]\n",
                "spec.ipFamilies[0]", 6, "only IPv4");
        refused(HEAD + "spec: {clusterIP: 10.96.0.1, ports: [{port: 80}]}\n"
                + "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
                + "metadata: {name: s-1, labels: {kubernetes.io/service-name: s}}\naddressType: IPv4\n"
                + "endpoints:\n- addresses: [10.0.0.256]\n",
                "endpoints[0].addresses[0]", 11, "over 255");
        refused(HEAD + "spec: {clusterIP: 10.96.0.1, ports: [{port: 80}]}\n"
                + "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
                + "metadata: {name: s-1, labels: {kubernetes.io/service-name: s}}\naddressType: IPv6\n",
                "addressType", 9, "only addressType IPv4");
    }

    @Test
    void portsOutOfRangeAreRefused() {
        refused(HEAD + "spec:\n  clusterIP: 10.96.0.1\n  ports:\n  - port: 0\n", "spec.ports[0].port", 7, "port 0 is out of range (1-65535)");
        refused(HEAD + "spec:\n  clusterIP: 10.96.0.1\n  ports:\n  - port: 65536\n", "spec.ports[0].port", 7, "out of range");
        refused(HEAD + "spec:\n  clusterIP: 10.96.0.1\n  ports:\n  - {port: 80, targetPort: 70000}\n",
                "spec.ports[0].targetPort", 7, "targetPort 70000 is out of range");
        refused(HEAD + "spec:\n  clusterIP: 10.96.0.1\n  ports:\n  - {port: 80, targetPort: Http_Port}\n",
                "spec.ports[0].targetPort", 7, "not a port name");
        refused(HEAD + "spec:\n  clusterIP: 10.96.0.1\n  ports:\n  - {port: eighty}\n",
                "spec.ports[0].port", 7, "'eighty' is not a number");
        refused(HEAD + "spec:\n  clusterIP: 10.96.0.1\n  ports: []\n", "spec", 5, "at least one port");
    }

    @Test
    void unknownProtocolsAreRefused() {
        refused(HEAD + "spec:\n  clusterIP: 10.96.0.1\n  ports:\n  - {port: 80, protocol: ICMP}\n",
                "spec.ports[0].protocol", 7, "protocol is TCP, UDP or SCTP, not 'ICMP'");
        refused(HEAD + "spec:\n  clusterIP: 10.96.0.1\n  ports:\n  - {port: 80, protocol: tcp}\n",
                "spec.ports[0].protocol", 7, "not 'tcp'");
    }

    @Test
    void nodePortsOutsideTheRangeOrTheTypeAreRefused() {
        refused(HEAD + "spec:\n  type: NodePort\n  clusterIP: 10.96.0.1\n  ports:\n  - {port: 80, nodePort: 8080}\n",
                "spec.ports[0].nodePort", 8, "nodePort 8080 is out of range (30000-32767)");
        refused(HEAD + "spec:\n  type: NodePort\n  clusterIP: 10.96.0.1\n  ports:\n  - {port: 80, nodePort: 32768}\n",
                "spec.ports[0].nodePort", 8, "out of range (30000-32767)");
        refused(HEAD + "spec:\n  type: NodePort\n  clusterIP: 10.96.0.1\n  ports:\n  - {port: 80}\n",
                "spec.ports[0]", 8, "jbpf does not allocate node ports");
        refused(HEAD + "spec:\n  clusterIP: 10.96.0.1\n  ports:\n  - {port: 80, nodePort: 30080}\n",
                "spec.ports[0].nodePort", 7, "nodePort needs type NodePort or LoadBalancer");
        refused(HEAD + "spec:\n  type: NodePort\n  clusterIP: None\n  ports:\n  - {port: 80, nodePort: 30080}\n",
                "spec.clusterIP", 6, "headless service");
    }

    @Test
    void unknownFieldsAndKindsAreRefused() {
        refused(HEAD + "spec:\n  clusterIP: 10.96.0.1\n  ports: [{port: 80}]\n  sessionAfinity: ClientIP\n",
                "spec.sessionAfinity", 7, "unknown field");
        refused(HEAD + "spec:\n  clusterIP: 10.96.0.1\n  ports:\n  - port: 80\n    tragetPort: 8080\n",
                "spec.ports[0].tragetPort", 8, "unknown field");
        refused("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {}\n", "kind", 2, "unsupported kind Deployment");
        refused(HEAD + "spec:\n  type: ExternalName\n  externalName: example.com\n", "spec.type", 5, "ExternalName");
        refused(HEAD + "spec: {clusterIP: 10.96.0.1, ports: [{port: 80}]}\n"
                + "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
                + "metadata: {name: s-1, labels: {kubernetes.io/service-name: s}}\naddressType: IPv4\n"
                + "endpoints:\n- addresses: [10.0.0.1]\n  conditions: {ready: yes}\n",
                "endpoints[0].conditions.ready", 12, "not true or false");
        refused(HEAD + "spec: {clusterIP: 10.96.0.1, ports: [{port: 80}], sessionAffinity: Sticky}\n",
                "spec.sessionAffinity", 4, "None or ClientIP");
        refused(HEAD + "spec: {clusterIP: 10.96.0.1, ports: [{port: 80}], externalTrafficPolicy: Global}\n",
                "spec.externalTrafficPolicy", 4, "Cluster or Local");
    }

    @Test
    void affinityMistakesAreRefused() {
        refused(HEAD + "spec:\n  clusterIP: 10.96.0.1\n  ports: [{port: 80}]\n  sessionAffinity: ClientIP\n"
                + "  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 86401\n",
                "spec.sessionAffinityConfig.clientIP.timeoutSeconds", 10, "out of range (1-86400)");
        refused(HEAD + "spec:\n  clusterIP: 10.96.0.1\n  ports: [{port: 80}]\n"
                + "  sessionAffinityConfig:\n    clientIP: {timeoutSeconds: 60}\n",
                "spec.sessionAffinityConfig", 8, "needs sessionAffinity ClientIP");
    }

    @Test
    void severalPortsMustBeNamedAndDistinct() {
        refused(HEAD + "spec:\n  clusterIP: 10.96.0.1\n  ports:\n  - {name: a, port: 80}\n  - {port: 81}\n",
                "spec.ports[1]", 8, "must name each");
        refused(HEAD + "spec:\n  clusterIP: 10.96.0.1\n  ports:\n  - {name: a, port: 80}\n  - {name: a, port: 81}\n",
                "spec.ports[1]", 8, "port name 'a' is used twice");
        refused(HEAD + "spec:\n  clusterIP: 10.96.0.1\n  ports:\n  - {name: a, port: 80}\n  - {name: b, port: 80}\n",
                "spec.ports[1]", 8, "port 80/TCP is given twice");
    }

    @Test
    void aSliceWithoutItsServiceInTheInputIsRefused() {
        refused("apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
                + "metadata:\n  name: ghost-1\n  labels:\n    kubernetes.io/service-name: ghost\naddressType: IPv4\n",
                "metadata.labels.kubernetes.io/service-name", 6, "service default/ghost, which is not in this input");
        // the same name in another namespace is another service
        refused(HEAD + "spec: {clusterIP: 10.96.0.1, ports: [{port: 80}]}\n"
                + "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
                + "metadata: {name: s-1, namespace: other, labels: {kubernetes.io/service-name: s}}\naddressType: IPv4\n",
                "metadata.labels.kubernetes.io/service-name", 8, "other/s, which is not in this input");
        refused("apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: x}\naddressType: IPv4\n",
                "metadata", 3, "needs the label kubernetes.io/service-name");
    }

    @Test
    void duplicateFrontendsAreRefused() {
        refused(HEAD + "spec: {clusterIP: 10.96.0.1, ports: [{port: 80}]}\n"
                + "---\napiVersion: v1\nkind: Service\nmetadata: {name: t}\n"
                + "spec:\n  clusterIP: 10.96.0.1\n  ports:\n  - port: 80\n",
                "spec.ports[0]", 12, "frontend 10.96.0.1:80/TCP is already taken by service default/s (line 4)");
        refused(HEAD + "spec: {type: NodePort, clusterIP: 10.96.0.1, ports: [{port: 80, nodePort: 30080}]}\n"
                + "---\napiVersion: v1\nkind: Service\nmetadata: {name: t}\n"
                + "spec:\n  type: NodePort\n  clusterIP: 10.96.0.2\n  ports:\n  - {port: 81, nodePort: 30080}\n",
                "spec.ports[0]", 13, "frontend 0.0.0.0:30080/TCP is already taken by service default/s (line 4)");
        refused(HEAD + "spec: {clusterIP: 10.96.0.1, ports: [{port: 80}]}\n"
                + "---\napiVersion: v1\nkind: Service\nmetadata: {name: t}\n"
                + "spec:\n  clusterIP: 10.96.0.2\n  externalIPs:\n  - 10.96.0.1\n  ports: [{port: 80}]\n",
                "spec.externalIPs[0]", 12, "frontend 10.96.0.1:80/TCP is already taken");
        refused(HEAD + "spec: {clusterIP: 10.96.0.1, ports: [{port: 80}]}\n---\n" + HEAD
                + "spec: {clusterIP: 10.96.0.2, ports: [{port: 80}]}\n",
                "metadata.name", 8, "service default/s is given twice");
    }

    @Test
    void aFileIsTakenWholeOrNotAtAll() {
        // the first document is fine, the second is not: nothing comes back
        assertThatThrownBy(() -> ServiceYaml.parse(NODE_PORT + "---\n" + HEAD + "spec: {clusterIP: 10.96.9.9, ports: [{port: 0}]}\n"))
                .isInstanceOf(InvalidServiceException.class);
        assertThatThrownBy(() -> ServiceYaml.parse("apiVersion: v1\nkind: Service\nmetadata: {name: [x\n"))
                .isInstanceOfSatisfying(InvalidServiceException.class, e -> assertThat(e.line()).isPositive())
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void theRecordsCheckTheirValues() {
        assertThatThrownBy(() -> new Frontend(Ipv4.parse("10.0.0.1"), 30000, Protocol.TCP, FrontendKind.NODE_PORT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ServicePort("", Protocol.ICMP, 80, TargetPort.of(80), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionAffinity(false, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Endpoint(List.of(), true, true, false, Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new Endpoint(List.of(Ipv4.parse("10.0.0.1")), false, true, true, Optional.empty(), Optional.empty()).backendState())
                .contains(BackendState.TERMINATING);
        assertThat(new Endpoint(List.of(Ipv4.parse("10.0.0.1")), false, false, true, Optional.empty(), Optional.empty()).backendState())
                .isEmpty();
        assertThat(new Endpoint(List.of(Ipv4.parse("10.0.0.1")), true, true, true, Optional.empty(), Optional.empty()).backendState())
                .as("publishNotReadyAddresses keeps a terminating endpoint ready").contains(BackendState.ACTIVE);
        assertThat(new Endpoint(List.of(Ipv4.parse("10.0.0.1")), false, true, false, Optional.empty(), Optional.empty()).backendState())
                .isEmpty();
    }
}
