package io.jbpf.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.internal.sys.Cpus;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.maps.codec.Codecs;
import io.jbpf.maps.codec.RecordCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Arrays, per-CPU maps and LRU hashes against the kernel. */
@KernelTest
class ArrayAndPerCpuTest {
    record Small(short a, byte b) {
    }

    @Test
    void arraysHaveEveryIndexAndNoRemoval() {
        try (BpfArray<Long> a = BpfArray.create("jbpf_t_arr", 8, Codecs.u64())) {
            assertThat(a.length()).isEqualTo(8);
            assertThat(a.size()).isEqualTo(8);
            assertThat(a.get(3)).isZero();
            a.set(3, 42L);
            a.put(4, 43L);
            assertThat(a.get(3)).isEqualTo(42L);
            assertThat(a.getAll()).hasSize(8).containsEntry(4, 43L).containsEntry(0, 0L);
            assertThatThrownBy(() -> a.get(8)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("index 8").hasMessageContaining("jbpf_t_arr");
            assertThatThrownBy(() -> a.set(-1, 1L)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> {
                var it = a.entries().iterator();
                it.next();
                it.remove();
            }).isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("ARRAY");
            List<Integer> keys = new ArrayList<>();
            a.keys().forEach(keys::add);
            assertThat(keys).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        }
    }

    @Test
    void perCpuValuesAreOnePerPossibleCpuInEightByteSlots() {
        int cpus = Cpus.possible();
        try (BpfPerCpuHashMap<Integer, Small> m = BpfPerCpuHashMap.create("jbpf_t_pch", 8, Codecs.u32(),
                RecordCodec.of(Small.class));
                BpfPerCpuArray<Long> a = BpfPerCpuArray.create("jbpf_t_pca", 2, Codecs.u64())) {
            assertThat(m.cpus()).isEqualTo(cpus);
            assertThat(m.valueCodec().size()).isEqualTo(8 * cpus);
            List<Small> values = new ArrayList<>();
            for (int i = 0; i < cpus; i++) {
                values.add(new Small((short) i, (byte) -i));
            }
            m.put(1, values);
            assertThat(m.get(1)).isEqualTo(values);
            m.putOnEveryCpu(2, new Small((short) 7, (byte) 7));
            assertThat(m.get(2)).hasSize(cpus).containsOnly(new Small((short) 7, (byte) 7));
            assertThat(m.getAll()).containsOnlyKeys(1, 2).containsEntry(1, values);
            assertThatThrownBy(() -> m.put(3, List.of())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("one value per possible CPU (" + cpus + ")");
            assertThat(m.getAndRemove(1)).isEqualTo(values);

            a.setOnEveryCpu(1, 5L);
            assertThat(a.get(1)).isEqualTo(Collections.nCopies(cpus, 5L));
            assertThat(a.get(0)).isEqualTo(Collections.nCopies(cpus, 0L));
        }
    }

    @Test
    void lruHashesEvictInsteadOfFailing() {
        try (BpfLruHashMap<Integer, Long> lru = BpfLruHashMap.create("jbpf_t_lru", 64, Codecs.u32(), Codecs.u64());
                BpfLruHashMap<Integer, Long> perCpuLists = BpfLruHashMap.create(
                        MapSpec.of("jbpf_t_lru_nc", MapType.LRU_HASH, 4, 8, 256).withFlags(MapFlags.NO_COMMON_LRU),
                        Codecs.u32(), Codecs.u64());
                BpfLruPerCpuHashMap<Integer, Long> lpc = BpfLruPerCpuHashMap.create("jbpf_t_lrupc", 32, Codecs.u32(),
                        Codecs.u64())) {
            for (int i = 0; i < 1000; i++) {
                lru.put(i, (long) i);
                perCpuLists.put(i, (long) i);
                lpc.putOnEveryCpu(i, (long) i);
            }
            assertThat(lru.size()).isBetween(1, 64);
            assertThat(lru.get(999)).as("the newest key stays").isEqualTo(999L);
            assertThat(lru.get(0)).as("the oldest key was evicted").isNull();
            assertThat(perCpuLists.spec().flags() & MapFlags.NO_COMMON_LRU).isNotZero();
            assertThat(perCpuLists.size()).isBetween(1, 256);
            assertThat(perCpuLists.get(999)).isEqualTo(999L);
            assertThat(lpc.size()).isBetween(1, 32);
            assertThat(lpc.get(999)).containsOnly(999L);
            Set<Integer> seen = new HashSet<>();
            for (Map.Entry<Integer, Long> e : lru.entries()) {
                assertThat(e.getValue()).isEqualTo((long) e.getKey());
                seen.add(e.getKey());
            }
            assertThat(seen).isNotEmpty().allMatch(k -> k > 0);
        }
    }
}
