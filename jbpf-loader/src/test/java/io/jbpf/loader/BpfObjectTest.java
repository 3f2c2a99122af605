package io.jbpf.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapType;
import io.jbpf.core.prog.AttachType;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.LlvmToolchain;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An object clang built from native/testdata/elf/relocs.bpf.c, opened as specs and loaded into the kernel. */
@KernelTest
class BpfObjectTest {
    static final Path SOURCE = Path.of("..", "native", "testdata", "elf", "relocs.bpf.c").toAbsolutePath().normalize();
    static ObjectSpec spec;
    static ObjectSpec badSpec;
    static ObjectSpec attachSpec;
    static ObjectSpec legacySpec;
    static ObjectSpec featuresSpec;
    static ObjectSpec externsSpec;
    static ObjectSpec mapInMapSpec;
    static ObjectSpec kprobeSpec;

    @BeforeAll
    static void compile(@TempDir Path dir) throws Exception {
        LlvmToolchain tools = LlvmToolchain.require();
        spec = ObjectSpec.open(build(tools, SOURCE, dir));
        badSpec = ObjectSpec.open(build(tools, SOURCE.resolveSibling("bad_access.bpf.c"), dir));
        attachSpec = ObjectSpec.open(build(tools, SOURCE.resolveSibling("attach.bpf.c"), dir));
        legacySpec = ObjectSpec.open(build(tools, SOURCE.resolveSibling("legacy_maps.bpf.c"), dir));
        featuresSpec = ObjectSpec.open(build(tools, SOURCE.resolveSibling("features.bpf.c"), dir));
        externsSpec = ObjectSpec.open(build(tools, SOURCE.resolveSibling("externs.bpf.c"), dir));
        mapInMapSpec = ObjectSpec.open(build(tools, SOURCE.resolveSibling("map_in_map.bpf.c"), dir));
        kprobeSpec = ObjectSpec.open(build(tools, SOURCE.resolveSibling("kprobe.bpf.c"), dir));
    }

    static Path build(LlvmToolchain tools, Path source, Path dir) throws Exception {
        if (!java.nio.file.Files.readString(source).contains("\"vmlinux.h\"")) {
            return tools.compileBpf(source, dir);
        }
        // CO-RE sources include a vmlinux.h made from the running kernel, as native/Makefile makes it
        Path header = dir.resolve("vmlinux.h");
        if (!java.nio.file.Files.exists(header)) {
            java.nio.file.Files.writeString(header, LlvmToolchain.run(java.util.List.of("bpftool", "btf", "dump", "file",
                    "/sys/kernel/btf/vmlinux", "format", "c"), null));
        }
        return tools.compileBpf(source, dir, "-D__TARGET_ARCH_x86", "-I" + dir);
    }

    @Test
    void programsAndMapsCarryTheirBtfIntoTheKernel() {
        assertThat(spec.programs().get("count_xdp").btf()).isPresent();
        try (BpfObject obj = BpfObject.load(spec)) {
            assertThat(obj.program("count_xdp").info().btfId()).isPositive();
            io.jbpf.core.map.MapInfo counts = obj.map("counts").info();
            assertThat(counts.btfId()).isPositive();
            io.jbpf.core.btf.Btf btf = obj.map("counts").btf().orElseThrow();
            assertThat(btf.type(counts.btfKeyTypeId()).name()).isEqualTo("__u32");
            assertThat(btf.type(counts.btfValueTypeId()).name()).isEqualTo("__u64");
            io.jbpf.core.map.MapInfo data = obj.map(".data").info();
            assertThat(obj.map(".data").btf().orElseThrow().type(data.btfValueTypeId()))
                    .isInstanceOfSatisfying(io.jbpf.core.btf.BtfType.Datasec.class, d -> {
                        assertThat(d.name()).isEqualTo(".data");
                        assertThat(d.size()).as("fixed up from 0").isEqualTo(8);
                    });
        }
    }

    @Test
    void aRejectedProgramNamesItsSourceFileAndLine() {
        assertThatThrownBy(() -> BpfObject.load(badSpec))
                .isInstanceOfSatisfying(io.jbpf.core.VerifierException.class, e -> {
                    assertThat(e.log()).contains("return *(__u32 *)data == 0 ? XDP_PASS : XDP_DROP; @ bad_access.bpf.c:10");
                    assertThat(e.getMessage()).contains("unchecked_read").contains("invalid access to packet");
                });
    }

