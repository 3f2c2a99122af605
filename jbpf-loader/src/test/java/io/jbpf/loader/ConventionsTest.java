package io.jbpf.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.prog.AttachType;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.LlvmToolchain;
import io.jbpf.loader.internal.MapNames;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conventions of objects that others build, found in the BCC libbpf-tools ({@link ForeignObjectsTest}),
 * on native/testdata/elf/conventions.bpf.c: names longer than the kernel's 15 characters, and
 * libbpf's bare program sections ({@code SEC("kprobe")}, {@code SEC("usdt")}), perf event arrays
 * sized by the machine, libbpf's own kconfig values.
 */
@KernelTest
class ConventionsTest {
    static final Path SOURCE = BpfObjectTest.SOURCE.resolveSibling("conventions.bpf.c");

    @Test
    void bareSectionsAreTheirProgramTypeWithoutTarget() {
        assertThat(ProgramSection.of("kprobe")).isEqualTo(new ProgramSection(ProgramType.KPROBE, java.util.Optional.empty(), ""));
        assertThat(ProgramSection.of("kretprobe").type()).isEqualTo(ProgramType.KPROBE);
        assertThat(ProgramSection.of("usdt").type()).isEqualTo(ProgramType.KPROBE);
        assertThat(ProgramSection.of("ksyscall/openat").target()).isEqualTo("openat");
        assertThat(ProgramSection.of("tracepoint").type()).isEqualTo(ProgramType.TRACEPOINT);
        assertThat(ProgramSection.of("tp_btf").attachType()).contains(AttachType.TRACE_RAW_TP);
        assertThat(ProgramSection.of("fentry").attachType()).contains(AttachType.TRACE_FENTRY);
        assertThat(ProgramSection.of("kprobe/do_sys_open").target()).isEqualTo("do_sys_open");
        assertThat(ProgramSection.of("kprobe.multi/vfs_*").attachType()).contains(AttachType.TRACE_KPROBE_MULTI);
        assertThat(ProgramSection.of("tp/syscalls/sys_enter_read").target()).isEqualTo("syscalls/sys_enter_read");
        // libbpf's "kprobe+" is "kprobe" or "kprobe/...", not any name that starts so
        assertThatThrownBy(() -> ProgramSection.of("kprobex")).isInstanceOf(LoaderException.class);
        assertThatThrownBy(() -> ProgramSection.of("tpx/a/b")).isInstanceOf(LoaderException.class);
    }

    @Test
    void libbpfsOwnKconfigValuesAreWhatThisKernelCanDo(@TempDir Path dir) throws Exception {
        ObjectSpec spec = ObjectSpec.open(LlvmToolchain.require().compileBpf(SOURCE, dir));
        byte[] kconfig = spec.initialValue(".kconfig").orElseThrow();
        // what /proc/kallsyms says: the helper bpf_get_attach_cookie (5.15), syscall wrappers (4.17)
        java.util.List<String> kallsyms = java.nio.file.Files.readAllLines(Path.of("/proc/kallsyms"));
        boolean cookie = kallsyms.stream().anyMatch(l -> l.contains(" bpf_get_attach_cookie"));
        String wrapper = " " + io.jbpf.loader.internal.Externs.syscallPrefix() + "bpf";
        boolean wrappers = kallsyms.stream().anyMatch(l -> l.endsWith(wrapper) || l.contains(wrapper + "\t"));
        assertThat(kconfig[0]).isEqualTo((byte) (cookie ? 1 : 0));
        assertThat(kconfig[1]).isEqualTo((byte) (wrappers ? 1 : 0));
        try (BpfObject obj = BpfObject.load(spec)) {
            assertThat(obj.programs()).containsKey("bare_usdt");
        }
    }

