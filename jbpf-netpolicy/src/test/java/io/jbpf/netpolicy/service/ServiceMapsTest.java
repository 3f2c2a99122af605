package io.jbpf.netpolicy.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.netpolicy.lab.Ipv4;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cilium's lb4 layout in kernel maps, synced from Service and EndpointSlice YAML. */
@KernelTest
class ServiceMapsTest {
    static final Ipv4 NODE = Ipv4.parse("192.168.10.101");
    static final Map<String, Ipv4> NODES = Map.of("k8s-w1", NODE);
    static final LoadBalancing RANDOM = new LoadBalancing(LoadBalancing.Algorithm.RANDOM, 251);
    final Map<String, KernelMap> maps = new HashMap<>();

    static String yaml(String affinity, String... backends) {
        StringBuilder b = new StringBuilder(String.join("\n",
                "apiVersion: v1", "kind: Service", "metadata: {name: web, namespace: default}", "spec:",
                "  type: NodePort", "  clusterIP: 10.96.0.50", "  sessionAffinity: " + affinity,
                "  ports: [{name: http, protocol: TCP, port: 80, targetPort: 8080, nodePort: 30080}]", "---",
                "apiVersion: discovery.k8s.io/v1", "kind: EndpointSlice",
                "metadata: {name: web-1, namespace: default, labels: {kubernetes.io/service-name: web}}",
                "addressType: IPv4", "ports: [{name: http, protocol: TCP, port: 8080}]", "endpoints:"));
        for (String be : backends) {
            boolean terminating = be.endsWith("!");
            String ip = be.replace("!", "");
            b.append("\n- addresses: [\"").append(ip).append("\"]\n  conditions: {ready: ").append(!terminating)
                    .append(", serving: true, terminating: ").append(terminating).append("}\n  nodeName: k8s-w2");
        }
        return b.append('\n').toString();
    }

    @BeforeEach
    void create() {
        for (MapSpec s : ServiceMaps.specs(new LoadBalancing(LoadBalancing.Algorithm.MAGLEV, 251))) {
            maps.put(s.name(), KernelMap.create(s));
        }
    }

    @AfterEach
    void close() {
        maps.values().forEach(KernelMap::close);
    }

    static ServiceMaps.Entry frontend(List<ServiceMaps.Entry> all, String address, int port) {
        return all.stream().filter(e -> e.address().equals(Ipv4.parse(address)) && e.port() == port).findFirst().orElseThrow();
    }

    static int keys(KernelMap m) {
        int n = 0;
        byte[] cur = null;
        byte[] next = new byte[m.spec().keySize()];
        while (m.nextKey(cur, next)) {
            n++;
            cur = next.clone();
        }
        return n;
    }

    @Test
    void frontendsSlotsBackendsAndReverseNatWithStableIds() {
        ServiceMaps.sync(maps, ServiceYaml.parse(yaml("None", "172.16.2.10", "172.16.2.11", "172.16.1.12")), "k8s-w1", NODES, RANDOM);
        List<ServiceMaps.Entry> fe = ServiceMaps.frontends(maps);
        assertThat(fe).hasSize(2);
        ServiceMaps.Entry cluster = frontend(fe, "10.96.0.50", 80);
        ServiceMaps.Entry nodePort = frontend(fe, "192.168.10.101", 30080);
        assertThat(cluster.protocol()).isEqualTo(6);
        assertThat(cluster.backendIds()).hasSize(3).doesNotHaveDuplicates();
        assertThat(nodePort.backendIds()).isEqualTo(cluster.backendIds());
        assertThat(nodePort.flags() & ServiceMaps.SERVICE_NODE_PORT).isNotZero();
        assertThat(cluster.revNatIndex()).isNotEqualTo(nodePort.revNatIndex());
        Map<Integer, ServiceMaps.BackendEntry> be = ServiceMaps.backends(maps);
        assertThat(be.values()).extracting(b -> b.address().toString() + ":" + b.port())
                .containsExactlyInAnyOrder("172.16.2.10:8080", "172.16.2.11:8080", "172.16.1.12:8080");
        int idOf11 = be.values().stream().filter(b -> b.address().equals(Ipv4.parse("172.16.2.11"))).findFirst().orElseThrow().id();

        // scale down (one backend terminating, one gone) with ClientIP affinity: the survivor keeps its id
        ServiceMaps.sync(maps, ServiceYaml.parse(yaml("ClientIP", "172.16.2.10!", "172.16.2.11")), "k8s-w1", NODES, RANDOM);
        fe = ServiceMaps.frontends(maps);
        cluster = frontend(fe, "10.96.0.50", 80);
        assertThat(cluster.backendIds()).containsExactly(idOf11);
        assertThat(cluster.affinityTimeout()).isEqualTo(10800);
        assertThat(cluster.flags() & ServiceMaps.SERVICE_AFFINITY).isNotZero();
        be = ServiceMaps.backends(maps);
        assertThat(be).hasSize(2);
        assertThat(be.get(idOf11).terminating()).isFalse();
        assertThat(be.values()).filteredOn(ServiceMaps.BackendEntry::terminating).extracting(b -> b.address().toString())
                .containsExactly("172.16.2.10");
        // the slots beyond the count are gone from the kernel map: 2 frontends x (slot 0 + 1 slot)
        assertThat(keys(maps.get(ServiceMaps.SERVICES))).isEqualTo(4);

        // everything removed
        ServiceMaps.sync(maps, List.of(), "k8s-w1", NODES, RANDOM);
        assertThat(ServiceMaps.frontends(maps)).isEmpty();
        assertThat(ServiceMaps.backends(maps)).isEmpty();
        assertThat(keys(maps.get(ServiceMaps.SERVICES))).isZero();
        assertThat(keys(maps.get(ServiceMaps.REVERSE_NAT))).isZero();
    }

