package io.jbpf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.LlvmToolchain;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jbpf object and jbpf btf on objects clang builds from native/testdata/elf. */
@KernelTest
class ObjectCommandTest {
    static final Path ELF = Path.of("..", "native", "testdata", "elf").toAbsolutePath().normalize();
    static Path relocs;
    static Path bad;
    static Path features;

    @BeforeAll
    static void build(@TempDir Path dir) throws Exception {
        LlvmToolchain tools = LlvmToolchain.require();
        relocs = tools.compileBpf(ELF.resolve("relocs.bpf.c"), dir);
        bad = tools.compileBpf(ELF.resolve("bad_access.bpf.c"), dir);
        features = tools.compileBpf(ELF.resolve("features.bpf.c"), dir);
    }

    @Test
    void showsAnObjectWithoutLoadingIt() throws Exception {
        CliRun r = CliRun.of("object", "show", relocs.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("count_xdp  xdp (xdp)").contains("count_tc  sched_cls")
                .contains("counts  array  key 4B  value 8B  max_entries 4").contains(".rodata  array").contains("read-only data");
        JsonNode json = new ObjectMapper().readTree(CliRun.of("object", "show", relocs.toString(), "--json").out());
        assertThat(json.get("programs")).hasSize(2);
        assertThat(json.get("maps").findValuesAsText("name")).containsExactly("counts", ".data", ".rodata", ".bss");
    }

    @Test
    void loadsAnObjectAndReportsTheVerifiersSourceLine() throws Exception {
        JsonNode loaded = new ObjectMapper().readTree(CliRun.of("object", "load", relocs.toString(), "-j").out());
        assertThat(loaded.at("/programs/count_xdp").asInt()).isPositive();
        assertThat(loaded.at("/maps/counts").asInt()).isPositive();
        CliRun refused = CliRun.of("object", "load", bad.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("unchecked_read")
                .contains("(bad_access.bpf.c:10: return *(__u32 *)data == 0 ? XDP_PASS : XDP_DROP;)");
    }

    @Test
    void btfDumpPrintsWhatBpftoolPrints() throws Exception {
        String theirs = LlvmToolchain.run(List.of("bpftool", "btf", "dump", "file", relocs.toString(), "format", "raw"), null);
        CliRun ours = CliRun.of("btf", "dump", relocs.toString());
        assertThat(ours.exitCode()).as(ours.err()).isZero();
        assertThat(ours.out()).isEqualTo(theirs);
        String kernel = LlvmToolchain.run(List.of("bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format",
                "raw"), null);
        assertThat(CliRun.of("btf", "dump", "--kernel").out()).isEqualTo(kernel);
        CliRun bad = CliRun.of("btf", "dump", relocs.toString(), "--format", "json");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("--format json is unknown");
    }

    @Test
    void btfDumpFormatCPrintsAHeaderAsBpftoolDoes() throws Exception {
        // for this object to the byte; BtfCPrinterTest says where others differ
        String theirs = LlvmToolchain.run(List.of("bpftool", "btf", "dump", "file", features.toString(), "format", "c"),
                null);
        CliRun ours = CliRun.of("btf", "dump", features.toString(), "--format", "c");
        assertThat(ours.exitCode()).as(ours.err()).isZero();
        assertThat(ours.out()).isEqualTo(theirs).contains("struct xdp_md {");
        CliRun kernel = CliRun.of("btf", "dump", "--kernel", "--format", "c");
        assertThat(kernel.exitCode()).as(kernel.err()).isZero();
        assertThat(kernel.out()).startsWith("#ifndef __VMLINUX_H__").contains("struct task_struct {")
                .endsWith("#endif /* __VMLINUX_H__ */\n");
    }
}
