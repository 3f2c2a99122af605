package io.jbpf.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.maps.codec.Codecs;
import io.jbpf.maps.codec.RecordCodec;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** BpfHashMap against the kernel: the java.util.Map-like operations and their failures. */
@KernelTest
class HashMapTest {
    record FlowKey(Inet4Address saddr, Inet4Address daddr, @io.jbpf.maps.codec.NetworkOrder @io.jbpf.maps.codec.Size(2) int sport,
            @io.jbpf.maps.codec.NetworkOrder @io.jbpf.maps.codec.Size(2) int dport, byte proto) {
    }

    record Counters(long packets, long bytes) {
    }

    static FlowKey flow(int i) throws Exception {
        return new FlowKey((Inet4Address) InetAddress.getByName("10.0.0." + (i % 250)),
                (Inet4Address) InetAddress.getByName("10.1.0.1"), 1000 + i, 80, (byte) 6);
    }

    @Test
    void recordKeysAndValues() throws Exception {
        try (BpfHashMap<FlowKey, Counters> m = BpfHashMap.create("jbpf_t_flows", 64, RecordCodec.of(FlowKey.class),
                RecordCodec.of(Counters.class))) {
            assertThat(m.spec().keySize()).isEqualTo(16);
            assertThat(m.get(flow(1))).as("missing key").isNull();
            assertThat(m.isEmpty()).isTrue();
            m.put(flow(1), new Counters(1, 100));
            m.put(flow(2), new Counters(2, 200));
            assertThat(m.get(flow(1))).isEqualTo(new Counters(1, 100));
            assertThat(m.containsKey(flow(2))).isTrue();
            assertThat(m.size()).isEqualTo(2);
            assertThat(m.putIfAbsent(flow(1), new Counters(9, 9))).isFalse();
            assertThat(m.get(flow(1))).isEqualTo(new Counters(1, 100));
            assertThat(m.putIfAbsent(flow(3), new Counters(3, 300))).isTrue();
            assertThat(m.replace(flow(4), new Counters(4, 4))).isFalse();
            assertThat(m.containsKey(flow(4))).isFalse();
            assertThat(m.replace(flow(3), new Counters(33, 33))).isTrue();
            assertThat(m.get(flow(3))).isEqualTo(new Counters(33, 33));
            assertThat(m.getAndRemove(flow(3))).isEqualTo(new Counters(33, 33));
            assertThat(m.getAndRemove(flow(3))).isNull();
            assertThat(m.remove(flow(2))).isTrue();
            assertThat(m.remove(flow(2))).isFalse();
            assertThat(m.getAll()).containsExactly(Map.entry(flow(1), new Counters(1, 100)));
        }
    }

    @Test
    void iterationWalksKeysAndEntriesAndRemoves() {
        try (BpfHashMap<Integer, Long> m = BpfHashMap.create("jbpf_t_iter", 100, Codecs.u32(), Codecs.u64())) {
            for (int i = 0; i < 50; i++) {
                m.put(i, i * 10L);
            }
            Set<Integer> keys = new HashSet<>();
            m.keys().forEach(keys::add);
            assertThat(keys).hasSize(50).contains(0, 49);
            List<Map.Entry<Integer, Long>> entries = new ArrayList<>();
            m.entries().forEach(entries::add);
            assertThat(entries).hasSize(50).allMatch(e -> e.getValue() == e.getKey() * 10L);
            Iterator<Map.Entry<Integer, Long>> it = m.entries().iterator();
            int removed = 0;
            while (it.hasNext()) {
                if (it.next().getKey() % 2 == 0) {
                    it.remove();
                    removed++;
                }
            }
            assertThat(removed).isEqualTo(25);
            assertThat(m.size()).isEqualTo(25);
            m.clear();
            assertThat(m.isEmpty()).isTrue();
            assertThatThrownBy(() -> m.keys().iterator().next()).isInstanceOf(java.util.NoSuchElementException.class);
        }
    }

    @Test
    void aFullMapSaysSoWithE2big() {
        try (BpfHashMap<Integer, Long> m = BpfHashMap.create("jbpf_t_full", 4, Codecs.u32(), Codecs.u64())) {
            for (int i = 0; i < 4; i++) {
                m.put(i, 0L);
            }
            m.put(3, 7L); // replacing in a full map is fine
            assertThatThrownBy(() -> m.put(4, 0L)).isInstanceOfSatisfying(MapFullException.class, e -> {
                assertThat(e.errno()).isEqualTo(Errno.E2BIG);
                assertThat(e.maxEntries()).isEqualTo(4);
            }).hasMessageContaining("jbpf_t_full").hasMessageContaining("max entries 4");
            assertThatThrownBy(() -> m.putIfAbsent(5, 0L)).isInstanceOf(MapFullException.class);
        }
    }

