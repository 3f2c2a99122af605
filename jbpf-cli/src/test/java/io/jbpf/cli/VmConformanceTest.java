package io.jbpf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.vm.Engine;
import io.jbpf.core.vm.MemoryContext;
import io.jbpf.core.vm.Vm;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bpf_conformance suite (test resources {@code bpf_conformance/tests}, see its README) run
 * through the logic of {@code jbpf vm plugin} on every engine: r0 must be the file's result, or the
 * run must fail where the file expects an error. Exceptions are listed with the reason and
 * asserted, never skipped: {@link #KNOWN} (programs wrong by the ISA's rules, which must stop with
 * a memory fault) and {@link #SUITE_EXPECTS_WRONGLY} (files whose expected r0 contradicts RFC 9669,
 * which must give the ISA's r0; VmConformanceKernelTest shows the kernel gives the same). The JIT is
 * skipped (not failed) only while this build's {@link Engine#JIT} throws
 * UnsupportedOperationException.
 */
class VmConformanceTest {
    private static final Map<String, AtomicInteger> PASSED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> RUN = new ConcurrentHashMap<>();

    /**
     * Files whose program is wrong by the ISA's rules, with why; they must fail in the VM the way
     * the kernel would refuse them, and are counted apart.
     */
    static final Map<String, String> KNOWN = Map.of("call_local.data",
            "stdw [%r10-4] stores 8 bytes at r10-4..r10+3, past the top of the 512-byte stack: the VM stops with a "
                    + "memory fault, as the kernel's verifier refuses it (VMs with slack above the frame pass it)");

    private static String signExtended(String insn) {
        return insn + " compares a 64-bit register holding a zero-extended 32-bit value with an immediate of bit 31 "
                + "set, which RFC 9669 sign-extends to 64 bits: the jump to fail is taken and r0 is 0";
    }

    /**
     * Files whose expected result contradicts RFC 9669, with why: the VM gives the r0 the ISA gives
     * (0 for each of these), and VmConformanceKernelTest shows the kernel gives the same.
     */
    static final Map<String, String> SUITE_EXPECTS_WRONGLY = Map.of(
            "rfc9669/sec_4_1_mod64.data", "'jne %r5, 0x0000000100000000, fail': the immediate does not fit the 32-bit "
                    + "field, the suite's assembler keeps its low 32 bits (0), so r5 = 0x100000000 jumps to fail: r0 is 0",
            "rfc9669/sec_4_1_neg32.data", signExtended("'jne %r1, 0xffffffff, fail' after neg32"),
            "rfc9669/sec_4_1_smod32.data", signExtended("'jne %r1, 0xffffffff, fail' after smod32"),
            "rfc9669/sec_4_1_sub32.data", signExtended("'jne %r1, 0xffffffff, fail' after sub32"),
            "rfc9669/sec_4_1_xor32.data", signExtended("'jne %r1, 0xff0000ff, fail' after xor32"),
            "rfc9669/sec_5_3_lock_cmpxchg32.data", signExtended("'jne %r2, 0x9abcdef0, fail' after ldxw"),
            "rfc9669/sec_5_3_lock_xchg32.data", signExtended("'jne %r2, 0xaabbccdd, fail' after ldxw"));

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Engine e : Engine.values()) {
            for (ConformanceCase c : ConformanceCase.all()) {
                out.add(Arguments.of(e, c));
            }
        }
        return out.stream();
    }

    private static final Map<Engine, Boolean> AVAILABLE = new ConcurrentHashMap<>();

    static boolean available(Engine e) {
        return AVAILABLE.computeIfAbsent(e, VmConformanceTest::probe);
    }

    private static boolean probe(Engine e) {
        try {
            Vm.builder().engine(e).build().load("probe", HexFormat.of().parseHex("b7000000000000009500000000000000"),
                    List.of());
            return true;
        } catch (UnsupportedOperationException x) {
            return false;
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void conformanceProgramGivesTheExpectedResult(Engine engine, ConformanceCase c) {
        Assumptions.assumeTrue(available(engine), engine + " throws UnsupportedOperationException in this build");
        RUN.computeIfAbsent(engine.name(), k -> new AtomicInteger()).incrementAndGet();
        if (KNOWN.containsKey(c.name())) {
            assertThatThrownBy(() -> run(engine, c)).as(KNOWN.get(c.name()))
                    .isInstanceOf(io.jbpf.core.vm.MemoryFaultException.class);
            return;
        }
        if (SUITE_EXPECTS_WRONGLY.containsKey(c.name())) {
            assertThat(c.result()).as("%s expects a nonzero r0", c.name()).isNotNull().isNotZero();
            assertThat(run(engine, c)).as(SUITE_EXPECTS_WRONGLY.get(c.name())).isZero();
            return;
        }
        if (c.expectsError()) {
            assertThatThrownBy(() -> run(engine, c)).as("%s expects an error (%s)", c.name(), c.error())
                    .isInstanceOf(RuntimeException.class);
        } else {
            assertThat(c.result()).as("%s has a result", c.name()).isNotNull();
            long r0 = run(engine, c);
            assertThat(Long.toHexString(r0)).as(c.name()).isEqualTo(Long.toHexString(c.result()));
        }
        PASSED.computeIfAbsent(engine.name(), k -> new AtomicInteger()).incrementAndGet();
    }

    /** Through the plugin's own code path; programs with maps (not expressible in the plugin protocol) load them in-process. */
    static long run(Engine engine, ConformanceCase c) {
        byte[] code = c.code();
        if (c.maps().isEmpty()) {
            return VmCommand.runPlugin(engine, HexFormat.of().formatHex(code), c.memory());
        }
        return VmCommand.conformanceVm(engine).build().load(c.name(), code, c.memoryMaps()).run(new MemoryContext(c.memory()))
                .returnValue();
    }

    @AfterAll
    static void report() {
        int total = ConformanceCase.all().size();
        RUN.forEach((engine, n) -> System.out.printf(
                "bpf_conformance on %s: %d of %d files give the file's result; %d known-wrong program(s) fail as the "
                        + "kernel would; %d file(s) expect a result RFC 9669 does not give, and get the ISA's%n", engine,
                PASSED.getOrDefault(engine, new AtomicInteger()).get(), total, KNOWN.size(), SUITE_EXPECTS_WRONGLY.size()));
    }

    /**
     * The real command in a JVM of its own, as a conformance runner drives it: a program over memory,
     * and a failing one (the parameterized test runs every file through the same code in-process).
     */
    @Test
    void pluginAsASubprocess() throws Exception {
        ConformanceCase be16 = byName("be16-high.data");
        assertThat(subprocess(HexFormat.of().formatHex(be16.code()), "11 22 33 44 55 66 77 88"))
                .isEqualTo("0x1122\n");
        assertThat(subprocess("7910000000000000 9500000000000000")).startsWith("exit 1: error: ");
    }

    static ConformanceCase byName(String name) {
        return ConformanceCase.all().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    static String subprocess(String program, String... memory) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "io.jbpf.cli.Main", "vm",
                "plugin"));
        cmd.addAll(List.of(memory));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().write((program + "\n").getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = out.toString(StandardCharsets.US_ASCII);
        return p.exitValue() == 0 ? text : "exit " + p.exitValue() + ": " + text;
    }
}
