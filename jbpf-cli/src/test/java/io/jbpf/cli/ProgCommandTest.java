package io.jbpf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.testing.KernelTest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

@KernelTest
class ProgCommandTest {
    static final byte[] RETURN_2 = HexFormat.of().parseHex("b700000002000000" + "9500000000000000");

    @Test
    void showsAndListsALoadedProgram() throws Exception {
        try (Program p = Program.load(ProgramSpec.builder("jbpf_cli_show", ProgramType.XDP).code(RETURN_2).build())) {
            CliRun show = CliRun.of("prog", "show", String.valueOf(p.id()));
            assertThat(show.exitCode()).as(show.err()).isZero();
            assertThat(show.out()).startsWith(p.id() + ": xdp  name jbpf_cli_show  tag " + p.info().tag() + "  gpl")
                    .contains("xlated 16B");

            CliRun json = CliRun.of("prog", "show", String.valueOf(p.id()), "--json");
            JsonNode node = new ObjectMapper().readTree(json.out());
            assertThat(node.get("id").asInt()).isEqualTo(p.id());
            assertThat(node.get("name").asText()).isEqualTo("jbpf_cli_show");
            assertThat(node.get("bytes_xlated").asInt()).isEqualTo(16);

            CliRun list = CliRun.of("prog", "list", "-j");
            assertThat(list.exitCode()).isZero();
            JsonNode all = new ObjectMapper().readTree(list.out());
            assertThat(all.isArray()).isTrue();
            assertThat(all.findValues("name").stream().map(JsonNode::asText)).contains("jbpf_cli_show");
        }
    }

    @Test
    void dumpsTheTranslatedInstructions() throws Exception {
        try (Program p = Program.load(ProgramSpec.builder("jbpf_cli_dump", ProgramType.XDP).code(RETURN_2).build())) {
            CliRun dump = CliRun.of("prog", "dump", String.valueOf(p.id()));
            assertThat(dump.exitCode()).as(dump.err()).isZero();
            assertThat(dump.out()).isEqualTo("   0: r0 = 0x2\n   1: exit\n");
            JsonNode json = new ObjectMapper().readTree(CliRun.of("prog", "dump", String.valueOf(p.id()), "-j").out());
            assertThat(json.get(0).get("disasm").asText()).isEqualTo("r0 = 0x2");
            assertThat(json.get(0).at("/opcodes/code").asText()).isEqualTo("0xb7");
        }
    }

    @Test
    void anUnknownIdIsAnErrorWithAMessage() {
        CliRun r = CliRun.of("prog", "show", "2147483647");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("program id 2147483647").contains("ENOENT");
    }
}
