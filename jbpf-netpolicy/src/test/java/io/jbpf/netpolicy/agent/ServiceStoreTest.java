package io.jbpf.netpolicy.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.netpolicy.lab.Ipv4;
import io.jbpf.netpolicy.service.Backend;
import io.jbpf.netpolicy.service.BackendState;
import io.jbpf.netpolicy.service.InvalidServiceException;
import io.jbpf.netpolicy.service.ResolvedService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service store: whole imports, replacement by kind/namespace/name, slices on their own, delete, revision. */
class ServiceStoreTest {
    @TempDir
    Path dir;

    static String service(String name, String clusterIp, int port, int nodePort) {
        return String.join("\n", "apiVersion: v1", "kind: Service", "metadata: {name: " + name + ", namespace: default}",
                "spec:", "  type: NodePort", "  clusterIP: " + clusterIp,
                "  ports: [{name: http, protocol: TCP, port: " + port + ", targetPort: 8080, nodePort: " + nodePort + "}]", "");
    }

    /** A slice of {@code service}; a backend ending in {@code !} is terminating. */
    static String slice(String name, String service, String... backends) {
        StringBuilder b = new StringBuilder(String.join("\n", "apiVersion: discovery.k8s.io/v1", "kind: EndpointSlice",
                "metadata: {name: " + name + ", namespace: default, labels: {kubernetes.io/service-name: " + service + "}}",
                "addressType: IPv4", "ports: [{name: http, protocol: TCP, port: 8080}]", "endpoints:"));
        for (String be : backends) {
            boolean terminating = be.endsWith("!");
            b.append("\n- addresses: [\"").append(be.replace("!", "")).append("\"]\n  conditions: {ready: ")
                    .append(!terminating).append(", serving: true, terminating: ").append(terminating).append("}");
        }
        return b.append('\n').toString();
    }

    static List<String> backends(ResolvedService rs) {
        return rs.frontends().get(0).backends().stream().map(Backend::toString).toList();
    }

    static ResolvedService only(ServiceStore s) {
        assertThat(s.services()).hasSize(1);
        return s.services().get(0);
    }

