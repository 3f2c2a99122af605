package io.jbpf.benchmarks;

import io.jbpf.core.BpfCommand;
import io.jbpf.core.internal.sys.BpfAttr;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.internal.sys.Syscalls;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One bpf() round trip: a lookup in a one-element array map. {@code rawSyscall} measures the
 * backend alone (attr prepared once, as the C baseline in native/bench/map_lookup.c does through
 * libbpf); {@code kernelMapLookup} measures the public API (copying key and value through per-thread
 * native buffers). Compare with the C baseline: see benchmarks/RESULTS.md. {@code getpid} is a
 * system call that touches no user memory, through the same backend, against
 * native/bench/getpid_loop.c: what a call into the kernel costs from the JVM beyond what it costs
 * from C.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class MapLookupBenchmark {

    @Param({"ffm", "jna"})
    public String backend;

    private Syscalls sys;
    private KernelMap map;
    private NativeBuffer attr;
    private NativeBuffer key;
    private NativeBuffer value;
    private final byte[] keyBytes = new byte[4];
    private final byte[] valueBytes = new byte[8];

    @Setup(Level.Trial)
    public void setUp() {
        if (backend.equals("ffm") && Runtime.version().feature() < 22) {
            throw new IllegalStateException("the ffm backend needs JDK 22+; run with -p backend=jna");
        }
        System.setProperty("jbpf.backend", backend);
        if (!Sys.get().name().equals(backend)) {
            throw new IllegalStateException("backend " + Sys.get().name() + " is in use, wanted " + backend);
        }
        sys = Sys.get();
        map = KernelMap.create(MapSpec.of("bench_array", MapType.ARRAY, 4, 8, 1));
        map.update(keyBytes, new byte[] {42, 0, 0, 0, 0, 0, 0, 0}, MapFlags.ANY);
        key = NativeBuffer.allocate(4);
        value = NativeBuffer.allocate(8);
        attr = NativeBuffer.allocate(BpfAttr.MapElem.SIZE);
        attr.buffer().putInt(BpfAttr.MapElem.MAP_FD, map.fd());
        attr.buffer().putLong(BpfAttr.MapElem.KEY, key.address());
        attr.buffer().putLong(BpfAttr.MapElem.VALUE, value.address());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        map.close();
    }

    @Benchmark
    public long rawSyscall() {
        return sys.bpf(BpfCommand.MAP_LOOKUP_ELEM.number(), attr.address(), BpfAttr.MapElem.SIZE);
    }

    @Benchmark
    public byte[] kernelMapLookup() {
        map.lookup(keyBytes, valueBytes);
        return valueBytes;
    }

    @Benchmark
    public int getpid() {
        return sys.getpid();
    }
}
