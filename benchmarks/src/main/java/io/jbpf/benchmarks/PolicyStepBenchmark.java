package io.jbpf.benchmarks;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.RawMap;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.prog.TestRunResult;
import io.jbpf.loader.BpfObject;
import io.jbpf.loader.ObjectSpec;
import io.jbpf.netpolicy.datapath.PolicyMap;
import io.jbpf.netpolicy.datapath.PolicyProbe;
import io.jbpf.netpolicy.policy.Direction;
import io.jbpf.netpolicy.policy.EndpointPolicy;
import io.jbpf.netpolicy.policy.PolicyKey;
import io.jbpf.netpolicy.policy.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * The netpolicy datapath's policy step (jbpf-netpolicy {@code PolicyProbe}: the question read from
 * the frame, two LPM lookups) against the same step in C built by clang
 * ({@code native/bench/policy_step.bpf.c}), both TC programs run by the kernel through
 * {@code BPF_PROG_TEST_RUN} with repeat {@value #REPEAT}, over a policy map holding the entries of
 * {@code size} identities, each allowed on its own TCP port, plus a port range and a deny. The
 * question's identity is in the middle of the allocated ones and its port allowed, so both lookups
 * hit. The JMH figure is wall time per packet; at tear-down the benchmark prints the kernel's own
 * per-run duration, the figure to compare (goal: jbpf within 1.1 times C at every size).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PolicyStepBenchmark {
    static final int REPEAT = 10_000;
    static final int ENDPOINT = 7;

    @Param({"jbpf", "clang"})
    public String impl;

    @Param({"10", "1000", "10000"})
    public int size;

    private KernelMap ownMap;
    private BpfObject object;
    private Program program;
    private TestRun run;
    private long kernelNs;
    private long runs;

    /** The policy of one endpoint: identity 256+i allowed on TCP port 1000+i, UDP 53 for all, a deny on 22. */
    static EndpointPolicy policy(int size) {
        Map<PolicyKey, Verdict> entries = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            entries.put(new PolicyKey(256 + i, Direction.INGRESS, 6, 1000 + i, 16), Verdict.ALLOW);
        }
        entries.put(new PolicyKey(0, Direction.INGRESS, 17, 53, 16), Verdict.ALLOW);
        entries.put(new PolicyKey(0, Direction.INGRESS, 6, 22, 16), Verdict.DENY);
        return new EndpointPolicy(Set.of(Direction.INGRESS, Direction.EGRESS), entries);
    }

    static byte[] cObject() {
        Path built = Path.of(System.getProperty("jbpf.policy.object", "native/build/policy_step.bpf.o"));
        try {
            return Files.readAllBytes(built);
        } catch (IOException e) {
            throw new UncheckedIOException(built + " is missing: build it with make -C native", e);
        }
    }

    @Setup
    public void setUp() {
        RawMap map;
        if (impl.equals("jbpf")) {
            ownMap = KernelMap.create(PolicyMap.spec("policy", 65536));
            program = Program.load(PolicyProbe.program("policy_step", "policy"), Map.of("policy", ownMap));
            map = ownMap;
        } else {
            object = BpfObject.load(ObjectSpec.open(cObject()));
            program = object.program("policy_step");
            map = object.map("policy");
        }
        PolicyMap.sync(map, ENDPOINT, policy(size));
        int id = 256 + size / 2;
        byte[] frame = PolicyProbe.question(id, ENDPOINT, Direction.INGRESS, 6, 1000 + size / 2);
        for (Object[] check : List.of(new Object[] {frame, PolicyMap.ALLOW},
                new Object[] {PolicyProbe.question(id, ENDPOINT, Direction.INGRESS, 6, 22), PolicyMap.DENY},
                new Object[] {PolicyProbe.question(id, ENDPOINT, Direction.INGRESS, 6, 999), 0})) {
            int got = program.testRun(TestRun.withData((byte[]) check[0])).returnValue();
            if (got != (int) check[1]) {
                throw new IllegalStateException(impl + " gave verdict " + got + ", not " + check[1]);
            }
        }
        run = TestRun.withData(frame).repeat(REPEAT);
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
            System.out.printf("%nkernel's own duration per run (%s, %d identities): %.2f ns over %d test runs of %d%n",
                    impl, size, kernelNs / (double) runs, runs, REPEAT);
        }
        if (ownMap != null) {
            program.close();
            ownMap.close();
        }
        if (object != null) {
            object.close();
        }
    }
}
