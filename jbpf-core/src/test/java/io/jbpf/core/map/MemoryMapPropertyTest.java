package io.jbpf.core.map;

import static io.jbpf.core.map.MemoryMapTest.u32;
import static io.jbpf.core.map.MemoryMapTest.u64;
import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Seeded random operations: an in-memory HASH behaves as a java.util.HashMap bounded by max_entries. */
class MemoryMapPropertyTest {
    private static final int CAPACITY = 32;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 4711, 20260101})
    void hashBehavesLikeAHashMapWithinCapacity(long seed) {
        Random rnd = new Random(seed);
        MemoryMap m = MemoryMap.create(MapSpec.of("prop", MapType.HASH, 4, 8, CAPACITY));
        Map<Integer, Long> model = new HashMap<>();
        byte[] v = new byte[8];
        for (int step = 0; step < 5000; step++) {
            int key = rnd.nextInt(CAPACITY * 2);
            long value = rnd.nextLong();
            String what = "seed " + seed + " step " + step;
            switch (rnd.nextInt(8)) {
                case 0, 1, 2 -> {
                    long flags = rnd.nextInt(3);
                    Errno expected = null;
                    boolean present = model.containsKey(key);
                    if (flags == MapFlags.NOEXIST && present) {
                        expected = Errno.EEXIST;
                    } else if (flags == MapFlags.EXIST && !present) {
                        expected = Errno.ENOENT;
                    } else if (!present && model.size() >= CAPACITY) {
                        expected = Errno.E2BIG;
                    }
                    Errno got = null;
                    try {
                        m.update(u32(key), u64(value), flags);
                    } catch (BpfException e) {
                        got = e.errno();
                    }
                    assertThat(got).as(what).isEqualTo(expected);
                    if (expected == null) {
                        model.put(key, value);
                    }
                    int r = m.updateFromProgram(u32(key), u64(value), flags, 0);
                    boolean nowPresent = model.containsKey(key);
                    int want = flags == MapFlags.NOEXIST && nowPresent ? -Errno.EEXIST.number()
                            : flags == MapFlags.EXIST && !nowPresent ? -Errno.ENOENT.number()
                            : !nowPresent && model.size() >= CAPACITY ? -Errno.E2BIG.number() : 0;
                    assertThat(r).as(what).isEqualTo(want);
                    if (r == 0) {
                        model.put(key, value);
                    }
                }
                case 3 -> assertThat(m.delete(u32(key))).as(what).isEqualTo(model.remove(key) != null);
                case 4 -> {
                    Long want = model.remove(key);
                    assertThat(m.lookupAndDelete(u32(key), v)).as(what).isEqualTo(want != null);
                    if (want != null) {
                        assertThat(v).as(what).isEqualTo(u64(want));
                    }
                }
                case 5 -> {
                    byte[] live = m.lookupForProgram(u32(key), 0);
                    assertThat(live != null).as(what).isEqualTo(model.containsKey(key));
                    if (live != null) {
                        ByteBuffer.wrap(live).order(ByteOrder.nativeOrder()).putLong(0, value);
                        model.put(key, value);
                    }
                }
                default -> {
                    Long want = model.get(key);
                    assertThat(m.lookup(u32(key), v)).as(what).isEqualTo(want != null);
                    if (want != null) {
                        assertThat(v).as(what).isEqualTo(u64(want));
                    }
                }
            }
            if (step % 100 == 0) {
                Set<Integer> walked = new HashSet<>();
                for (byte[] k : MemoryMapTest.keys(m)) {
                    assertThat(walked.add(ByteBuffer.wrap(k).order(ByteOrder.nativeOrder()).getInt())).as(what).isTrue();
                }
                assertThat(walked).as(what).isEqualTo(model.keySet());
            }
        }
    }
}
