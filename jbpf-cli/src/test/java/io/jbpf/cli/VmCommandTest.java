package io.jbpf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmCommandTest {
    @TempDir
    Path dir;

    @Test
    void runsHexOverMemory() {
        // r0 = *(u8 *)(r1 + 1); exit
        CliRun r = CliRun.of("vm", "run", "--hex", "7110010000000000 9500000000000000", "--mem", "11 22 33");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("r0 = 0x22 (34)\n");
    }

    @Test
    void runsAssemblyTextAndRawBytesFiles() throws Exception {
        Path asm = dir.resolve("p.s");
        Files.writeString(asm, "r0 = r2\nr0 += 40\nexit\n");
        CliRun r = CliRun.of("vm", "run", asm.toString(), "--mem", "0102");
        assertThat(r.out()).isEqualTo("r0 = 0x2a (42)\n");
        Path raw = dir.resolve("p.bin");
        Files.write(raw, Hex.parse("b700000007000000 9500000000000000"));
        assertThat(CliRun.of("vm", "run", raw.toString()).out()).isEqualTo("r0 = 0x7 (7)\n");
    }

    @Test
    void traceShowsEveryInstructionWithTheRegistersItChanged() {
        CliRun r = CliRun.of("vm", "run", "--hex", "b700000005000000 0700000002000000 9500000000000000", "--trace");
        assertThat(r.out()).isEqualTo("""
                    0: r0 = 0x5                             ; r0 = 0x5
                    1: r0 += 0x2                            ; r0 = 0x7
                    2: exit
                3 instructions
                r0 = 0x7 (7)
                """);
    }

    @Test
    void aFaultIsOneLineAndExitCodeOne() {
        // r0 = *(u64 *)(r1 + 0) with no memory
        CliRun r = CliRun.of("vm", "run", "--hex", "7910000000000000 9500000000000000");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("jbpf: ").contains("instruction 0");
    }

    @Test
    void jitEngineEitherRunsOrSaysItIsUnavailable() {
        CliRun r = CliRun.of("vm", "run", "--hex", "b700000007000000 9500000000000000", "--engine", "jit");
        if (r.exitCode() == 0) {
            assertThat(r.out()).isEqualTo("r0 = 0x7 (7)\n");
        } else {
            assertThat(r.err()).contains("jit engine is not available");
        }
    }

    @Test
    void pluginReadsTheProgramFromStdinAndPrintsR0InHex() {
        // r0 = r2 (the memory's length); r0 <<= 4; exit
        assertThat(plugin("bf20000000000000 6700000004000000 9500000000000000\n", "00 01", "02"))
                .isEqualTo(new CliRun(0, "0x30\n", ""));
        // unwind: helper 5 with r1 = 0 stops the program with r0 = 0
        assertThat(plugin("b700000009000000 b701000000000000 8500000005000000 b700000001000000 9500000000000000\n")
                .out()).isEqualTo("0x0\n");
    }

    @Test
    void pluginFailuresAreOneLineAndNonZero() {
        CliRun bad = plugin("7910000000000000 9500000000000000\n");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.out()).startsWith("error: ").doesNotContain("\n\n").endsWith("\n");
        assertThat(bad.out().strip().lines().count()).isEqualTo(1);
        assertThat(plugin("").exitCode()).isEqualTo(1);
        assertThat(plugin("b70000000\n").exitCode()).isEqualTo(1);
    }

    static synchronized CliRun plugin(String stdin, String... args) {
        InputStream old = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.US_ASCII)));
        try {
            String[] all = new String[args.length + 2];
            all[0] = "vm";
            all[1] = "plugin";
            System.arraycopy(args, 0, all, 2, args.length);
            return CliRun.of(all);
        } finally {
            System.setIn(old);
        }
    }
}
