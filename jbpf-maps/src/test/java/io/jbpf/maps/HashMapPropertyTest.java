package io.jbpf.maps;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.testing.KernelTest;
import io.jbpf.maps.codec.Codecs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * BpfHashMap behaves like java.util.HashMap under random operation sequences that stay within
 * capacity. Seeded loops; a failure names the seed and the step (rerun with {@code -Djbpf.seed=N}).
 */
@KernelTest
class HashMapPropertyTest {
    static final int CAPACITY = 64;
    static final int KEYS = 96;

    @Test
    void randomOperationSequencesMatchHashMap() {
        long base = Long.getLong("jbpf.seed", System.nanoTime());
        int runs = Long.getLong("jbpf.seed") != null ? 1 : 30;
        try (BpfHashMap<Integer, Long> m = BpfHashMap.create("jbpf_t_prop", CAPACITY, Codecs.u32(), Codecs.s64())) {
            for (int run = 0; run < runs; run++) {
                long seed = base + run;
                m.clear();
                check(m, seed);
            }
        }
    }

    private static void check(BpfHashMap<Integer, Long> m, long seed) {
        Random r = new Random(seed);
        Map<Integer, Long> model = new HashMap<>();
        List<String> trail = new ArrayList<>();
        for (int step = 0; step < 300; step++) {
            int k = r.nextInt(KEYS);
            long v = r.nextLong();
            int op = r.nextInt(9);
            String what = "seed " + seed + ", step " + step + ", op " + op + ", key " + k + " (last ops " + last(trail) + ")";
            trail.add(op + ":" + k);
            boolean room = model.size() < CAPACITY || model.containsKey(k);
            switch (op) {
                case 0 -> {
                    if (room) {
                        m.put(k, v);
                        model.put(k, v);
                    }
                }
                case 1 -> assertThat(m.get(k)).as(what).isEqualTo(model.get(k));
                case 2 -> assertThat(m.remove(k)).as(what).isEqualTo(model.remove(k) != null);
                case 3 -> {
                    if (room) {
                        assertThat(m.putIfAbsent(k, v)).as(what).isEqualTo(model.putIfAbsent(k, v) == null);
                    }
                }
                case 4 -> assertThat(m.replace(k, v)).as(what).isEqualTo(model.replace(k, v) != null);
                case 5 -> assertThat(m.getAndRemove(k)).as(what).isEqualTo(model.remove(k));
                case 6 -> assertThat(m.containsKey(k)).as(what).isEqualTo(model.containsKey(k));
                case 7 -> assertThat(m.size()).as(what).isEqualTo(model.size());
                default -> assertThat(m.getAll()).as(what).isEqualTo(model);
            }
        }
        assertThat(m.getAll()).as("seed " + seed + " at the end").isEqualTo(model);
    }

    private static List<String> last(List<String> trail) {
        return trail.subList(Math.max(0, trail.size() - 5), trail.size());
    }
}
