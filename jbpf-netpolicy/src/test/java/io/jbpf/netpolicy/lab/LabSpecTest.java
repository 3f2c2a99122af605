package io.jbpf.netpolicy.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabSpecTest {

    @Test
    void defaultLabMirrorsTheIssue() {
        LabSpec s = LabSpec.defaultSpec();
        assertThat(s.name()).isEqualTo("default");
        assertThat(s.underlay()).isEqualTo(Ipv4Cidr.parse("192.168.10.0/24"));
        assertThat(s.outside().ip()).isEqualTo(Ipv4.parse("203.0.113.10"));
        assertThat(s.nodes()).extracting(NodeSpec::name).containsExactly("k8s-s", "k8s-w1", "k8s-w2");
        assertThat(s.nodes()).extracting(n -> n.ip().toString()).containsExactly("192.168.10.10", "192.168.10.101", "192.168.10.102");
        assertThat(s.nodes()).extracting(n -> n.podCidr().toString())
                .containsExactly("172.16.0.0/24", "172.16.1.0/24", "172.16.2.0/24");
        NodeSpec w1 = s.node("k8s-w1").orElseThrow();
        assertThat(w1.routerIp()).isEqualTo(Ipv4.parse("172.16.1.1"));
        assertThat(w1.healthIp()).isEqualTo(Ipv4.parse("172.16.1.2"));
        PodSpec web = s.pod("webpod1").orElseThrow();
        assertThat(web.node()).isEqualTo("k8s-w1");
        assertThat(web.namespace()).isEqualTo("default");
        assertThat(web.labels()).isEqualTo(Map.of("app", "webpod"));
        assertThat(web.ip()).isEqualTo(Ipv4.parse("172.16.1.10"));
        assertThat(web.ports()).contains(new PortSpec("http", 80, PortSpec.Protocol.TCP, PortSpec.Server.WHOAMI),
                new PortSpec("echo-udp", 7, PortSpec.Protocol.UDP, PortSpec.Server.ECHO));
        assertThat(s.pod("default/netpod").orElseThrow().ip()).isEqualTo(Ipv4.parse("172.16.0.10"));
        assertThat(s.namespaces()).containsExactly(new NamespaceSpec("default", Map.of("kubernetes.io/metadata.name", "default")));
    }

    @Test
    void e2eLabIsTheKubernetesModel() {
        LabSpec s = LabSpec.builtin("e2e");
        assertThat(s.pods()).hasSize(9);
        assertThat(s.namespaces()).extracting(NamespaceSpec::name).containsExactly("x", "y", "z");
        assertThat(s.namespaces().get(1).labels()).containsEntry("ns", "y").containsEntry("kubernetes.io/metadata.name", "y");
        for (PodSpec p : s.pods()) {
            assertThat(p.ports()).extracting(pt -> pt.port() + "/" + pt.protocol())
                    .containsExactlyInAnyOrder("80/TCP", "80/UDP", "81/TCP", "81/UDP");
        }
        assertThat(s.pods()).extracting(PodSpec::node).containsOnly("k8s-s", "k8s-w1", "k8s-w2");
        assertThat(s.pod("z/c").orElseThrow().labels()).containsEntry("pod", "c");
        assertThatThrownBy(() -> LabSpec.builtin("nope")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("e2e");
    }

    @Test
    void writtenYamlReadsBackEqual() {
        LabSpec s = LabSpec.defaultSpec().withName("other");
        assertThat(LabSpec.parse(s.toYaml())).isEqualTo(s);
    }

    @Test
    void podAddressesAreAllocatedAroundExplicitOnes() {
        LabSpec s = LabSpec.parse(String.join("\n",
                "underlay: 10.0.0.0/24",
                "outside: {ip: 203.0.113.10}",
                "nodes: [{name: n1, ip: 10.0.0.1, podCIDR: 10.1.0.0/24, routerIP: 10.1.0.200}]",
                "pods:",
                "  - {name: a, node: n1}",
                "  - {name: b, node: n1, ip: 10.1.0.11}",
                "  - {name: c, namespace: x, node: n1, ports: [{port: 53, protocol: udp}, {port: 8080}]}"));
        assertThat(s.pods()).extracting(p -> p.ip().toString()).containsExactly("10.1.0.10", "10.1.0.11", "10.1.0.12");
        assertThat(s.node("n1").orElseThrow().healthIp()).isEqualTo(Ipv4.parse("10.1.0.2"));
        assertThat(s.pod("c").orElseThrow().ports()).containsExactly(
                new PortSpec("", 53, PortSpec.Protocol.UDP, PortSpec.Server.ECHO),
                new PortSpec("", 8080, PortSpec.Protocol.TCP, PortSpec.Server.WHOAMI));
        assertThat(s.namespaces()).extracting(NamespaceSpec::name).containsExactly("default", "x");
    }

    @Test
    void ambiguousPodNameIsRefused() {
        LabSpec s = LabSpec.parse(String.join("\n",
                "underlay: 10.0.0.0/24",
                "outside: {ip: 203.0.113.10}",
                "nodes: [{name: n1, ip: 10.0.0.1, podCIDR: 10.1.0.0/24}]",
                "pods: [{name: a, namespace: x, node: n1}, {name: a, namespace: y, node: n1}]"));
        assertThat(s.pod("y/a").orElseThrow().ip()).isEqualTo(Ipv4.parse("10.1.0.11"));
        assertThatThrownBy(() -> s.pod("a")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x/a");
    }

    private static final String BASE = String.join("\n",
            "name: lab1",                                        // 1
            "underlay: 192.168.10.0/24",                         // 2
            "outside:",                                          // 3
            "  ip: 203.0.113.10",                                // 4
            "nodes:",                                            // 5
            "  - name: n1",                                      // 6
            "    ip: 192.168.10.10",                             // 7
            "    podCIDR: 172.16.0.0/24",                        // 8
            "  - name: n2",                                      // 9
            "    ip: 192.168.10.11",                             // 10
            "    podCIDR: 172.16.1.0/24",                        // 11
            "pods:",                                             // 12
            "  - name: p1",                                      // 13
            "    node: n1",                                      // 14
            "    ports:",                                        // 15
            "      - {port: 80, protocol: TCP, server: whoami}", // 16
            "");

    @Test
    void baseIsValid() {
        assertThat(LabSpec.parse(BASE).pods()).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "unknown field        | nodez: []                                              | nodez                | 17 | unknown field",
        "bad node address     | '    ip: 192.168.10.10' -> '    ip: 192.168.10.300'    | nodes[0].ip          | 7  | octet 300",
        "node outside underlay| '    ip: 192.168.10.11' -> '    ip: 192.168.11.11'     | nodes[1].ip          | 10 | not in the underlay",
        "same node address    | '    ip: 192.168.10.11' -> '    ip: 192.168.10.10'     | nodes[1].ip          | 10 | already taken by nodes[0].ip",
        "host bits in CIDR    | '172.16.0.0/24' -> '172.16.0.5/24'                     | nodes[0].podCIDR     | 8  | host bits",
        "overlapping CIDRs    | '172.16.1.0/24' -> '172.16.0.0/16'                     | nodes[1].podCIDR     | 11 | overlaps n1",
        "unknown node         | '    node: n1' -> '    node: n9'                       | pods[0].node         | 14 | no node named 'n9'",
        "pod ip outside CIDR  | '    node: n1' -> '    node: n1\\n    ip: 172.16.1.50'  | pods[0].ip           | 15 | not in n1's pod CIDR",
        "port out of range    | 'port: 80' -> 'port: 70000'                            | pods[0].ports[0]     | 16 | not in 1..65535",
        "port not a number    | 'port: 80' -> 'port: http'                             | pods[0].ports[0].port| 16 | not a port number",
        "unknown protocol     | 'protocol: TCP' -> 'protocol: SCTP'                    | pods[0].ports[0].protocol | 16 | not one of tcp, udp",
        "whoami over UDP      | 'protocol: TCP' -> 'protocol: UDP'                     | pods[0].ports[0]     | 16 | speaks HTTP over TCP",
        "bad pod name         | '  - name: p1' -> '  - name: P_1'                      | pods[0].name         | 13 | not a DNS label",
        "reserved node name   | '  - name: n2' -> '  - name: outside'                  | nodes[1].name        | 9  | reserved",
        "bad lab name         | 'name: lab1' -> 'name: my-lab'                         | name                 | 1  | not a lab name",
        "missing underlay     | 'underlay: 192.168.10.0/24' -> 'underlai: 192.168.10.0/24' | underlay         | 1  | missing",
        "labels not a mapping | '    node: n1' -> '    node: n1\\n    labels: [a, b]'   | pods[0].labels       | 15 | expected a mapping",
        "duplicate key        | '    node: n1' -> '    node: n1\\n    node: n2'         | pods[0].node         | 15 | duplicate key",
        "not YAML             | 'outside:' -> 'outside: [unclosed'                     | \"\"                   | 4  | not valid YAML",
    })
    void invalidFilesNameTheField(String what, String edit, String field, int line, String message) {
        String yaml = edit.contains(" -> ") ? replace(BASE, edit) : BASE + edit + "\n";
        assertThatThrownBy(() -> LabSpec.parse(yaml))
                .as(what)
                .isInstanceOfSatisfying(LabSpecException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.getMessage()).contains(message).contains("line " + line);
                });
    }

    private static String replace(String base, String edit) {
        String[] parts = edit.split(" -> ");
        String from = unquote(parts[0]);
        String to = unquote(parts[1]).replace("\\n", "\n");
        assertThat(base).contains(from);
        return base.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
    }

    private static String unquote(String s) {
        s = s.strip();
        return s.startsWith("'") && s.endsWith("'") ? s.substring(1, s.length() - 1) : s;
    }

    @Test
    void renamingToAnInvalidNameIsRefused() {
        assertThatThrownBy(() -> LabSpec.defaultSpec().withName("Bad-Name"))
                .isInstanceOfSatisfying(LabSpecException.class, e -> assertThat(e.field()).isEqualTo("name"));
    }

    @Test
    void addressesAndPrefixesParseStrictly() {
        assertThat(Ipv4.parse("10.1.2.3").bits()).isEqualTo(0x0a010203);
        assertThat(Ipv4.parse("255.255.255.255").toString()).isEqualTo("255.255.255.255");
        for (String bad : List.of("10.1.2", "10.1.2.3.4", "10.1.2.a", "", "1..2.3", "-1.2.3.4", "1.2.3.1234")) {
            assertThatThrownBy(() -> Ipv4.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        Ipv4Cidr c = Ipv4Cidr.parse("172.16.1.0/24");
        assertThat(c.contains(Ipv4.parse("172.16.1.255"))).isTrue();
        assertThat(c.contains(Ipv4.parse("172.16.2.0"))).isFalse();
        assertThat(c.overlaps(Ipv4Cidr.parse("172.16.0.0/16"))).isTrue();
        assertThat(c.overlaps(Ipv4Cidr.parse("172.16.2.0/24"))).isFalse();
        assertThat(Ipv4Cidr.parse("0.0.0.0/0").contains(Ipv4.parse("8.8.8.8"))).isTrue();
        for (String bad : List.of("172.16.1.0", "172.16.1.0/33", "172.16.1.0/", "172.16.1.0/x")) {
            assertThatThrownBy(() -> Ipv4Cidr.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