    @Test
    void tracingProgramsAttachToWhatTheKernelsBtfHas(@TempDir Path dir) throws Exception {
        io.jbpf.core.btf.Btf kernel = io.jbpf.core.btf.Btf.kernel().orElseThrow();
        io.jbpf.core.prog.ProgramSpec fentry = io.jbpf.core.prog.ProgramSpec.builder("f", ProgramType.TRACING)
                .code(java.util.HexFormat.of().parseHex("b7000000000000009500000000000000")) // r0 = 0; exit
                .expectedAttachType(AttachType.TRACE_FENTRY).build();
        assertThat(BpfObject.withAttachTarget("f", "fentry/bpf_prog_put", fentry).attachBtfId())
                .isEqualTo(kernel.find(io.jbpf.core.btf.BtfKind.FUNC, "bpf_prog_put").orElseThrow().id());
        assertThatThrownBy(() -> BpfObject.withAttachTarget("f", "fentry/jbpf_no_such_function", fentry))
                .isInstanceOf(LoaderException.class).hasMessageContaining("FUNC 'jbpf_no_such_function'");
        assertThatThrownBy(() -> BpfObject.withAttachTarget("f", "fentry", fentry))
                .isInstanceOf(LoaderException.class).hasMessageContaining("names no kernel function");
    }

    @Test
    void kernelNamesAreCutAndSanitizedAsLibbpfDoes() {
        assertThat(MapNames.kernelName("counts")).isEqualTo("counts");
        assertThat(MapNames.kernelName("ksnoop_func_stack")).isEqualTo("ksnoop_func_sta");
        assertThat(MapNames.kernelName("__bpf_usdt_specs")).isEqualTo("__bpf_usdt_spec");
        assertThat(MapNames.kernelName(".data.a_long_section_name")).isEqualTo(".data.a_long_se");
        assertThat(MapNames.kernelName(".rodata-x")).isEqualTo(".rodata_x");
    }

    @Test
    void longNamesKeepTheirFullNameInTheObjectAndTheKernelsNameInTheKernel(@TempDir Path dir) throws Exception {
        ObjectSpec spec = ObjectSpec.open(LlvmToolchain.require().compileBpf(SOURCE, dir));
        assertThat(spec.maps()).containsKeys("a_map_with_a_long_name", ".data.a_long_section_name");
        assertThat(spec.maps().get("a_map_with_a_long_name").name()).isEqualTo("a_map_with_a_lo");
        assertThat(spec.maps().get(".data.a_long_section_name").name()).isEqualTo(".data.a_long_se");
        assertThat(spec.programs()).containsOnlyKeys("bare_kprobe", "bare_usdt", "bare_tracepoint", "btf_tracepoint");
        assertThat(spec.programs().get("bare_usdt").type()).isEqualTo(ProgramType.KPROBE);
        assertThat(spec.section("bare_kprobe")).isEqualTo("kprobe");
        assertThat(spec.maps().get("events").maxEntries()).isZero(); // until loaded on a machine

        try (BpfObject obj = BpfObject.load(spec)) {
            assertThat(obj.map("a_map_with_a_long_name").info().spec().name()).isEqualTo("a_map_with_a_lo");
            assertThat(obj.map(".data.a_long_section_name").info().spec().name()).isEqualTo(".data.a_long_se");
            assertThat(ByteBuffer.wrap(obj.readVariable("long_named_data")).order(ByteOrder.nativeOrder()).getLong())
                    .isEqualTo(7);
            assertThat(obj.program("bare_kprobe").info().mapIds())
                    .contains(obj.map("a_map_with_a_long_name").info().id());
            assertThat(obj.map("events").info().spec().maxEntries()).isEqualTo(io.jbpf.core.internal.sys.Cpus.possible());
            io.jbpf.core.btf.Btf kernel = io.jbpf.core.btf.Btf.kernel().orElseThrow();
            assertThat(obj.program("btf_tracepoint").info().type()).isEqualTo(ProgramType.TRACING);
            assertThat(BpfObject.withAttachTarget("btf_tracepoint", "tp_btf/sched_switch",
                    spec.programs().get("btf_tracepoint")).attachBtfId())
                    .isEqualTo(kernel.find(io.jbpf.core.btf.BtfKind.TYPEDEF, "btf_trace_sched_switch").orElseThrow().id());
            // the tool chooses the target at run time: there is nothing to attach to by name
            assertThatThrownBy(() -> obj.attach("bare_kprobe")).isInstanceOf(LoaderException.class)
                    .hasMessageContaining("names no target");
        }
    }
}
