package io.jbpf.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.btf.Btf;
import io.jbpf.core.btf.BtfKind;
import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.LlvmToolchain;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CO-RE against the running kernel: native/testdata/elf/core.bpf.c reads task_struct through relocated offsets. */
@KernelTest
class CoreRelocationTest {
    static final Path SOURCE = Path.of("..", "native", "testdata", "elf", "core.bpf.c").toAbsolutePath().normalize();
    static ObjectSpec spec;

    @BeforeAll
    static void compile(@TempDir Path dir) throws Exception {
        LlvmToolchain tools = LlvmToolchain.require();
        // vmlinux.h of this kernel, as libbpf users make it
        String header = LlvmToolchain.run(List.of("bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c"),
                null);
        Files.writeString(dir.resolve("vmlinux.h"), header);
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86" : "arm64";
        spec = ObjectSpec.open(tools.compileBpf(SOURCE, dir, "-D__TARGET_ARCH_" + arch, "-I" + dir));
    }

    static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(v).array();
    }

    static long get(KernelMap m, int key) {
        byte[] v = new byte[8];
        assertThat(m.lookup(u32(key), v)).isTrue();
        return ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getLong();
    }

    /** The bit offset of member {@code name} of {@code type}, looked for through anonymous members; -1 if none. */
    static long bitOffset(Btf btf, io.jbpf.core.btf.BtfType type, String name) {
        for (io.jbpf.core.btf.BtfType.Member m : ((io.jbpf.core.btf.BtfType.Struct) type).members()) {
            if (m.name().equals(name)) {
                return m.bitOffset();
            }
            if (m.name().isEmpty() && btf.resolve(m.type()) instanceof io.jbpf.core.btf.BtfType.Struct inner) {
                long deeper = bitOffset(btf, inner, name);
                if (deeper >= 0) {
                    return m.bitOffset() + deeper;
                }
            }
        }
        return -1;
    }

    @Test
    void theReadOfAMissingFieldIsPoisoned() {
        assertThat(spec.programs().get("core_getpid").instructions())
                .filteredOn(i -> i instanceof io.jbpf.core.insn.CallHelper c && c.helperId() == 0xbad2310)
                .as("a call the verifier refuses where the missing field would be read").hasSize(1);
    }

    @Test
    void fieldOffsetsSizesAndExistenceComeFromTheKernel() {
        long pid = ProcessHandle.current().pid();
        try (BpfObject obj = BpfObject.load(spec)) {
            KernelMap seen = obj.map("seen");
            seen.update(u32(0), u64(pid), MapFlags.ANY);
            obj.attach("core_getpid");
            Sys.get().getpid();
            assertThat(get(seen, 1)).as("task->tgid").isEqualTo(pid);
            assertThat(get(seen, 2)).as("task->real_parent->tgid")
                    .isEqualTo(ProcessHandle.current().parent().orElseThrow().pid());
            assertThat(get(seen, 3)).as("a field no kernel has").isZero();
            Btf kernel = Btf.kernel().orElseThrow();
            assertThat(get(seen, 4)).as("sizeof(struct task_struct)")
                    .isEqualTo(kernel.sizeOf(kernel.find(BtfKind.STRUCT, "task_struct").orElseThrow().id()));
            assertThat(get(seen, 5)).as("task->pid exists").isEqualTo(1);
            assertThat(get(seen, 6)).as("the poisoned read never ran").isZero();
            assertThat(get(seen, 7)).as("offsetof(struct sock_common, skc_num), inside anonymous members")
                    .isEqualTo(bitOffset(kernel, kernel.find(BtfKind.STRUCT, "sock_common").orElseThrow(), "skc_num") / 8);
        }
    }
}