    @Test
    void openingChecksTypeAndSizesAgainstTheCodecs() {
        try (KernelMap raw = KernelMap.create(MapSpec.of("jbpf_t_open", MapType.HASH, 8, 8, 4))) {
            assertThatThrownBy(() -> BpfHashMap.of(raw, Codecs.u32(), Codecs.u64()))
                    .isInstanceOf(MapMismatchException.class).hasMessageContaining("8-byte keys")
                    .hasMessageContaining("encodes 4 bytes");
            assertThatThrownBy(() -> BpfHashMap.of(raw, Codecs.u64(), Codecs.u32()))
                    .isInstanceOf(MapMismatchException.class).hasMessageContaining("8-byte values")
                    .hasMessageContaining("encodes 4 bytes");
            assertThatThrownBy(() -> BpfArray.of(raw, Codecs.u64())).isInstanceOf(MapMismatchException.class)
                    .hasMessageContaining("is a HASH, not a ARRAY");
            try (BpfHashMap<Long, Long> view = BpfHashMap.of(raw, Codecs.u64(), Codecs.u64())) {
                view.put(1L, 2L);
                assertThat(view.ownsMap()).isFalse();
            }
            // the view did not close the map
            try (BpfHashMap<Long, Long> byId = BpfHashMap.fromId(raw.id(), Codecs.u64(), Codecs.u64())) {
                assertThat(byId.get(1L)).isEqualTo(2L);
                assertThat(byId.ownsMap()).isTrue();
            }
            assertThatThrownBy(() -> BpfHashMap.fromId(raw.id(), Codecs.u32(), Codecs.u64()))
                    .isInstanceOf(MapMismatchException.class); // and the opened fd is closed (leak guard)
        }
        assertThatThrownBy(() -> BpfHashMap.create(MapSpec.of("jbpf_t_bad", MapType.HASH, 4, 4, 4), Codecs.u32(), Codecs.u64()))
                .isInstanceOf(MapMismatchException.class).hasMessageContaining("4-byte values");
    }

    @Test
    void frozenAndReadOnlyMapsRefuseWritesNamingTheMap() {
        try (BpfHashMap<Integer, Long> m = BpfHashMap.create("jbpf_t_frozen", 4, Codecs.u32(), Codecs.u64());
                BpfHashMap<Integer, Long> ro = BpfHashMap.create(MapSpec.of("jbpf_t_ro", MapType.HASH, 4, 8, 4)
                        .withFlags(MapFlags.RDONLY), Codecs.u32(), Codecs.u64());
                BpfHashMap<Integer, Long> wo = BpfHashMap.create(MapSpec.of("jbpf_t_wo", MapType.HASH, 4, 8, 4)
                        .withFlags(MapFlags.WRONLY), Codecs.u32(), Codecs.u64())) {
            m.put(1, 1L);
            m.freeze();
            assertThat(m.get(1)).isEqualTo(1L);
            assertThatThrownBy(() -> m.put(2, 2L)).isInstanceOfSatisfying(BpfException.class,
                    e -> assertThat(e.errno()).isEqualTo(Errno.EPERM)).hasMessageContaining("jbpf_t_frozen");
            assertThatThrownBy(() -> ro.put(1, 1L)).isInstanceOfSatisfying(BpfException.class,
                    e -> assertThat(e.errno()).isEqualTo(Errno.EPERM)).hasMessageContaining("jbpf_t_ro");
            wo.put(1, 1L);
            assertThatThrownBy(() -> wo.get(1)).isInstanceOfSatisfying(BpfException.class,
                    e -> assertThat(e.errno()).isEqualTo(Errno.EPERM)).hasMessageContaining("jbpf_t_wo");
        }
    }

    @Test
    void nullsAreRefused() {
        try (BpfHashMap<Integer, Long> m = BpfHashMap.create("jbpf_t_null", 4, Codecs.u32(), Codecs.u64())) {
            assertThatThrownBy(() -> m.put(null, 1L)).isInstanceOf(NullPointerException.class).hasMessageContaining("key");
            assertThatThrownBy(() -> m.put(1, null)).isInstanceOf(NullPointerException.class).hasMessageContaining("value");
            assertThatThrownBy(() -> m.put(-1, 1L)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