    List<String> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            // every file but the store's lock: a leftover temporary file would show
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".lock")).sorted().toList();
        }
    }

    @Test
    void importsAServiceWithItsSliceAsOneFileEach() throws Exception {
        ServiceStore s = new ServiceStore(dir);
        assertThat(s.revision()).isZero();
        assertThat(s.services()).isEmpty();
        long rev = s.importYaml(service("web", "10.96.0.50", 80, 30080) + "---\n" + slice("web-1", "web", "172.16.1.10", "172.16.2.10"));
        assertThat(rev).isEqualTo(1).isEqualTo(s.revision());
        assertThat(files()).containsExactly("endpointslice_default_web-1.yaml", "revision", "service_default_web.yaml");
        ResolvedService rs = only(s);
        assertThat(rs.service().qualifiedName()).isEqualTo("default/web");
        assertThat(rs.frontends()).hasSize(2); // cluster IP and node port
        assertThat(backends(rs)).containsExactly("172.16.1.10:8080/TCP (active)", "172.16.2.10:8080/TCP (active)");
        assertThat(s.documents()).containsOnlyKeys("Service default/web", "EndpointSlice default/web-1");
        assertThat(s.names()).containsExactly("default/web");
    }

    @Test
    void aSliceAloneReplacesTheStoredOneOfItsService() {
        ServiceStore s = new ServiceStore(dir);
        s.importYaml(service("web", "10.96.0.50", 80, 30080) + "---\n" + slice("web-1", "web", "172.16.1.10", "172.16.2.10", "172.16.0.10"));
        long rev = s.importYaml(slice("web-1", "web", "172.16.1.10", "172.16.2.10!"));
        assertThat(rev).isEqualTo(2);
        assertThat(backends(only(s))).containsExactly("172.16.1.10:8080/TCP (active)", "172.16.2.10:8080/TCP (terminating)");
        // a second slice adds to the first
        s.importYaml(slice("web-2", "web", "172.16.0.20"));
        assertThat(only(s).slices()).hasSize(2);
        assertThat(backends(only(s))).contains("172.16.0.20:8080/TCP (active)").hasSize(3);
        // a service re-imported keeps its slices, with the new port
        s.importYaml(service("web", "10.96.0.50", 8000, 30080));
        assertThat(only(s).frontends().get(0).frontend().port()).isEqualTo(8000);
        assertThat(backends(only(s))).hasSize(3);
        assertThat(s.revision()).isEqualTo(4);
    }

    @Test
    void aSliceWhoseServiceIsNeitherImportedNorStoredIsRefused() throws Exception {
        ServiceStore s = new ServiceStore(dir);
        assertThatThrownBy(() -> s.importYaml(slice("web-1", "web", "172.16.1.10")))
                .isInstanceOf(InvalidServiceException.class)
                .hasMessageContaining("default/web").hasMessageContaining("neither in this import nor stored");
        assertThat(s.revision()).isZero();
        assertThat(Files.exists(dir) ? files() : List.of()).isEmpty();
    }

    @Test
    void anInvalidImportChangesNothing() throws Exception {
        ServiceStore s = new ServiceStore(dir);
        s.importYaml(service("web", "10.96.0.50", 80, 30080) + "---\n" + slice("web-1", "web", "172.16.1.10"));
        Map<String, String> before = s.documents();
        List<String> filesBefore = files();
        // a good replacement of the slice and a service with a node port out of range (its ports line)
        String bad = slice("web-1", "web", "172.16.9.9") + "---\n" + service("api", "10.96.0.60", 80, 40000);
        int badLine = (int) slice("web-1", "web", "172.16.9.9").lines().count() + 1 + 7; // the "---", then the ports line, 7th of the service
        assertThatThrownBy(() -> s.importYaml(bad)).isInstanceOfSatisfying(InvalidServiceException.class, e -> {
            assertThat(e.field()).contains("nodePort");
            assertThat(e.line()).isEqualTo(badLine);
            assertThat(e.getMessage()).contains("line " + badLine);
        });
        assertThat(s.documents()).isEqualTo(before);
        assertThat(files()).isEqualTo(filesBefore);
        assertThat(s.revision()).isEqualTo(1);
        assertThat(backends(only(s))).containsExactly("172.16.1.10:8080/TCP (active)");
        // not YAML, and a kind that is not a Service
        assertThatThrownBy(() -> s.importYaml("kind: [")).isInstanceOf(InvalidServiceException.class)
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> s.importYaml("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n"))
                .isInstanceOf(InvalidServiceException.class).hasMessageContaining("unsupported kind Pod");
        assertThatThrownBy(() -> s.importYaml("# nothing\n")).isInstanceOf(InvalidServiceException.class)
                .hasMessageContaining("no Service or EndpointSlice");
        assertThat(s.revision()).isEqualTo(1);
        assertThat(files()).isEqualTo(filesBefore);
    }

    @Test
    void aFrontendClaimedByAStoredServiceIsRefusedNamingIt() {
        ServiceStore s = new ServiceStore(dir);
        s.importYaml(service("web", "10.96.0.50", 80, 30080));
        assertThatThrownBy(() -> s.importYaml(service("api", "10.96.0.50", 80, 30081)))
                .isInstanceOf(InvalidServiceException.class).hasMessageContaining("default/web")
                .hasMessageContaining("10.96.0.50:80");
        assertThatThrownBy(() -> s.importYaml(service("api", "10.96.0.60", 80, 30080)))
                .isInstanceOf(InvalidServiceException.class).hasMessageContaining("30080");
        assertThat(s.names()).containsExactly("default/web");
        assertThat(s.revision()).isEqualTo(1);
    }

    @Test
    void deleteRemovesTheServiceAndItsSlices() throws Exception {
        ServiceStore s = new ServiceStore(dir);
        s.importYaml(service("web", "10.96.0.50", 80, 30080) + "---\n" + slice("web-1", "web", "172.16.1.10") + "---\n"
                + slice("web-2", "web", "172.16.2.10") + "---\n" + service("api", "10.96.0.60", 80, 30081) + "---\n"
                + slice("api-1", "api", "172.16.1.11"));
        assertThat(s.names()).containsExactlyInAnyOrder("default/web", "default/api");
        assertThatThrownBy(() -> s.delete("nope")).isInstanceOf(AgentException.class)
                .hasMessageContaining("no service named 'nope'").hasMessageContaining("default/web");
        assertThat(s.revision()).isEqualTo(1);
        assertThat(s.delete("web")).isEqualTo(2);
        assertThat(files()).containsExactly("endpointslice_default_api-1.yaml", "revision", "service_default_api.yaml");
        assertThat(s.delete("default/api")).isEqualTo(3);
        assertThat(s.services()).isEmpty();
        assertThat(files()).containsExactly("revision");
    }

    @Test
    void storesOfOneDirectoryTakeTurns() throws Exception {
        // two agents' stores over the shared directory, importing at the same time
        ServiceStore a = new ServiceStore(dir);
        ServiceStore b = new ServiceStore(dir);
        int n = 20;
        Thread t = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                a.importYaml(service("a" + i, "10.96.1." + (i + 1), 80, 30000 + i));
            }
        });
        t.start();
        for (int i = 0; i < n; i++) {
            b.importYaml(service("b" + i, "10.96.2." + (i + 1), 80, 31000 + i));
        }
        t.join();
        assertThat(a.revision()).isEqualTo(2L * n);
        assertThat(b.services()).hasSize(2 * n);
    }

    @Test
    void theItemsOfAListAreStoredOneByOne() throws Exception {
        String list = String.join("\n", "apiVersion: v1", "kind: List", "items:",
                "- apiVersion: v1", "  kind: Service", "  metadata: {name: web, namespace: default}",
                "  spec: {type: ClusterIP, clusterIP: 10.96.0.50, ports: [{port: 80, targetPort: 8080}]}",
                "- apiVersion: discovery.k8s.io/v1", "  kind: EndpointSlice",
                "  metadata: {name: web-1, namespace: default, labels: {kubernetes.io/service-name: web}}",
                "  addressType: IPv4", "  ports: [{port: 8080}]",
                "  endpoints: [{addresses: [172.16.1.10], conditions: {ready: true}}]", "");
        ServiceStore s = new ServiceStore(dir);
        s.importYaml(list);
        assertThat(files()).containsExactly("endpointslice_default_web-1.yaml", "revision", "service_default_web.yaml");
        ResolvedService rs = only(s);
        assertThat(rs.frontends()).hasSize(1);
        assertThat(rs.frontends().get(0).frontend().address()).isEqualTo(Ipv4.parse("10.96.0.50"));
        assertThat(rs.frontends().get(0).backends()).extracting(Backend::state).containsExactly(BackendState.ACTIVE);
        // a store opened anew reads the same
        assertThat(new ServiceStore(dir).services()).isEqualTo(s.services());
    }
}
