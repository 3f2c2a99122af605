package io.jbpf.core.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.testing.KernelTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link RawMap#forEachEntry}: every entry once, with its value, from a kernel hash map (batched
 * reads, more entries than one chunk), a kernel LRU hash, an LPM trie (the kernel has no batch
 * lookup for it: the key walk) and an in-memory map (the default walk); entries removed while the
 * walk runs are never handed over twice.
 */
@KernelTest
class ForEachEntryTest {
    static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(v).array();
    }

    static Map<Integer, Long> all(RawMap m, int keyOffset) {
        Map<Integer, Long> seen = new HashMap<>();
        int n = m.forEachEntry((k, v) -> {
            int key = ByteBuffer.wrap(k).order(ByteOrder.nativeOrder()).getInt(keyOffset);
            assertThat(seen.put(key, ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getLong(0)))
                    .as("key %d once", key).isNull();
        });
        assertThat(n).isEqualTo(seen.size());
        return seen;
    }

    static void fill(RawMap m, int count) {
        for (int i = 0; i < count; i++) {
            m.update(u32(i), u64(1000L + i), MapFlags.ANY);
        }
    }

    static void checkAll(Map<Integer, Long> seen, int count) {
        assertThat(seen).hasSize(count);
        for (int i = 0; i < count; i++) {
            assertThat(seen).containsEntry(i, 1000L + i);
        }
    }

    @Test
    void kernelHashAndLruMapsAreReadWhole() {
        for (MapType type : new MapType[] {MapType.HASH, MapType.LRU_HASH}) {
            try (KernelMap m = KernelMap.create(MapSpec.of("jbpf_t_each", type, 4, 8, 5000))) {
                assertThat(all(m, 0)).isEmpty();
                fill(m, 3000);
                checkAll(all(m, 0), 3000);
            }
        }
    }

    @Test
    void anLpmTrieHasNoBatchLookupAndIsWalked() {
        MapSpec spec = MapSpec.of("jbpf_t_each_lpm", MapType.LPM_TRIE, 8, 8, 100).withFlags(MapFlags.NO_PREALLOC);
        try (KernelMap m = KernelMap.create(spec)) {
            for (int i = 0; i < 50; i++) {
                byte[] key = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(32).putInt(i).array();
                m.update(key, u64(1000L + i), MapFlags.ANY);
            }
            checkAll(all(m, 4), 50);
        }
    }

    @Test
    void anInMemoryMapIsWalkedAndRemovalsDoNotRepeatEntries() {
        MemoryMap m = MemoryMap.create(MapSpec.of("jbpf_t_each_mem", MapType.HASH, 4, 8, 100));
        fill(m, 60);
        checkAll(all(m, 0), 60);
        // removing entries while the walk runs: those left are handed over once each
        Map<Integer, Long> seen = new HashMap<>();
        m.forEachEntry((k, v) -> {
            int key = ByteBuffer.wrap(k).order(ByteOrder.nativeOrder()).getInt();
            assertThat(seen.put(key, 0L)).isNull();
            m.delete(u32((key + 7) % 60));
        });
        assertThat(seen).isNotEmpty().hasSizeLessThanOrEqualTo(60);
    }
}
