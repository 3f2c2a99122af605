package io.jbpf.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.maps.codec.Codecs;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Typed maps over in-memory maps: no kernel needed; bulk operations fall back to single calls. */
class MemoryMapViewsTest {

    @Test
    void typedHashMapOverAMemoryMap() {
        MemoryMap raw = MemoryMap.create(MapSpec.of("mem_hash", MapType.HASH, 4, 8, 3));
        try (BpfHashMap<Integer, Long> m = BpfHashMap.of(raw, Codecs.u32(), Codecs.u64())) {
            m.put(1, 10L);
            assertThat(m.putIfAbsent(1, 11L)).isFalse();
            assertThat(m.replace(2, 20L)).isFalse();
            m.putAll(Map.of(2, 20L, 3, 30L));
            assertThat(m.batchSupported()).isFalse();
            assertThat(m.getAll()).containsExactlyInAnyOrderEntriesOf(Map.of(1, 10L, 2, 20L, 3, 30L));
            assertThat(m.size()).isEqualTo(3);
            assertThatThrownBy(() -> m.put(4, 40L)).isInstanceOf(MapFullException.class);
            assertThat(m.getAndRemove(2)).isEqualTo(20L);
            assertThat(m.getAndRemove(2)).isNull();
            m.removeAll(List.of(1, 99));
            assertThat(m.get(1)).isNull();
            assertThat(m.get(3)).isEqualTo(30L);
            // what a program wrote is what the typed view reads
            raw.updateFromProgram(Codecs.u32().encode(5), Codecs.u64().encode(50L), MapFlags.ANY, 0);
            assertThat(m.get(5)).isEqualTo(50L);
            m.freeze();
            assertThatThrownBy(() -> m.put(6, 60L)).isInstanceOfSatisfying(BpfException.class,
                    e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
        }
        assertThat(raw.lookup(Codecs.u32().encode(3), new byte[8])).isTrue(); // a view leaves the map open
    }

    @Test
    void typedQueueAndStackOverMemoryMaps() {
        MemoryMap raw = MemoryMap.create(MapSpec.of("mem_queue", MapType.QUEUE, 0, 8, 2));
        BpfQueue<Long> q = BpfQueue.of(raw, Codecs.u64());
        assertThat(q.isEmpty()).isTrue();
        q.push(1L);
        assertThat(raw.push(Codecs.u64().encode(2L), MapFlags.ANY)).isZero(); // a program pushes
        assertThatThrownBy(() -> q.push(3L)).isInstanceOf(MapFullException.class);
        q.pushOverwriting(3L);
        assertThat(q.peek()).isEqualTo(2L);
        assertThat(q.pop()).isEqualTo(2L);
        assertThat(q.pop()).isEqualTo(3L);
        assertThat(q.pop()).isNull();

        BpfStack<Long> s = BpfStack.of(MemoryMap.create(MapSpec.of("mem_stack", MapType.STACK, 0, 8, 4)), Codecs.u64());
        s.push(1L);
        s.push(2L);
        assertThat(s.pop()).isEqualTo(2L);
        assertThat(s.pop()).isEqualTo(1L);
    }

    @Test
    void otherTypedMapsOverMemoryMaps() throws Exception {
        BpfArray<Long> a = BpfArray.of(MemoryMap.create(MapSpec.of("mem_array", MapType.ARRAY, 4, 8, 4)), Codecs.u64());
        a.put(3, 7L);
        assertThat(a.get(3)).isEqualTo(7L);
        assertThat(a.getAll()).hasSize(4);

        MemoryMap pc = MemoryMap.create(MapSpec.of("mem_pchash", MapType.PERCPU_HASH, 4, 8, 4), 3);
        BpfPerCpuHashMap<Integer, Long> p = BpfPerCpuHashMap.of(pc, Codecs.u32(), Codecs.u64());
        assertThat(p.cpus()).isEqualTo(3);
        pc.updateFromProgram(Codecs.u32().encode(1), Codecs.u64().encode(5L), MapFlags.ANY, 2);
        assertThat(p.get(1)).containsExactly(0L, 0L, 5L);

        BpfLpmTrie<Integer> t = BpfLpmTrie.of(MemoryMap.create(MapSpec.of("mem_lpm", MapType.LPM_TRIE, 8, 4, 8)
                .withFlags(MapFlags.NO_PREALLOC)), Codecs.u32());
        t.put(Cidr.parse("10.0.0.0/8"), 8);
        t.put(Cidr.parse("10.1.0.0/16"), 16);
        assertThat(t.get(InetAddress.getByName("10.1.2.3"))).isEqualTo(16);
        assertThat(t.get(InetAddress.getByName("10.2.2.3"))).isEqualTo(8);

        BpfBloomFilter<Long> b = BpfBloomFilter.of(MemoryMap.create(MapSpec.of("mem_bloom", MapType.BLOOM_FILTER, 0, 8, 16)),
                Codecs.u64());
        b.add(42L);
        assertThat(b.mightContain(42L)).isTrue();
    }
}