    @Test
    void maglevTablesAndNodePortsOnEveryNode() {
        LoadBalancing maglev = new LoadBalancing(LoadBalancing.Algorithm.MAGLEV, 251);
        Map<String, Ipv4> nodes = new java.util.LinkedHashMap<>();
        nodes.put("k8s-w1", NODE);
        nodes.put("k8s-w2", Ipv4.parse("192.168.10.102"));
        ServiceMaps.sync(maps, ServiceYaml.parse(yaml("None", "172.16.2.10", "172.16.2.11", "172.16.1.12")), "k8s-w1",
                nodes, maglev);
        List<ServiceMaps.Entry> fe = ServiceMaps.frontends(maps);
        assertThat(fe).extracting(e -> e.address() + ":" + e.port())
                .containsExactlyInAnyOrder("10.96.0.50:80", "192.168.10.101:30080", "192.168.10.102:30080");
        ServiceMaps.Entry cluster = frontend(fe, "10.96.0.50", 80);
        assertThat(cluster.flags2()).isEqualTo(ServiceMaps.SERVICE2_MAGLEV);
        int[] table = ServiceMaps.maglevTable(maps, cluster.revNatIndex()).orElseThrow();
        assertThat(table).hasSize(251);
        // every slot names a backend of the frontend, each backend holds about a third of the slots
        Map<Integer, Integer> share = new HashMap<>();
        for (int id : table) {
            share.merge(id, 1, Integer::sum);
        }
        assertThat(share.keySet()).containsExactlyInAnyOrderElementsOf(cluster.backendIds());
        assertThat(share.values()).allSatisfy(n -> assertThat(n).isBetween(251 / 3 - 2, 251 / 3 + 2));
        // the table is Maglev's over the backends' names: the same on every node, whatever the ids
        int[] expected = io.jbpf.core.dsl.lb.Maglev.build(List.of(
                io.jbpf.core.dsl.lb.Maglev.Backend.of("172.16.2.10:8080"), io.jbpf.core.dsl.lb.Maglev.Backend.of("172.16.2.11:8080"),
                io.jbpf.core.dsl.lb.Maglev.Backend.of("172.16.1.12:8080")), 251).table();
        Map<Integer, ServiceMaps.BackendEntry> be = ServiceMaps.backends(maps);
        for (int i = 0; i < table.length; i++) {
            String name = be.get(table[i]).address() + ":" + be.get(table[i]).port();
            assertThat(name).isEqualTo(List.of("172.16.2.10:8080", "172.16.2.11:8080", "172.16.1.12:8080").get(expected[i]));
        }
        // back to random: the tables go
        ServiceMaps.sync(maps, ServiceYaml.parse(yaml("None", "172.16.2.10", "172.16.2.11", "172.16.1.12")), "k8s-w1",
                nodes, new LoadBalancing(LoadBalancing.Algorithm.RANDOM, 251));
        assertThat(ServiceMaps.maglevTable(maps, cluster.revNatIndex())).isEmpty();
        assertThat(keys(maps.get(ServiceMaps.MAGLEV))).isZero();
    }
}