    static long u64(KernelMap m, int key) {
        byte[] v = new byte[m.valueBufferSize()];
        assertThat(m.lookup(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(key).array(), v)).isTrue();
        return ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getLong();
    }

    @Test
    void theSpecDescribesProgramsMapsAndGlobals() {
        assertThat(spec.programs()).containsOnlyKeys("count_xdp", "count_tc");
        assertThat(spec.programs().get("count_xdp").type()).isEqualTo(ProgramType.XDP);
        assertThat(spec.programs().get("count_xdp").expectedAttachType()).contains(AttachType.XDP);
        assertThat(spec.programs().get("count_tc").type()).isEqualTo(ProgramType.SCHED_CLS);
        assertThat(spec.programs().get("count_xdp").mapReferences()).extracting(r -> r.mapName())
                .contains(".data", ".rodata", ".bss", "counts");
        assertThat(spec.maps()).containsOnlyKeys("counts", ".data", ".rodata", ".bss");
        assertThat(spec.maps().get("counts").type()).isEqualTo(MapType.ARRAY);
        assertThat(spec.maps().get("counts").keySize()).isEqualTo(4);
        assertThat(spec.maps().get("counts").valueSize()).isEqualTo(8);
        assertThat(spec.maps().get("counts").maxEntries()).isEqualTo(4);
        assertThat(spec.initialValue(".data")).get().isEqualTo(new byte[] {1, 0, 0, 0, 0, 0, 0, 0});
        assertThat(spec.readOnly(".rodata")).isTrue();
        assertThat(spec.btf()).isPresent();
    }

    @Test
    void loadedProgramsRunWithTheirMapsGlobalsAndSubprograms() {
        try (BpfObject obj = BpfObject.load(spec)) {
            for (int i = 0; i < 3; i++) {
                assertThat(obj.program("count_xdp").testRun(TestRun.withData(new byte[64])).returnValue())
                        .as("XDP_PASS").isEqualTo(2);
            }
            assertThat(u64(obj.map(".data"), 0)).as("packets, from 1").isEqualTo(4);
            assertThat(u64(obj.map("counts"), 0)).as("bump(0) in .text").isEqualTo(3);
            assertThat(obj.program("count_tc").testRun(TestRun.withData(new byte[64])).returnValue()).isZero();
            assertThat(u64(obj.map("counts"), 1)).isEqualTo(1);
            assertThat(u64(obj.map(".bss"), 0)).as("dropped").isZero();
            assertThatThrownBy(() -> obj.map(".rodata").update(new byte[4], new byte[4], MapFlags.ANY))
                    .as("read-only data is frozen")
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
            assertThatThrownBy(() -> obj.program("nope")).isInstanceOf(LoaderException.class)
                    .hasMessageContaining("count_xdp");
        }
    }

    @Test
    void autoAttachesByTheSectionAndSharesMapsPinnedByName() throws Exception {
        io.jbpf.core.internal.sys.Bpffs.ensureMounted();
        Path root = Path.of("/sys/fs/bpf", "jbpf-objtest-" + ProcessHandle.current().pid());
        java.nio.file.Files.createDirectories(root);
        try {
            assertThat(attachSpec.pinnedByName("getpid_calls")).isTrue();
            assertThat(attachSpec.section("count_getpid")).isEqualTo("tracepoint/syscalls/sys_enter_getpid");
            int mapId;
            try (BpfObject first = BpfObject.load(attachSpec, root)) {
                mapId = first.map("getpid_calls").id();
                assertThat(root.resolve("getpid_calls")).exists();
                first.attach("count_getpid");
                long before = u64(first.map("getpid_calls"), 0);
                for (int i = 0; i < 5; i++) {
                    io.jbpf.core.internal.sys.Sys.get().getpid();
                }
                assertThat(u64(first.map("getpid_calls"), 0) - before).isGreaterThanOrEqualTo(5);
                try (BpfObject second = BpfObject.load(attachSpec, root)) {
                    assertThat(second.map("getpid_calls").id()).as("the pinned map is shared").isEqualTo(mapId);
                }
            }
            try (BpfObject third = BpfObject.load(attachSpec, root)) {
                assertThat(third.map("getpid_calls").id()).as("the pin outlives the objects").isEqualTo(mapId);
            }
            try (BpfObject obj = BpfObject.load(spec)) {
                assertThatThrownBy(() -> obj.attach("count_xdp")).isInstanceOf(LoaderException.class)
                        .hasMessageContaining("XdpLink");
            }
        } finally {
            java.nio.file.Files.deleteIfExists(root.resolve("getpid_calls"));
            java.nio.file.Files.deleteIfExists(root);
        }
    }

