package io.jbpf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsmCommandTest {

    @Test
    void assemblesTextToBytesInEitherByteOrder(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("prog.s");
        Files.writeString(src, "r0 = *(u32 *)(r1 + 4)\nif r0 > 0x5 goto +1\nr0 = 2\nexit\n");
        CliRun le = CliRun.of("asm", "--raw", src.toString());
        assertThat(le.exitCode()).as(le.err()).isZero();
        assertThat(le.out().strip()).isEqualTo("6110040000000000" + "2500010005000000" + "b700000002000000"
                + "9500000000000000");
        CliRun be = CliRun.of("asm", "--raw", "--big-endian", src.toString());
        assertThat(be.out().strip()).startsWith("6101000400000000");

        CliRun json = CliRun.of("asm", "--json", src.toString());
        JsonNode insns = new ObjectMapper().readTree(json.out());
        assertThat(insns).hasSize(4);
        assertThat(insns.get(1).get("disasm").asText()).isEqualTo("if r0 > 0x5 goto +0x1");
    }

    @Test
    void disassemblesHexAndRoundTrips(@TempDir Path dir) throws Exception {
        CliRun r = CliRun.of("disasm", "--no-slots", "61 10 04 00 00 00 00 00", "85 00 00 00 01 00 00 00",
                "95 00 00 00 00 00 00 00");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("w0 = *(u32 *)(r1 + 0x4)\ncall bpf_map_lookup_elem\nexit\n");
        Path src = dir.resolve("back.s");
        Files.writeString(src, r.out());
        assertThat(CliRun.of("asm", "--raw", src.toString()).out().strip())
                .isEqualTo("611004000000000085000000010000009500000000000000");
    }

    @Test
    void badInputSaysWhatAndWhere(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("bad.s");
        Files.writeString(src, "r0 = 1\nr0 += r11\n");
        CliRun r = CliRun.of("asm", src.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("jbpf: ").contains("line 2");

        CliRun odd = CliRun.of("disasm", "b70");
        assertThat(odd.exitCode()).isEqualTo(1);
        assertThat(odd.err()).contains("odd number of digits");

        CliRun truncated = CliRun.of("disasm", "18 01 00 00 00 00 00 00");
        assertThat(truncated.exitCode()).isEqualTo(1);
        assertThat(truncated.err()).contains("instruction 0");

        CliRun noArgs = CliRun.of("asm");
        assertThat(noArgs.exitCode()).isEqualTo(2);
        assertThat(noArgs.err()).contains("Missing required parameter").contains("FILE");

        CliRun tooMany = CliRun.of("prog", "show", "1", "2");
        assertThat(tooMany.exitCode()).isEqualTo(2);
        assertThat(tooMany.err()).contains("Unmatched argument");

        CliRun missing = CliRun.of("asm", dir.resolve("nope.s").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("cannot read");
    }
}
