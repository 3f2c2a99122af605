package io.jbpf.maps;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.testing.KernelTest;
import io.jbpf.maps.codec.Codecs;
import io.jbpf.maps.codec.RecordCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bulk operations: the batch path and the single-call path give the same maps. */
@KernelTest
class BatchTest {
    static final int N = 10_000;

    record Value(long a, int b) {
    }

    static Map<Integer, Value> entries(int n, int salt) {
        Map<Integer, Value> m = new HashMap<>();
        for (int i = 0; i < n; i++) {
            m.put(i * 7 + salt, new Value(i * 31L + salt, i));
        }
        return m;
    }

    static BpfHashMap<Integer, Value> map(String name, BatchMode mode) {
        BpfHashMap<Integer, Value> m = BpfHashMap.create(name, N, Codecs.u32(), RecordCodec.of(Value.class));
        m.batchMode(mode);
        return m;
    }

    @Test
    void tenThousandEntriesThroughBatchEqualSingleCalls() {
        Map<Integer, Value> want = entries(N, 3);
        try (BpfHashMap<Integer, Value> batch = map("jbpf_t_batch", BatchMode.BATCH);
                BpfHashMap<Integer, Value> single = map("jbpf_t_single", BatchMode.SINGLE)) {
            batch.putAll(want);
            single.putAll(want);
            assertThat(batch.batchSupported()).isTrue();
            Map<Integer, Value> viaBatch = batch.getAll();
            assertThat(viaBatch).isEqualTo(want);
            assertThat(single.getAll()).isEqualTo(want);
            // cross-check: what the batch wrote, single lookups read, and vice versa
            for (int k : List.of(3, 10, 7 * (N - 1) + 3)) {
                assertThat(batch.get(k)).isEqualTo(want.get(k));
                assertThat(single.get(k)).isEqualTo(want.get(k));
            }
            List<Integer> remove = new ArrayList<>();
            for (int i = 0; i < N; i += 2) {
                remove.add(i * 7 + 3);
            }
            remove.add(-5 & 0x7fffffff); // a key that is not there: ignored by both paths
            batch.removeAll(remove);
            single.removeAll(remove);
            Map<Integer, Value> rest = new HashMap<>(want);
            remove.forEach(rest::remove);
            assertThat(batch.getAll()).hasSize(N / 2).isEqualTo(rest);
            assertThat(single.getAll()).isEqualTo(rest);
            assertThat(batch.size()).isEqualTo(N / 2);
        }
    }

    @Test
    void autoUsesBatchOnHashMaps() {
        try (BpfHashMap<Integer, Value> m = map("jbpf_t_auto", BatchMode.AUTO)) {
            m.putAll(entries(3000, 1));
            assertThat(m.getAll()).isEqualTo(entries(3000, 1));
            assertThat(m.batchSupported()).as("the kernel took the batch commands").isTrue();
        }
    }

    @Test
    void perCpuBatchesCarryEveryCpu() {
        try (BpfPerCpuHashMap<Integer, Long> m = BpfPerCpuHashMap.create("jbpf_t_pcb", 2000, Codecs.u32(), Codecs.u64());
                BpfPerCpuHashMap<Integer, Long> s = BpfPerCpuHashMap.create("jbpf_t_pcs", 2000, Codecs.u32(), Codecs.u64())) {
            s.batchMode(BatchMode.SINGLE);
            Map<Integer, List<Long>> want = new HashMap<>();
            for (int i = 0; i < 2000; i++) {
                List<Long> v = new ArrayList<>();
                for (int c = 0; c < m.cpus(); c++) {
                    v.add(i * 1000L + c);
                }
                want.put(i, v);
            }
            m.putAll(want);
            s.putAll(want);
            assertThat(m.getAll()).isEqualTo(want);
            assertThat(s.getAll()).isEqualTo(want);
        }
    }
}