    /**
     * A kprobe reading task_struct through CO-RE loads everywhere; it attaches and runs where the
     * kernel has kprobes (this test is then a named feature skip where it has not).
     */
    @Test
    void aKprobeWithCoreReadsTheCallersTgid() {
        assertThat(kprobeSpec.section("on_getpid")).isEqualTo("kprobe/__x64_sys_getpid");
        try (BpfObject obj = BpfObject.load(kprobeSpec)) {
            assertThat(obj.program("on_getpid").info().type()).isEqualTo(io.jbpf.core.prog.ProgramType.KPROBE);
            obj.attach("on_getpid");
            long before = u64(obj.map("calls"), 1);
            for (int i = 0; i < 3; i++) {
                io.jbpf.core.internal.sys.Sys.get().getpid();
            }
            assertThat(u64(obj.map("calls"), 1) - before).isGreaterThanOrEqualTo(3);
            assertThat(u64(obj.map("calls"), 0)).isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void constantsAreSetBeforeLoadAndVariablesReadAfter() {
        assertThat(spec.variables()).containsKeys("packets", "dropped", "limit");
        assertThat(spec.variable("limit")).isEqualTo(new Variable("limit", ".rodata", 0, 4));
        ObjectSpec strict = spec.withVariable("limit", new byte[] {2, 0, 0, 0});
        try (BpfObject obj = BpfObject.load(strict)) {
            int[] verdicts = new int[3];
            for (int i = 0; i < 3; i++) {
                verdicts[i] = obj.program("count_xdp").testRun(TestRun.withData(new byte[64])).returnValue();
            }
            assertThat(verdicts).as("pass, then drop once packets > limit 2").containsExactly(2, 1, 1);
            assertThat(ByteBuffer.wrap(obj.readVariable("dropped")).order(ByteOrder.nativeOrder()).getLong()).isEqualTo(2);
            obj.writeVariable("packets", new byte[8]);
            assertThat(obj.program("count_xdp").testRun(TestRun.withData(new byte[64])).returnValue()).isEqualTo(2);
            assertThatThrownBy(() -> obj.writeVariable("limit", new byte[4]))
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
        }
        assertThatThrownBy(() -> spec.withVariable("limit", new byte[8])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 bytes");
        assertThatThrownBy(() -> spec.variable("nope")).isInstanceOf(LoaderException.class).hasMessageContaining("packets");
    }

    @Test
    void callbacksRingBuffersAndTailCallsFromTheObjectsOwnProgramArray() {
        assertThat(featuresSpec.initialSlots()).containsEntry("jumps", java.util.Map.of(1, "tail_target"));
        try (BpfObject obj = BpfObject.load(featuresSpec)) {
            java.util.List<Long> records = new java.util.ArrayList<>();
            try (io.jbpf.maps.ringbuf.RingBufferReader events = io.jbpf.maps.ringbuf.RingBufferReader.open(obj.map("events"))) {
                int verdict = obj.program("entry").testRun(TestRun.withData(new byte[64])).returnValue();
                assertThat(verdict).as("the tail call ran tail_target: XDP_DROP").isEqualTo(1);
                events.drain((buffer, offset, length) -> records.add(buffer.getLong(offset)));
            }
            assertThat(records).as("bpf_loop summed 0..9 in the callback").containsExactly(45L);
        }
    }

    @Test
    void externsComeFromTheRunningKernel() throws Exception {
        String[] v = System.getProperty("os.version").split("[^0-9]+");
        long version = (Long.parseLong(v[0]) << 16) + (Long.parseLong(v[1]) << 8) + Math.min(255, Long.parseLong(v[2]));
        long address = 0;
        for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/kallsyms"))) {
            String[] f = line.split("\\s+");
            if (f[2].equals("bpf_prog_put")) {
                address = Long.parseUnsignedLong(f[0], 16);
                break;
            }
        }
        try (BpfObject obj = BpfObject.load(externsSpec)) {
            obj.program("read_externs").testRun(TestRun.withData(new byte[64]));
            KernelMap out = obj.map("out");
            assertThat(u64(out, 0)).as("LINUX_KERNEL_VERSION").isEqualTo(version);
            assertThat(u64(out, 1)).as("CONFIG_BPF_SYSCALL=y").isEqualTo(1);
            assertThat(u64(out, 2)).as("a weak option the kernel lacks").isZero();
            assertThat(u64(out, 3)).as("&bpf_prog_put").isEqualTo(address).isNotZero();
            assertThatThrownBy(() -> obj.map(".kconfig").update(new byte[4], new byte[obj.map(".kconfig").valueBufferSize()],
                    MapFlags.ANY)).isInstanceOf(BpfException.class);
        }
    }

    @Test
    void mapsOfMapsGetTheirInnerTemplateAndInitialSlotsFromTheObject() {
        io.jbpf.core.map.MapSpec outer = mapInMapSpec.maps().get("outer");
        assertThat(outer.type()).isEqualTo(MapType.ARRAY_OF_MAPS);
        assertThat(outer.valueSize()).isEqualTo(4);
        assertThat(outer.innerMap()).isEqualTo(io.jbpf.core.map.MapSpec.of("outer.inner", MapType.ARRAY, 4, 8, 4));
        assertThat(mapInMapSpec.maps().get("by_id").innerMap())
                .isEqualTo(io.jbpf.core.map.MapSpec.of("by_id.inner", MapType.HASH, 4, 4, 16));
        assertThat(mapInMapSpec.initialSlots()).containsEntry("outer", java.util.Map.of(0, "inner_a", 2, "inner_b"));

        try (BpfObject obj = BpfObject.load(mapInMapSpec)) {
            KernelMap om = obj.map("outer");
            byte[] id = new byte[4];
            assertThat(om.lookup(key(0), id)).isTrue();
            assertThat(ByteBuffer.wrap(id).order(ByteOrder.nativeOrder()).getInt()).isEqualTo(obj.map("inner_a").id());
            assertThat(om.lookup(key(1), id)).as("slot 1 is not in .values").isFalse();
            assertThat(om.lookup(key(2), id)).isTrue();
            assertThat(ByteBuffer.wrap(id).order(ByteOrder.nativeOrder()).getInt()).isEqualTo(obj.map("inner_b").id());

            byte[] packet = new byte[64];
            packet[0] = 7;
            packet[1] = 3;
            for (int i = 0; i < 3; i++) {
                assertThat(obj.program("through_outer").testRun(TestRun.withData(packet)).returnValue()).isEqualTo(2);
            }
            assertThat(u64(obj.map("inner_b"), 1)).as("updated through outer[2]").isEqualTo(21);
            assertThat(u64(obj.map("inner_a"), 0)).as("by_id starts empty: every lookup missed").isEqualTo(3);
            assertThat(u64(obj.map("inner_a"), 1)).isZero();
        }
    }

    static byte[] key(int k) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(k).array();
    }

    @Test
    void legacyMapDefinitionsWorkToo() {
        assertThat(legacySpec.maps().get("legacy_counts")).satisfies(m -> {
            assertThat(m.type()).isEqualTo(MapType.ARRAY);
            assertThat(m.keySize()).isEqualTo(4);
            assertThat(m.valueSize()).isEqualTo(8);
            assertThat(m.maxEntries()).isEqualTo(2);
        });
        try (BpfObject obj = BpfObject.load(legacySpec)) {
            obj.program("legacy_xdp").testRun(TestRun.withData(new byte[64]).repeat(3));
            assertThat(u64(obj.map("legacy_counts"), 1)).isEqualTo(3);
        }
    }

    @Test
    void unknownSectionsAreNamed() {
        assertThatThrownBy(() -> ProgramSection.of("frobnicate/this")).isInstanceOf(LoaderException.class)
                .hasMessageContaining("'frobnicate/this'");
        assertThat(ProgramSection.of("kprobe/do_sys_open").target()).isEqualTo("do_sys_open");
        assertThat(ProgramSection.of("cgroup/connect4").attachType()).contains(AttachType.CGROUP_INET4_CONNECT);
    }
}
