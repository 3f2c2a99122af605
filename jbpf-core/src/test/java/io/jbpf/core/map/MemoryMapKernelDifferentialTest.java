package io.jbpf.core.map;

import static io.jbpf.core.map.MemoryMapTest.u32;
import static io.jbpf.core.map.MemoryMapTest.u64;
import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.BpfException;
import io.jbpf.core.testing.KernelTest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The same seeded random operations on a {@link KernelMap} and a {@link MemoryMap} of the same spec:
 * results and exceptions (errno and command) must agree. Hash key order differs by design, so walks
 * compare the sets of keys; LRU eviction in the kernel is approximate (per-CPU free lists), so LRU
 * maps are only checked for invariants; bloom filters only for the values added (the kernel's false
 * positives are not ours).
 */
@KernelTest
class MemoryMapKernelDifferentialTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final long[] SEEDS = {1, 7, 99, 2026};

    /** What an operation gave: its result, or the exception's errno and command. */
    static String outcome(RawMap m, Function<RawMap, Object> op) {
        try {
            Object r = op.apply(m);
            return r instanceof byte[] b ? HEX.formatHex(b) : String.valueOf(r);
        } catch (BpfException e) {
            return "BpfException " + e.command() + " " + e.errno();
        } catch (IllegalArgumentException e) {
            return "IllegalArgumentException";
        }
    }

    /** The keys of a walk, sorted: hash orders differ, key sets must not. */
    static Object walk(RawMap m) {
        TreeSet<String> keys = new TreeSet<>();
        for (byte[] k : MemoryMapTest.keys(m)) {
            keys.add(HEX.formatHex(k));
        }
        return keys;
    }

    static Object lookup(RawMap m, byte[] key) {
        byte[] v = new byte[m.valueBufferSize()];
        return m.lookup(key, v) ? v : "absent";
    }

    static Object lookupAndDelete(RawMap m, byte[] key) {
        byte[] v = new byte[m.valueBufferSize()];
        return m.lookupAndDelete(key, v) ? v : "absent";
    }

    static byte[] value(RawMap m, Random rnd) {
        byte[] v = new byte[m.valueBufferSize()];
        int slot = (m.spec().valueSize() + 7) & ~7;
        for (int off = 0; off < v.length; off += m.spec().type().perCpu() ? slot : v.length) {
            for (int i = 0; i < m.spec().valueSize(); i++) {
                v[off + i] = (byte) rnd.nextInt();
            }
        }
        return v;
    }

    /** Runs {@code steps} operations from {@code gen} on both maps and compares each outcome. */
    static void differential(MapSpec spec, long seed, int steps, Function<Random, Function<RawMap, Object>> gen) {
        try (KernelMap k = KernelMap.create(spec); MemoryMap mem = MemoryMap.create(spec)) {
            Random rnd = new Random(seed);
            List<String> log = new ArrayList<>();
            for (int step = 0; step < steps; step++) {
                Function<RawMap, Object> op = gen.apply(rnd);
                String want = outcome(k, op);
                String got = outcome(mem, op);
                log.add(op + " -> " + want);
                assertThat(got).as("%s seed %d step %d: %s (last %s)", spec.type(), seed, step, op,
                        log.subList(Math.max(0, log.size() - 5), log.size())).isEqualTo(want);
            }
            assertThat(outcome(mem, MemoryMapKernelDifferentialTest::walk)).isEqualTo(outcome(k, MemoryMapKernelDifferentialTest::walk));
        }
    }

    /** {@code f}, described by {@code what} in failure messages. */
    static Function<RawMap, Object> named(String what, Function<RawMap, Object> f) {
        return new Function<>() {
            @Override
            public Object apply(RawMap m) {
                return f.apply(m);
            }

            @Override
            public String toString() {
                return what;
            }
        };
    }

    static long flags(Random rnd) {
        int f = rnd.nextInt(12);
        return f < 9 ? f % 3 : f == 9 ? 3 : f == 10 ? MapFlags.LOCK : 8;
    }

    /** Element operations on a keyed map with keys from {@code keys(rnd)}. */
    static Function<Random, Function<RawMap, Object>> keyed(Function<Random, byte[]> keys) {
        return rnd -> {
            byte[] key = keys.apply(rnd);
            long fl = flags(rnd);
            long valueSeed = rnd.nextLong();
            switch (rnd.nextInt(10)) {
                case 0, 1, 2, 3:
                    return named("update " + HEX.formatHex(key) + " flags " + fl, m -> {
                        m.update(key, value(m, new Random(valueSeed)), fl);
                        return "updated";
                    });
                case 4:
                    return named("delete " + HEX.formatHex(key), m -> m.delete(key));
                case 5:
                    return named("lookupAndDelete " + HEX.formatHex(key), m -> lookupAndDelete(m, key));
                case 6:
                    return named("walk", MemoryMapKernelDifferentialTest::walk);
                default:
                    return named("lookup " + HEX.formatHex(key), m -> lookup(m, key));
            }
        };
    }

    @Test
    void hashMapsAgree() {
        for (long seed : SEEDS) {
            differential(MapSpec.of("jbpf_d_hash", MapType.HASH, 4, 8, 16), seed, 2000, keyed(r -> u32(r.nextInt(40))));
            differential(MapSpec.of("jbpf_d_pchash", MapType.PERCPU_HASH, 4, 12, 16), seed, 1000,
                    keyed(r -> u32(r.nextInt(40))));
        }
    }

    @Test
    void arraysAgree() {
        for (long seed : SEEDS) {
            differential(MapSpec.of("jbpf_d_array", MapType.ARRAY, 4, 8, 8), seed, 1000, keyed(r -> u32(r.nextInt(12) - 2)));
            differential(MapSpec.of("jbpf_d_pcarray", MapType.PERCPU_ARRAY, 4, 4, 8), seed, 1000,
                    keyed(r -> u32(r.nextInt(12))));
        }
    }

    @Test
    void lpmTriesAgree() {
        int[] lens = {0, 8, 12, 16, 24, 32, 33};
        Function<Random, byte[]> keys = r -> MemoryMapTest.lpm(lens[r.nextInt(lens.length)], 10, r.nextInt(3),
                r.nextInt(2) * 128, r.nextInt(256));
        for (long seed : SEEDS) {
            differential(MapSpec.of("jbpf_d_lpm", MapType.LPM_TRIE, 8, 8, 12).withFlags(MapFlags.NO_PREALLOC), seed, 1500,
                    rnd -> {
                        if (rnd.nextInt(4) == 0) {
                            // lookups with a full-length key: the longest prefix
                            byte[] k = MemoryMapTest.lpm(32, 10, rnd.nextInt(3), rnd.nextInt(2) * 128, rnd.nextInt(256));
                            return named("lookup " + HEX.formatHex(k), m -> lookup(m, k));
                        }
                        return keyed(keys).apply(rnd);
                    });
        }
    }

    static Function<Random, Function<RawMap, Object>> keyless() {
        return rnd -> {
            long fl = flags(rnd);
            int v = rnd.nextInt();
            switch (rnd.nextInt(9)) {
                case 0, 1, 2, 3:
                    return m -> {
                        m.update(null, u32(v), fl);
                        return "pushed";
                    };
                case 4:
                    return m -> m.delete(null);
                case 5:
                    return m -> m.nextKey(null, new byte[0]);
                case 6:
                    return m -> lookup(m, null);
                default:
                    return m -> lookupAndDelete(m, null);
            }
        };
    }

    @Test
    void queuesAndStacksAgree() {
        for (long seed : SEEDS) {
            for (MapType t : new MapType[] {MapType.QUEUE, MapType.STACK}) {
                MapSpec spec = MapSpec.of("jbpf_d_qs", t, 0, 4, 6);
                try (KernelMap k = KernelMap.create(spec); MemoryMap mem = MemoryMap.create(spec)) {
                    Random rnd = new Random(seed);
                    for (int step = 0; step < 1000; step++) {
                        Function<RawMap, Object> op = keyless().apply(rnd);
                        assertThat(outcome(mem, op)).as("%s seed %d step %d", t, seed, step).isEqualTo(outcome(k, op));
                    }
                }
            }
        }
    }

    @Test
    void bloomFiltersHaveNoFalseNegativesAndTheSameErrors() {
        MapSpec spec = MapSpec.of("jbpf_d_bloom", MapType.BLOOM_FILTER, 0, 8, 64).withMapExtra(4);
        try (KernelMap k = KernelMap.create(spec); MemoryMap mem = MemoryMap.create(spec)) {
            Random rnd = new Random(5);
            for (int i = 0; i < 64; i++) {
                byte[] v = u64(rnd.nextLong());
                Function<RawMap, Object> add = m -> {
                    m.update(null, v, MapFlags.ANY);
                    return m.lookup(null, v.clone());
                };
                assertThat(outcome(mem, add)).isEqualTo(outcome(k, add)).isEqualTo("true");
            }
            for (Function<RawMap, Object> op : List.<Function<RawMap, Object>>of(
                    m -> {
                        m.update(null, u64(1), MapFlags.NOEXIST);
                        return "added";
                    },
                    m -> {
                        m.update(null, u64(1), MapFlags.EXIST);
                        return "added";
                    },
                    m -> m.delete(null),
                    m -> m.nextKey(null, new byte[0]),
                    m -> lookupAndDelete(m, null))) {
                assertThat(outcome(mem, op)).isEqualTo(outcome(k, op));
            }
        }
    }

    @Test
    void lruHashesKeepTheirInvariantsUnderPressure() {
        for (MapType t : new MapType[] {MapType.LRU_HASH, MapType.LRU_PERCPU_HASH}) {
            MapSpec spec = MapSpec.of("jbpf_d_lru", t, 4, 8, 64);
            try (KernelMap k = KernelMap.create(spec); MemoryMap mem = MemoryMap.create(spec)) {
                Random rnd = new Random(11);
                java.util.Set<Integer> seen = new java.util.HashSet<>();
                for (int step = 0; step < 3000; step++) {
                    int n = rnd.nextInt(500);
                    seen.add(n);
                    byte[] key = u32(n);
                    long valueSeed = rnd.nextLong();
                    Function<RawMap, Object> put = m -> {
                        byte[] v = value(m, new Random(valueSeed));
                        m.update(key, v, MapFlags.ANY);
                        byte[] back = new byte[v.length];
                        return m.lookup(key, back) && java.util.Arrays.equals(back, v);
                    };
                    assertThat(outcome(k, put)).as("kernel, step %d", step).isEqualTo("true");
                    assertThat(outcome(mem, put)).as("memory, step %d", step).isEqualTo("true");
                    if (step % 250 == 0) {
                        assertThat(MemoryMapTest.keys(k).size()).isLessThanOrEqualTo(64);
                        assertThat(MemoryMapTest.keys(mem)).hasSize(Math.min(64, seen.size())); // strict LRU: full once filled
                    }
                }
                // the same flag errors
                for (Function<RawMap, Object> op : List.<Function<RawMap, Object>>of(
                        m -> {
                            m.update(u32(100000), value(m, new Random(1)), MapFlags.EXIST);
                            return "updated";
                        },
                        m -> {
                            m.update(u32(1), value(m, new Random(1)), 3);
                            return "updated";
                        },
                        m -> m.delete(u32(100001)))) {
                    assertThat(outcome(mem, op)).isEqualTo(outcome(k, op));
                }
            }
        }
    }

    @Test
    void accessFlagsAndFreezingAgree() {
        for (int flags : new int[] {MapFlags.RDONLY, MapFlags.WRONLY, 0}) {
            MapSpec spec = MapSpec.of("jbpf_d_acc", MapType.HASH, 4, 8, 4).withFlags(flags);
            try (KernelMap k = KernelMap.create(spec); MemoryMap mem = MemoryMap.create(spec)) {
                List<Function<RawMap, Object>> ops = List.of(
                        m -> {
                            m.update(u32(1), u64(1), MapFlags.ANY);
                            return "updated";
                        },
                        m -> lookup(m, u32(1)),
                        m -> m.nextKey(null, new byte[4]),
                        m -> m.delete(u32(1)),
                        m -> lookupAndDelete(m, u32(1)));
                for (Function<RawMap, Object> op : ops) {
                    assertThat(outcome(mem, op)).as("flags %d", flags).isEqualTo(outcome(k, op));
                }
                if (flags == 0) {
                    k.update(u32(2), u64(2), MapFlags.ANY);
                    mem.update(u32(2), u64(2), MapFlags.ANY);
                    k.freeze();
                    mem.freeze();
                    for (Function<RawMap, Object> op : ops) {
                        assertThat(outcome(mem, op)).as("frozen").isEqualTo(outcome(k, op));
                    }
                    Function<RawMap, Object> freeze = m -> {
                        if (m instanceof KernelMap km) {
                            km.freeze();
                        } else {
                            ((MemoryMap) m).freeze();
                        }
                        return "frozen";
                    };
                    assertThat(outcome(mem, freeze)).isEqualTo(outcome(k, freeze));
                }
            }
        }
    }

    @Test
    void creationRefusesWhatTheKernelRefuses() {
        MapSpec inner = MapSpec.of("jbpf_d_in", MapType.HASH, 4, 8, 4);
        List<MapSpec> specs = List.of(
                MapSpec.of("jbpf_d_c", MapType.HASH, 0, 8, 4),
                MapSpec.of("jbpf_d_c", MapType.HASH, 4, 0, 4),
                MapSpec.of("jbpf_d_c", MapType.HASH, 4, 8, 0),
                MapSpec.of("jbpf_d_c", MapType.HASH, 600, 8, 4),
                MapSpec.of("jbpf_d_c", MapType.HASH, 4, 8, 4).withFlags(MapFlags.NO_COMMON_LRU),
                MapSpec.of("jbpf_d_c", MapType.HASH, 4, 8, 4).withFlags(MapFlags.MMAPABLE),
                MapSpec.of("jbpf_d_c", MapType.HASH, 4, 8, 4).withFlags(MapFlags.RDONLY | MapFlags.WRONLY),
                MapSpec.of("jbpf_d_c", MapType.HASH, 4, 8, 4).withFlags(MapFlags.RDONLY_PROG | MapFlags.WRONLY_PROG),
                MapSpec.of("jbpf_d_c", MapType.HASH, 4, 8, 4).withFlags(MapFlags.NO_PREALLOC | MapFlags.ZERO_SEED),
                MapSpec.of("jbpf_d_c", MapType.LRU_HASH, 4, 8, 4).withFlags(MapFlags.NO_PREALLOC),
                MapSpec.of("jbpf_d_c", MapType.LRU_PERCPU_HASH, 4, 8, 4).withFlags(MapFlags.NO_COMMON_LRU),
                MapSpec.of("jbpf_d_c", MapType.ARRAY, 8, 8, 4),
                MapSpec.of("jbpf_d_c", MapType.ARRAY, 4, 8, 4).withFlags(MapFlags.NO_PREALLOC),
                MapSpec.of("jbpf_d_c", MapType.ARRAY, 4, 8, 4).withFlags(MapFlags.MMAPABLE | MapFlags.RDONLY_PROG),
                MapSpec.of("jbpf_d_c", MapType.PERCPU_ARRAY, 4, 8, 4).withFlags(MapFlags.MMAPABLE),
                MapSpec.of("jbpf_d_c", MapType.LPM_TRIE, 8, 8, 4),
                MapSpec.of("jbpf_d_c", MapType.LPM_TRIE, 4, 8, 4).withFlags(MapFlags.NO_PREALLOC),
                MapSpec.of("jbpf_d_c", MapType.LPM_TRIE, 8, 8, 4).withFlags(MapFlags.NO_PREALLOC | MapFlags.RDONLY_PROG),
                MapSpec.of("jbpf_d_c", MapType.QUEUE, 4, 8, 4),
                MapSpec.of("jbpf_d_c", MapType.STACK, 0, 8, 0),
                MapSpec.of("jbpf_d_c", MapType.STACK, 0, 8, 4).withFlags(MapFlags.NO_PREALLOC),
                MapSpec.of("jbpf_d_c", MapType.BLOOM_FILTER, 0, 8, 4).withMapExtra(16),
                MapSpec.of("jbpf_d_c", MapType.BLOOM_FILTER, 4, 8, 4),
                MapSpec.of("jbpf_d_c", MapType.BLOOM_FILTER, 0, 8, 4).withFlags(MapFlags.ZERO_SEED),
                MapSpec.of("jbpf_d_c", MapType.RINGBUF, 0, 0, 4096).withFlags(MapFlags.NO_PREALLOC),
                MapSpec.of("jbpf_d_c", MapType.RINGBUF, 4, 0, 4096),
                MapSpec.of("jbpf_d_c", MapType.PROG_ARRAY, 4, 4, 4).withFlags(MapFlags.RDONLY_PROG),
                MapSpec.of("jbpf_d_c", MapType.PROG_ARRAY, 4, 8, 4),
                MapSpec.of("jbpf_d_c", MapType.ARRAY_OF_MAPS, 4, 4, 4).withInnerMap(inner),
                MapSpec.of("jbpf_d_c", MapType.HASH_OF_MAPS, 8, 4, 4).withInnerMap(inner),
                MapSpec.of("jbpf_d_c", MapType.HASH_OF_MAPS, 8, 4, 4).withInnerMap(
                        MapSpec.of("jbpf_d_c2", MapType.PROG_ARRAY, 4, 4, 4)));
        List<String> differences = new ArrayList<>();
        for (MapSpec spec : specs) {
            String want = created(() -> KernelMap.create(spec));
            String got = created(() -> MemoryMap.create(spec));
            if (!got.equals(want)) {
                differences.add(spec + ": kernel " + want + ", memory " + got);
            }
        }
        assertThat(differences).isEmpty();
    }

    static String created(java.util.function.Supplier<RawMap> create) {
        try (RawMap m = create.get()) {
            return "created " + m.spec().type();
        } catch (BpfException e) {
            return "BpfException " + e.command() + " " + e.errno();
        }
    }

    /** Without targets set, the fd-holding maps and ring buffers answer user-side operations as the kernel's. */
    @Test
    void emptyTargetMapsAndRingBuffersAgree() {
        MapSpec inner = MapSpec.of("jbpf_d_in", MapType.ARRAY, 4, 8, 4);
        List<MapSpec> specs = List.of(
                MapSpec.of("jbpf_d_progs", MapType.PROG_ARRAY, 4, 4, 4),
                MapSpec.of("jbpf_d_aom", MapType.ARRAY_OF_MAPS, 4, 4, 4).withInnerMap(inner),
                MapSpec.of("jbpf_d_hom", MapType.HASH_OF_MAPS, 8, 4, 4).withInnerMap(inner));
        List<String> differences = new ArrayList<>();
        for (MapSpec spec : specs) {
            try (KernelMap k = KernelMap.create(spec); MemoryMap mem = MemoryMap.create(spec)) {
                byte[] in = new byte[spec.keySize()];
                byte[] out = new byte[spec.keySize()];
                in[0] = 9;
                List<Function<RawMap, Object>> ops = List.of(
                        named("lookup 0", m -> lookup(m, new byte[spec.keySize()])),
                        named("lookup 9", m -> lookup(m, in)),
                        named("delete 0", m -> m.delete(new byte[spec.keySize()])),
                        named("delete 9", m -> m.delete(in)),
                        named("lookupAndDelete 0", m -> lookupAndDelete(m, new byte[spec.keySize()])),
                        named("nextKey null", m -> m.nextKey(null, out) ? out.clone() : "end"),
                        named("nextKey 9", m -> m.nextKey(in, out) ? out.clone() : "end"),
                        named("walk", MemoryMapKernelDifferentialTest::walk));
                for (Function<RawMap, Object> op : ops) {
                    String want = outcome(k, op);
                    String got = outcome(mem, op);
                    if (!got.equals(want)) {
                        differences.add(spec.type() + " " + op + ": kernel " + want + ", memory " + got);
                    }
                }
            }
        }
        MapSpec rb = MapSpec.of("jbpf_d_rb", MapType.RINGBUF, 0, 0, 4096);
        try (KernelMap k = KernelMap.create(rb); MemoryMap mem = MemoryMap.create(rb)) {
            List<Function<RawMap, Object>> ops = List.of(
                    named("lookup", m -> lookup(m, null)),
                    named("update", m -> {
                        m.update(null, new byte[0], MapFlags.ANY);
                        return "updated";
                    }),
                    named("delete", m -> m.delete(null)),
                    named("nextKey", m -> m.nextKey(null, new byte[0])),
                    named("lookupAndDelete", m -> lookupAndDelete(m, null)));
            for (Function<RawMap, Object> op : ops) {
                String want = outcome(k, op);
                String got = outcome(mem, op);
                if (!got.equals(want)) {
                    differences.add("RINGBUF " + op + ": kernel " + want + ", memory " + got);
                }
            }
        }
        assertThat(differences).isEmpty();
    }
}
