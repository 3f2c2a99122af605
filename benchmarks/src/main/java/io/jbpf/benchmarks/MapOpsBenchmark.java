package io.jbpf.benchmarks;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.jbpf.core.map.BatchCursor;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Single and batch operations on a hash map of 10k u32 → u64 entries through {@link KernelMap},
 * the same work as the C baseline native/bench/map_ops.c. Batch figures are per entry
 * ({@code @OperationsPerInvocation(10000)}).
 *
 * <p>With {@code -Djbpf.bench.cBaseline=PATH} (the built {@code map_ops}), every iteration starts
 * with a short run of the C baseline and prints {@code c-baseline <operation> <ns> <ns shared>},
 * so each iteration's figure has C figures taken seconds before it: on a machine whose bpf() cost
 * drifts from minute to minute, the ratio of such pairs is steadier than the ratio of separate
 * runs' medians ({@code benchmarks/compare-map-ops.sh} pairs them). The second C figure is the
 * same calls while a second thread shares the C process's file table, as every JVM thread shares
 * the JVM's (see map_ops.c: the kernel's fd lookup takes a cheaper path in a single-threaded process).
 *
 * <p>{@code lookupCInProcess} is the C baseline's own lookup loop ({@code native/bench/lookup_loop.c},
 * built as {@code native/build/bench/liblookup_loop.so}, or the library {@code -Djbpf.bench.cLoop}
 * names) called from this JVM for 1,000 lookups at a time: the C loop in the JVM's process, to set
 * against {@code map_ops} in its own process and {@code lookup} in this one.
 *
 * <p>{@code -Djbpf.bench.pinThread=CPU} pins the benchmark's thread (and so the C baseline it
 * starts) to one CPU, for runs where the JVM's other threads are left free to run elsewhere.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class MapOpsBenchmark {
    static final int N = 10_000;
    /** Lookups per call of the in-process C loop. */
    static final int C_LOOP = 1_000;

    /** libc's {@code sched_setaffinity}, to pin the benchmark's own thread. */
    public interface Affinity extends Library {
        int sched_setaffinity(int pid, long size, long[] mask);
    }

    /** {@code native/bench/lookup_loop.c} built as a library. */
    public interface CLoop extends Library {
        long jbpf_lookup_loop(int fd, int first, int count, int keys);
    }

    @Param({"ffm", "jna"})
    public String backend;

    private KernelMap map;
    /** The key of the next operation, written in place as the C baseline writes its stack variable. */
    private final byte[] key = new byte[4];
    private final ByteBuffer keyView = ByteBuffer.wrap(key).order(ByteOrder.nativeOrder());
    private final byte[] value = new byte[8];
    private byte[] packedKeys;
    private byte[] packedValues;
    private final byte[] outKeys = new byte[N * 4];
    private final byte[] outValues = new byte[N * 8];
    private int next;
    private CLoop cLoop;

    @Setup(Level.Trial)
    public void setUp() {
        if (backend.equals("ffm") && Runtime.version().feature() < 22) {
            throw new IllegalStateException("the ffm backend needs JDK 22+; run with -p backend=jna");
        }
        System.setProperty("jbpf.backend", backend);
        String pin = System.getProperty("jbpf.bench.pinThread");
        if (pin != null && Native.load("c", Affinity.class).sched_setaffinity(0, 8, new long[] {1L << Integer.parseInt(pin)}) != 0) {
            throw new IllegalStateException("cannot pin the benchmark thread to CPU " + pin);
        }
        map = KernelMap.create(MapSpec.of("bench_hash", MapType.HASH, 4, 8, N));
        ByteBuffer k = ByteBuffer.allocate(N * 4).order(ByteOrder.nativeOrder());
        ByteBuffer v = ByteBuffer.allocate(N * 8).order(ByteOrder.nativeOrder());
        for (int i = 0; i < N; i++) {
            k.putInt(i);
            v.putLong(i);
        }
        packedKeys = k.array();
        packedValues = v.array();
        map.updateBatch(packedKeys, packedValues, N, MapFlags.ANY);
        Path library = Path.of(System.getProperty("jbpf.bench.cLoop", "native/build/bench/liblookup_loop.so"));
        if (Files.isRegularFile(library)) {
            cLoop = Native.load(library.toAbsolutePath().toString(), CLoop.class);
        }
    }

    /** The C baseline's figure for this benchmark's operation, run just before the iteration (see above). */
    @Setup(Level.Iteration)
    public void pairWithC(BenchmarkParams params) throws IOException, InterruptedException {
        String c = System.getProperty("jbpf.bench.cBaseline");
        if (c == null) {
            return;
        }
        String op = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        String name = switch (op) {
            case "deleteThenInsert" -> "delete_insert";
            case "lookupCInProcess" -> "lookup";
            case "batchLookup" -> "batch_lookup_per_entry";
            case "batchUpdate" -> "batch_update_per_entry";
            default -> op;
        };
        Process p = new ProcessBuilder(c, "50000", "1", "1").redirectErrorStream(true).start();
        String alone = null;
        String shared = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith(name + " ")) {
                    alone = line.substring(name.length() + 1);
                } else if (line.startsWith(name + "_shared_fds ")) {
                    shared = line.substring(name.length() + "_shared_fds ".length());
                }
            }
        }
        if (p.waitFor() != 0 || alone == null || shared == null) {
            throw new IllegalStateException(c + " failed or printed no " + name);
        }
        System.out.println("c-baseline " + op + " " + alone + " " + shared);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        map.close();
    }

    /** The next key (0, 1, …, N-1, 0, …), as C's {@code i % N}. */
    private byte[] nextKey() {
        keyView.putInt(0, next);
        next = next + 1 == N ? 0 : next + 1;
        return key;
    }

    @Benchmark
    public boolean lookup() {
        return map.lookup(nextKey(), value);
    }

    @Benchmark
    @OperationsPerInvocation(C_LOOP)
    public long lookupCInProcess() {
        if (cLoop == null) {
            throw new IllegalStateException("no native/build/bench/liblookup_loop.so: run make -C native/bench first");
        }
        long after = cLoop.jbpf_lookup_loop(map.fd(), next, C_LOOP, N);
        if (after < 0) {
            throw new IllegalStateException("a lookup of the C loop failed");
        }
        next = (int) after;
        return after;
    }

    @Benchmark
    public void update() {
        map.update(nextKey(), value, MapFlags.ANY);
    }

    @Benchmark
    public void deleteThenInsert() {
        byte[] key = nextKey();
        map.delete(key);
        map.update(key, value, MapFlags.NOEXIST);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int batchLookup() {
        BatchCursor cursor = map.batchCursor();
        int total = 0;
        while (!cursor.done() && total < N) {
            total += map.lookupBatch(cursor, outKeys, outValues, N, false);
        }
        return total;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void batchUpdate() {
        map.updateBatch(packedKeys, packedValues, N, MapFlags.ANY);
    }
}
