package io.jbpf.maps;

import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R10;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.JbpfException;
import io.jbpf.core.ObjectClosedException;
import io.jbpf.core.asm.Assembler;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Size;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.testing.KernelTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A memory-mapped array shares its memory with programs: no syscall to read what they wrote. */
@KernelTest
class MappedArrayTest {

    static MapSpec spec() {
        return MapSpec.of("jbpf_t_mmap", MapType.ARRAY, 4, 12, 4).withFlags(MapFlags.MMAPABLE);
    }

    /** Adds one to the first u64 of element 2. */
    static ProgramSpec bumpElement2() {
        return ProgramSpec.builder("jbpf_mmap_bump", ProgramType.XDP).instructions(new Assembler()
                .store(Size.W, R10, -4, 2).mov(R2, R10).add(R2, -4).ldMap(R1, "arr")
                .call(Helper.ofName("map_lookup_elem")).jeq(R0, 0, "out")
                .mov(R1, 1).atomicAdd(Size.DW, R0, 0, R1)
                .label("out").mov(R0, 2).exit().build()).build();
    }

    @Test
    void programsAndJavaShareTheMemory() {
        try (KernelMap map = KernelMap.create(spec());
                Program p = Program.load(bumpElement2(), Map.of("arr", map));
                MappedArray mem = MappedArray.of(map)) {
            assertThat(mem.stride()).isEqualTo(16);
            p.testRun(TestRun.withData(new byte[64]).repeat(5));
            assertThat(mem.getLong(2, 0)).isEqualTo(5);
            assertThat(mem.addAndGetLong(2, 0, 10)).isEqualTo(15);
            mem.putInt(1, 8, 99);
            byte[] v = new byte[12];
            assertThat(map.lookup(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(1).array(), v)).isTrue();
            assertThat(ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getInt(8)).isEqualTo(99);
            p.testRun(TestRun.withData(new byte[64]));
            assertThat(mem.getLong(2, 0)).isEqualTo(16);
            assertThatThrownBy(() -> mem.getLong(4, 0)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> mem.getLong(0, 8)).as("8 + 8 > 12 value bytes")
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void closedMappingsAndUnmappableMapsAreRefused() {
        try (KernelMap map = KernelMap.create(spec());
                KernelMap plain = KernelMap.create(MapSpec.of("jbpf_t_plain", MapType.ARRAY, 4, 8, 1))) {
            MappedArray mem = MappedArray.of(map);
            mem.close();
            mem.close();
            assertThatThrownBy(() -> mem.getLong(0, 0)).isInstanceOf(ObjectClosedException.class);
            assertThatThrownBy(() -> MappedArray.of(plain)).isInstanceOf(JbpfException.class)
                    .hasMessageContaining("MMAPABLE");
        }
    }
}
