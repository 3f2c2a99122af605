package io.jbpf.netpolicy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.maps.Cidr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityAllocatorTest {
    @TempDir
    Path dir;

    static Labels pod(String ns, String app) {
        return Labels.ofPod(ns, Map.of("app", app), Map.of("kubernetes.io/metadata.name", ns));
    }

    @Test
    void labelsParseAndPrintAsCiliumWritesThem() {
        Labels l = Labels.parse("k8s:app=web", "reserved:host", "tier=db", "cidr:2001:db8::/32");
        assertThat(l.toString()).isEqualTo("cidr:2001:db8::/32,k8s:app=web,k8s:tier=db,reserved:host");
        assertThat(l.value("k8s", "app")).contains("web");
        assertThat(l.value(null, "tier")).contains("db");
        assertThat(l.value("reserved", "app")).isEmpty();
        assertThat(pod("x", "a").value("k8s", Label.NAMESPACE_KEY)).contains("x");
        assertThat(pod("x", "a").value("k8s", Label.NAMESPACE_LABELS_PREFIX + "kubernetes.io/metadata.name")).contains("x");
        assertThatThrownBy(() -> Label.parse("k8s:=v")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key");
    }

    @Test
    void reservedLabelsKeepTheirNumbersAndPodsCountFrom256() {
        IdentityAllocator a = IdentityAllocator.inMemory();
        assertThat(a.allocate(Labels.parse("reserved:host")).id()).isEqualTo(1);
        assertThat(a.allocate(Labels.parse("reserved:world")).id()).isEqualTo(2);
        assertThat(a.allocate(Labels.parse("reserved:remote-node")).id()).isEqualTo(6);
        Identity web = a.allocate(pod("x", "web"));
        Identity db = a.allocate(pod("x", "db"));
        assertThat(web.id()).isEqualTo(256);
        assertThat(db.id()).isEqualTo(257);
        assertThat(a.allocate(pod("x", "web"))).isEqualTo(web);
        assertThat(a.lookup(257)).contains(db);
        assertThat(a.lookup(pod("y", "web"))).isEmpty();
        assertThatThrownBy(() -> a.allocate(Labels.empty())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cidrIdentitiesAreLocalAndCarryEveryShorterPrefix() {
        IdentityAllocator a = IdentityAllocator.inMemory();
        Identity c = a.allocateCidr(Cidr.parse("10.1.0.0/16"));
        assertThat(c.id()).isEqualTo(Identity.MIN_LOCAL);
        assertThat(c.isLocal()).isTrue();
        assertThat(c.labels().asSet()).hasSize(17 + 1)
                .contains(new Label("cidr", "10.1.0.0/16", ""), new Label("cidr", "10.0.0.0/8", ""),
                        new Label("cidr", "0.0.0.0/0", ""), Label.reserved("world"));
        assertThat(a.allocateCidr(Cidr.parse("10.1.0.0/16"))).isEqualTo(c);
        assertThat(a.allocateCidr(Cidr.parse("203.0.113.0/24")).id()).isEqualTo(Identity.MIN_LOCAL + 1);
        assertThat(a.all()).extracting(Identity::id).contains(1, 2, Identity.MIN_LOCAL, Identity.MIN_LOCAL + 1);
    }

    @Test
    void allocatorsSharingAFileAgreeEvenWhenTheyRace() throws Exception {
        Path file = dir.resolve("ids/identities");
        IdentityAllocator node1 = IdentityAllocator.shared(file);
        IdentityAllocator node2 = IdentityAllocator.shared(file);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<Identity>>> results = new ArrayList<>();
            for (IdentityAllocator a : List.of(node1, node2)) {
                results.add(pool.submit(() -> {
                    List<Identity> out = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        out.add(a.allocate(pod("ns" + (i % 5), "app" + i)));
                    }
                    return out;
                }));
            }
            List<Identity> one = results.get(0).get();
            List<Identity> two = results.get(1).get();
            assertThat(one).isEqualTo(two);
            Set<Integer> ids = new HashSet<>();
            one.forEach(i -> ids.add(i.id()));
            assertThat(ids).hasSize(50);
        } finally {
            pool.shutdownNow();
        }
        IdentityAllocator later = IdentityAllocator.shared(file);
        assertThat(later.lookup(pod("ns0", "app0"))).map(Identity::id).contains(node1.allocate(pod("ns0", "app0")).id());
        assertThat(later.allocate(pod("new", "one")).id()).isEqualTo(256 + 50);
        assertThat(node2.lookup(256 + 50)).map(Identity::labels).contains(pod("new", "one"));
    }

    @Test
    void aCorruptFileIsNamedWithItsLine() throws Exception {
        Path file = dir.resolve("identities");
        Files.writeString(file, "256\tk8s:app=a\nnot an entry\n");
        assertThatThrownBy(() -> IdentityAllocator.shared(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("line 2").hasMessageContaining("not an entry");
        Files.writeString(file, "256\tk8s:app=a\n256\tk8s:app=b\n");
        assertThatThrownBy(() -> IdentityAllocator.shared(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("identity 256");
    }
}
