package io.jbpf.core.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.testing.KernelTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Batch commands, keyless maps, maps of maps and creation options at the byte level. */
@KernelTest
class KernelMapBatchTest {
    static final int N = 1000;

    static byte[] packedInts(int from, int count, int step) {
        ByteBuffer b = ByteBuffer.allocate(count * 4).order(ByteOrder.nativeOrder());
        for (int i = 0; i < count; i++) {
            b.putInt(from + i * step);
        }
        return b.array();
    }

    static byte[] packedLongs(int count, long base) {
        ByteBuffer b = ByteBuffer.allocate(count * 8).order(ByteOrder.nativeOrder());
        for (int i = 0; i < count; i++) {
            b.putLong(base + i);
        }
        return b.array();
    }

    static Map<Integer, Long> walk(KernelMap m, int chunk, boolean delete) {
        Map<Integer, Long> seen = new HashMap<>();
        BatchCursor cursor = m.batchCursor();
        byte[] keys = new byte[chunk * 4];
        byte[] values = new byte[chunk * 8];
        while (!cursor.done()) {
            int got = m.lookupBatch(cursor, keys, values, chunk, delete);
            ByteBuffer k = ByteBuffer.wrap(keys).order(ByteOrder.nativeOrder());
            ByteBuffer v = ByteBuffer.wrap(values).order(ByteOrder.nativeOrder());
            for (int i = 0; i < got; i++) {
                assertThat(seen.put(k.getInt(i * 4), v.getLong(i * 8))).as("each key once").isNull();
            }
        }
        return seen;
    }

    @Test
    void batchUpdateWalkAndDelete() {
        try (KernelMap m = KernelMap.create(MapSpec.of("jbpf_t_batch", MapType.HASH, 4, 8, N))) {
            m.updateBatch(packedInts(0, N, 1), packedLongs(N, 100), N, MapFlags.ANY);
            Map<Integer, Long> all = walk(m, 64, false);
            assertThat(all).hasSize(N);
            for (int i = 0; i < N; i++) {
                assertThat(all).containsEntry(i, 100L + i);
            }
            m.deleteBatch(packedInts(0, 10, 1), 10);
            assertThat(walk(m, 100, false)).hasSize(N - 10);
            assertThatThrownBy(() -> m.deleteBatch(packedInts(0, 1, 1), 1))
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT))
                    .hasMessageContaining("0 deleted");
            assertThat(walk(m, 33, true)).hasSize(N - 10);
            assertThat(m.nextKey(null, new byte[4])).isFalse();
        }
    }

    @Test
    void batchUpdateHonoursFlagsAndSaysHowFarItGot() {
        try (KernelMap m = KernelMap.create(MapSpec.of("jbpf_t_batch2", MapType.HASH, 4, 8, 16))) {
            m.updateBatch(packedInts(0, 4, 1), packedLongs(4, 0), 4, MapFlags.ANY);
            assertThatThrownBy(() -> m.updateBatch(packedInts(2, 4, 1), packedLongs(4, 0), 4, MapFlags.NOEXIST))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only ANY or LOCK");
            assertThatThrownBy(() -> m.updateBatch(packedInts(100, 20, 1), packedLongs(20, 0), 20, MapFlags.ANY))
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.E2BIG))
                    .hasMessageContaining("(12 written)");
            assertThatThrownBy(() -> m.updateBatch(new byte[4], new byte[8], 2, MapFlags.ANY))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fewer than 2 keys");
        }
    }

    @Test
    void arraysWalkInBatchesToo() {
        try (KernelMap m = KernelMap.create(MapSpec.of("jbpf_t_barr", MapType.ARRAY, 4, 8, 50))) {
            m.updateBatch(packedInts(0, 50, 1), packedLongs(50, 7), 50, MapFlags.ANY);
            Map<Integer, Long> all = walk(m, 8, false);
            assertThat(all).hasSize(50).containsEntry(49, 56L);
        }
    }

    @Test
    void queuesAndStacksPushAndPopWithoutKeys() {
        try (KernelMap q = KernelMap.create(MapSpec.of("jbpf_t_queue", MapType.QUEUE, 0, 8, 4));
                KernelMap s = KernelMap.create(MapSpec.of("jbpf_t_stack", MapType.STACK, 0, 8, 4))) {
            for (long v = 1; v <= 3; v++) {
                q.update(null, KernelMapTest.u64(v), MapFlags.ANY);
                s.update(null, KernelMapTest.u64(v), MapFlags.ANY);
            }
            byte[] out = new byte[8];
            assertThat(q.lookup(null, out)).isTrue(); // peek
            assertThat(out).isEqualTo(KernelMapTest.u64(1));
            assertThat(q.lookupAndDelete(null, out)).isTrue();
            assertThat(out).isEqualTo(KernelMapTest.u64(1));
            assertThat(s.lookupAndDelete(null, out)).isTrue();
            assertThat(out).isEqualTo(KernelMapTest.u64(3));
            assertThatThrownBy(() -> q.lookup(new byte[4], out)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void mapsOfMapsTakeInnerMapsByFd() {
        MapSpec inner = MapSpec.of("jbpf_t_inner", MapType.ARRAY, 4, 8, 2);
        try (KernelMap outer = KernelMap.create(MapSpec.of("jbpf_t_outer", MapType.ARRAY_OF_MAPS, 4, 4, 2)
                .withInnerMap(inner));
                KernelMap member = KernelMap.create(inner);
                KernelMap misfit = KernelMap.create(MapSpec.of("jbpf_t_misfit", MapType.HASH, 4, 8, 2))) {
            outer.update(KernelMapTest.u32(0), KernelMapTest.u32(member.fd()), MapFlags.ANY);
            byte[] id = new byte[4];
            assertThat(outer.lookup(KernelMapTest.u32(0), id)).isTrue();
            assertThat(ByteBuffer.wrap(id).order(ByteOrder.nativeOrder()).getInt()).isEqualTo(member.id());
            assertThatThrownBy(() -> outer.update(KernelMapTest.u32(1), KernelMapTest.u32(misfit.fd()), MapFlags.ANY))
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        }
        assertThatThrownBy(() -> MapSpec.of("x", MapType.HASH, 4, 4, 1).withInnerMap(inner))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inner map");
    }

    @Test
    void creationOptionsReachTheKernel() {
        try (KernelMap bloom = KernelMap.create(MapSpec.of("jbpf_t_bloom", MapType.BLOOM_FILTER, 0, 4, 100)
                .withMapExtra(3));
                KernelMap numa = KernelMap.create(MapSpec.of("jbpf_t_numa", MapType.HASH, 4, 4, 8).withNumaNode(0))) {
            assertThat(bloom.info().spec().mapExtra()).isEqualTo(3);
            bloom.update(null, KernelMapTest.u32(42), MapFlags.ANY);
            bloom.update(null, KernelMapTest.u32(7), MapFlags.ANY); // leaves 7, not 42, in this thread's buffers
            assertThat(bloom.lookup(null, KernelMapTest.u32(42))).isTrue();
            assertThat(bloom.lookup(null, KernelMapTest.u32(43))).as("one hash of 43 misses").isFalse();
            assertThat(numa.info().spec().flags() & MapFlags.NUMA_NODE).isNotZero();
        }
    }
}
