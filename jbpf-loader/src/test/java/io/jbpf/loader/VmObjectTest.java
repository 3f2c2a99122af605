package io.jbpf.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.map.MemoryRingBuffer;
import io.jbpf.core.testing.LlvmToolchain;
import io.jbpf.core.vm.SkbContext;
import io.jbpf.core.vm.Vm;
import io.jbpf.core.vm.XdpContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Objects clang built from native/testdata/elf, run in the VM without a kernel. */
class VmObjectTest {
    static final Path ELF = Path.of("..", "native", "testdata", "elf").toAbsolutePath().normalize();
    static ObjectSpec relocs;
    static ObjectSpec features;

    @BeforeAll
    static void compile(@TempDir Path dir) throws Exception {
        LlvmToolchain tools = LlvmToolchain.require();
        relocs = ObjectSpec.open(tools.compileBpf(ELF.resolve("relocs.bpf.c"), dir));
        features = ObjectSpec.open(tools.compileBpf(ELF.resolve("features.bpf.c"), dir));
    }

    static long u64(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void globalDataAndSubprogramsRunInTheVm() {
        VmObject obj = relocs.toVm(Vm.create());
        assertThat(obj.maps()).containsKeys("counts", ".data", ".bss", ".rodata");
        assertThat(u64(obj.readVariable("packets"))).isEqualTo(1);
        assertThat(obj.readVariable("limit")).containsExactly(100, 0, 0, 0);
        for (int i = 0; i < 99; i++) {
            assertThat(obj.program("count_xdp").run(XdpContext.of(new byte[64])).verdict()).isEqualTo(2); // XDP_PASS
        }
        assertThat(obj.program("count_xdp").run(XdpContext.of(new byte[64])).verdict()).isEqualTo(1); // XDP_DROP
        assertThat(u64(obj.readVariable("packets"))).isEqualTo(101);
        assertThat(u64(obj.readVariable("dropped"))).isEqualTo(1);
        assertThat(obj.program("count_tc").run(SkbContext.tc(new byte[64])).verdict()).isZero();
        byte[] v = new byte[8];
        obj.map("counts").lookup(new byte[] {1, 0, 0, 0}, v);
        assertThat(u64(v)).isEqualTo(1);
        obj.map("counts").lookup(new byte[4], v);
        assertThat(u64(v)).isEqualTo(99);
    }

    @Test
    void readOnlyDataIsFrozenAndConfigurableBeforeLoad() {
        VmObject obj = relocs.toVm(Vm.create());
        assertThat(obj.map(".rodata").frozen()).isTrue();
        assertThatThrownBy(() -> obj.writeVariable("limit", new byte[] {1, 0, 0, 0}))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
        obj.writeVariable("packets", new byte[] {(byte) 200, 0, 0, 0, 0, 0, 0, 0});
        assertThat(obj.program("count_xdp").run(XdpContext.of(new byte[64])).verdict()).isEqualTo(1);

        VmObject low = relocs.withVariable("limit", new byte[] {1, 0, 0, 0}).toVm(Vm.create());
        assertThat(low.program("count_xdp").run(XdpContext.of(new byte[64])).verdict()).isEqualTo(1);
    }

    @Test
    void programArraysAreFilledFromTheObjectAndCallbacksRun() {
        VmObject obj = features.toVm(Vm.create());
        assertThat(obj.map("jumps").target(1)).isSameAs(obj.program("tail_target"));
        assertThat(obj.program("entry").run(XdpContext.of(new byte[64])).verdict()).isEqualTo(1); // tail_target's XDP_DROP
        MemoryMap events = obj.map("events");
        assertThat(events).isInstanceOf(MemoryRingBuffer.class);
        // bpf_loop summed the indices 0..9 into the record
        assertThat(((MemoryRingBuffer) events).drain()).singleElement().satisfies(r -> assertThat(u64(r)).isEqualTo(45));
    }

    @Test
    void unknownNamesAreReported() {
        VmObject obj = relocs.toVm(Vm.create());
        assertThatThrownBy(() -> obj.program("nope")).isInstanceOf(LoaderException.class).hasMessageContaining("count_xdp");
        assertThatThrownBy(() -> obj.map("nope")).isInstanceOf(LoaderException.class).hasMessageContaining(".rodata");
    }
}
