package io.jbpf.benchmarks;

import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R3;
import static io.jbpf.core.insn.Reg.R4;
import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R10;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Size;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.prog.TestRun;
import io.jbpf.maps.ringbuf.RecordHandler;
import io.jbpf.maps.ringbuf.RingBufferReader;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The ring buffer reader's hot path: one operation is one 8-byte record, written by a TC program
 * (test-run with repeat, {@value #RECORDS} records per invocation) and read in place by
 * {@link RingBufferReader#drain}. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} per
 * operation must stay below one byte (the test-run call itself allocates a few hundred bytes per
 * invocation, shared by {@value #RECORDS} records); a per-record allocation would show as 16 bytes
 * or more.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class RingBufferReadBenchmark {
    static final int RECORDS = 4096;

    private KernelMap events;
    private Program program;
    private RingBufferReader reader;
    private TestRun run;
    private long sum;
    private final RecordHandler handler = this::onRecord;

    private void onRecord(ByteBuffer buffer, int offset, int length) {
        sum += buffer.getLong(offset);
    }

    @Setup
    public void setup() {
        events = KernelMap.create(MapSpec.of("events", MapType.RINGBUF, 0, 0, 1 << 20));
        ProgramSpec spec = ProgramSpec.builder("jbpf_rb_bench", ProgramType.SCHED_CLS).instructions(new Assembler()
                .store(Size.DW, R10, -8, 42)
                .ldMap(R1, "events")
                .mov(R2, R10)
                .add(R2, -8)
                .mov(R3, 8)
                .mov(R4, 0)
                .call(Helper.ofName("ringbuf_output"))
                .mov(R0, 2)
                .exit()
                .build()).build();
        program = Program.load(spec, Map.of("events", events));
        reader = RingBufferReader.open(events);
        run = TestRun.withData(new byte[64]).repeat(RECORDS);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long writeAndDrain() {
        program.testRun(run);
        int n = reader.drain(handler);
        if (n != RECORDS) {
            throw new IllegalStateException("drained " + n + " of " + RECORDS);
        }
        return sum;
    }

    @TearDown
    public void tearDown() {
        reader.close();
        program.close();
        events.close();
    }
}
