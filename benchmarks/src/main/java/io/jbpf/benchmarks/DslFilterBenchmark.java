package io.jbpf.benchmarks;

import static io.jbpf.core.dsl.Dsl.cidrs;
import static io.jbpf.core.dsl.Dsl.drop;
import static io.jbpf.core.dsl.Dsl.ipv4;
import static io.jbpf.core.dsl.Dsl.pass;
import static io.jbpf.core.dsl.Dsl.ipv6;
import static io.jbpf.core.dsl.Dsl.tcp;
import static io.jbpf.core.dsl.Dsl.udp;

import io.jbpf.core.dsl.KernelPacketProgram;
import io.jbpf.core.dsl.PacketProgram;
import io.jbpf.core.dsl.Target;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.prog.TestRunResult;
import io.jbpf.loader.BpfObject;
import io.jbpf.loader.ObjectSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * Packet filters written with the DSL against the same filters written in C and built by clang,
 * both XDP programs run by the kernel through {@code BPF_PROG_TEST_RUN} with {@code repeat}
 * {@value #REPEAT} over a packet that goes all the way through the filter ({@code packet=match}:
 * dropped) or is passed after its first test ({@code packet=miss}). Two filters of different
 * shapes: {@code shape=ipv4_tcp}, an IPv4 source prefix set and a TCP port range
 * ({@code native/bench/dsl_filter.bpf.c}), and {@code shape=ipv6_udp}, an IPv6 destination prefix
 * set and a UDP port set behind the extension header walk ({@code native/bench/dsl_filter6.bpf.c});
 * both built by {@code make -C native} (another object with {@code -Djbpf.dsl.object=PATH} /
 * {@code -Djbpf.dsl.object6=PATH}). The JMH figure is wall time per packet; at tear-down the
 * benchmark prints the kernel's own per-run duration and the instruction count of each, the
 * figures to compare (goal: the DSL within 1.1 times clang's). {@code filter=noop}, a program that
 * only returns, gives the floor of those durations (the test run's own cost per repeat): what a
 * filter adds to it is its own cost. (The kernel reports whole nanoseconds per run; the means over
 * many test runs resolve fractions.)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class DslFilterBenchmark {
    static final int REPEAT = 1000;

    /** {@code noop}: a program that only returns XDP_PASS, the floor the test run itself costs. */
    @Param({"dsl", "clang", "noop"})
    public String filter;

    @Param({"match", "miss"})
    public String packet;

    @Param({"ipv4_tcp", "ipv6_udp"})
    public String shape;

    private KernelPacketProgram dsl;
    private Program noop;
    private BpfObject object;
    private Program program;
    private TestRun run;
    private long kernelNs;
    private long runs;
    private int instructions;

    /** The DSL program the C file mirrors. */
    static PacketProgram dslFilter() {
        return PacketProgram.forTarget(Target.XDP).name("dsl_filter")
                .when(ipv4().src().in(cidrs("10.0.0.0/8", "192.168.0.0/16")).and(tcp().dstPort().between(80, 90)))
                .then(drop()).otherwise(pass()).build();
    }

    /** The second DSL program, mirrored by native/bench/dsl_filter6.bpf.c. */
    static PacketProgram dslFilter6() {
        return PacketProgram.forTarget(Target.XDP).name("dsl_filter6")
                .when(ipv6().dst().in(cidrs("2001:db8::/32", "fd00::/8")).and(udp().dstPort().in(53, 123, 443)))
                .then(drop()).otherwise(pass()).build();
    }

    /** Ethernet, IPv6 from 2001:db8::1 to {@code first}:db8::2, UDP from 40000 to 53, 10 bytes of payload. */
    static byte[] udp6Packet(int first) {
        byte[] p = new byte[14 + 40 + 8 + 10];
        p[0] = 2;
        p[6] = 2;
        p[11] = 1;
        p[12] = (byte) 0x86;
        p[13] = (byte) 0xdd;
        p[14] = 0x60;
        p[19] = 18;
        p[20] = 17;
        p[21] = 64;
        p[22] = 0x20;
        p[23] = 0x01;
        p[24] = 0x0d;
        p[25] = (byte) 0xb8;
        p[37] = 1;
        p[38] = (byte) (first >> 8);
        p[39] = (byte) first;
        p[40] = 0x0d;
        p[41] = (byte) 0xb8;
        p[53] = 2;
        p[54] = (byte) (40000 >> 8);
        p[55] = (byte) 40000;
        p[57] = 53;
        p[59] = 18;
        return p;
    }

    /** Ethernet, IPv4 from {@code src} to 192.0.2.1, TCP from 40000 to 85 (SYN), 64 bytes. */
    static byte[] tcpPacket(int[] src) {
        byte[] p = new byte[64];
        p[0] = 2;
        p[6] = 2;
        p[11] = 1;
        p[12] = 0x08;
        p[14] = 0x45;
        p[16] = 0;
        p[17] = 50;
        p[22] = 64;
        p[23] = 6;
        for (int i = 0; i < 4; i++) {
            p[26 + i] = (byte) src[i];
        }
        p[30] = (byte) 192;
        p[32] = 2;
        p[33] = 1;
        p[34] = (byte) (40000 >> 8);
        p[35] = (byte) 40000;
        p[37] = 85;
        p[46] = 0x50;
        p[47] = 0x02;
        return p;
    }

    /** The clang-built object: {@code -Djbpf.dsl.object}, else native/build's, else compiled here from the source. */
    static byte[] cObject(String file, String property) {
        try {
            Path built = Path.of(System.getProperty(property, "native/build/" + file + ".bpf.o"));
            if (Files.exists(built)) {
                return Files.readAllBytes(built);
            }
            Path out = Files.createTempFile("jbpf-dsl-bench", ".o");
            String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
            Process p = new ProcessBuilder(List.of(System.getProperty("jbpf.clang", "clang-19"), "-O2", "-g", "-target",
                    "bpf", "-I/usr/include/" + arch + "-linux-gnu", "-c", "native/bench/" + file + ".bpf.c", "-o",
                    out.toString())).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("clang failed on native/bench/" + file + ".bpf.c: " + log);
            }
            byte[] bytes = Files.readAllBytes(out);
            Files.delete(out);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Setup
    public void setUp() {
        boolean v6 = shape.equals("ipv6_udp");
        String name = v6 ? "dsl_filter6" : "dsl_filter";
        if (filter.equals("noop")) {
            noop = Program.load(io.jbpf.core.prog.ProgramSpec.builder("dsl_noop", io.jbpf.core.prog.ProgramType.XDP)
                    .instructions(new io.jbpf.core.asm.Assembler().mov(io.jbpf.core.insn.Reg.R0, 2).exit().build())
                    .build());
            program = noop;
            instructions = 2;
        } else if (filter.equals("dsl")) {
            dsl = (v6 ? dslFilter6() : dslFilter()).load();
            program = dsl.program();
            instructions = dsl.spec().programSpec().instructionCount();
        } else {
            ObjectSpec spec = ObjectSpec.open(cObject(name, v6 ? "jbpf.dsl.object6" : "jbpf.dsl.object"));
            object = BpfObject.load(spec);
            program = object.program(name);
            instructions = spec.programs().get(name).instructionCount();
        }
        boolean match = packet.equals("match");
        byte[] frame = v6 ? udp6Packet(match ? 0x2001 : 0x3001)
                : tcpPacket(match ? new int[] {10, 1, 2, 3} : new int[] {11, 1, 2, 3});
        int expected = packet.equals("match") && !filter.equals("noop") ? 1 : 2;
        int got = program.testRun(TestRun.withData(frame)).returnValue();
        if (got != expected) {
            throw new IllegalStateException(filter + " returned " + got + " for the " + packet + " packet, not "
                    + expected);
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
            io.jbpf.core.prog.ProgramInfo info = program.info();
            System.out.printf("%nkernel's own duration per run (%s, %s, %s packet, %d instructions, %d xlated, %d"
                    + " jited bytes): %.2f ns over %d test runs of %d%n", filter, shape, packet, instructions,
                    info.translatedInstructions(), info.jitedBytes(), kernelNs / (double) runs, runs, REPEAT);
        }
        if (dsl != null) {
            dsl.close();
        }
        if (noop != null) {
            noop.close();
        }
        if (object != null) {
            object.close();
        }
    }
}
