package io.jbpf.benchmarks;

import io.jbpf.core.asm.AsmParser;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.prog.TestRunResult;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The filters of {@link VmFilterBenchmark} in the kernel, through {@code BPF_PROG_TEST_RUN}
 * with {@code repeat} {@value #REPEAT}: the JMH figure is wall time per packet (one syscall spread
 * over the repeats), and at tear-down the benchmark prints the kernel's own average per-run
 * duration ({@code duration} of the test run: the kernel JIT's time alone), which is the figure
 * the VM's engines are compared with.
 *
 * <p>The repeat count is large because an XDP test run with {@code repeat > 1} costs a fixed
 * ~0.6 ms in the kernel on top of the runs (it swaps the program into the XDP dispatcher and back,
 * measured with {@code strace -T} on {@code bpftool prog run}): with 1000 repeats that dominated the
 * wall time per packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class KernelFilterBenchmark {
    static final int REPEAT = 100_000;

    @Param({"noop", "port", "parser", "counter"})
    public String filter;

    private final Map<String, KernelMap> maps = new HashMap<>();
    private Program program;
    private TestRun run;
    private long kernelNs;
    private long runs;

    @Setup
    public void setUp() {
        String text;
        switch (filter) {
            case "noop":
                text = VmFilterBenchmark.NOOP;
                break;
            case "port":
                text = VmFilterBenchmark.PORT_FILTER;
                break;
            case "parser":
                text = VmFilterBenchmark.PARSER;
                break;
            default:
                text = VmFilterBenchmark.COUNTER;
                maps.put("protos", KernelMap.create(MapSpec.of("protos", MapType.ARRAY, 4, 8, 256)));
                maps.put("flows", KernelMap.create(MapSpec.of("flows", MapType.HASH, 8, 8, 1024)));
                break;
        }
        program = Program.load(ProgramSpec.builder("bench_" + filter, ProgramType.XDP)
                .instructions(AsmParser.parse(text)).build(), maps);
        run = TestRun.withData(VmFilterBenchmark.tcpPacket()).repeat(REPEAT);
    }

    @Benchmark
    @OperationsPerInvocation(REPEAT)
    public int testRun() {
        TestRunResult r = program.testRun(run);
        kernelNs += r.durationNs();
        runs++;
        return r.returnValue();
    }

    @TearDown
    public void tearDown() {
        if (runs > 0) {
            System.out.printf("%nkernel's own duration per run (%s): %.1f ns over %d test runs of %d%n",
                    filter, kernelNs / (double) runs, runs, REPEAT);
        }
        program.close();
        maps.values().forEach(KernelMap::close);
    }
}
