package io.jbpf.core.prog;

import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R10;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.asm.AsmParser;
import io.jbpf.core.asm.Assembler;
import io.jbpf.core.asm.Disassembler;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Size;
import io.jbpf.core.insn.UnresolvedMapException;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.testing.KernelTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Programs from the fluent assembler and from text, with map references resolved at load. */
@KernelTest
class AssembledProgramTest {

    /** Counts runs in element 0 of array map "counter", returns XDP_PASS. */
    static ProgramSpec counter() {
        return ProgramSpec.builder("jbpf_counter", ProgramType.XDP).instructions(new Assembler()
                .store(Size.W, R10, -4, 0)
                .mov(R2, R10)
                .add(R2, -4)
                .ldMap(R1, "counter")
                .call(Helper.ofName("map_lookup_elem"))
                .jeq(R0, 0, "out")
                .mov(R1, 1)
                .atomicAdd(Size.DW, R0, 0, R1)
                .label("out")
                .mov(R0, 2)
                .exit()
                .build()).build();
    }

    static long readCounter(KernelMap map) {
        byte[] v = new byte[8];
        assertThat(map.lookup(new byte[4], v)).isTrue();
        return ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getLong();
    }

    @Test
    void anAssembledProgramUpdatesItsMap() {
        try (KernelMap map = KernelMap.create(MapSpec.of("counter", MapType.ARRAY, 4, 8, 1));
                Program p = Program.load(counter(), Map.of("counter", map))) {
            assertThat(p.testRun(TestRun.withData(new byte[64]).repeat(5)).returnValue()).isEqualTo(2);
            assertThat(readCounter(map)).isEqualTo(5);
            assertThat(p.info().mapIds()).containsExactly(map.id());
        }
    }

    @Test
    void theTextSyntaxLoadsToo() {
        String text = """
                ; count, then pass
                *(u32 *)(r10 - 4) = 0
                r2 = r10
                r2 += -4
                r1 = map[counter] ll
                call bpf_map_lookup_elem
                if r0 == 0 goto out
                r1 = 1
                lock *(u64 *)(r0 + 0) += r1
                out:
                r0 = 2
                exit
                """;
        ProgramSpec spec = ProgramSpec.builder("jbpf_text", ProgramType.XDP).instructions(AsmParser.parse(text)).build();
        assertThat(spec.instructions()).isEqualTo(counter().instructions());
        try (KernelMap map = KernelMap.create(MapSpec.of("counter", MapType.ARRAY, 4, 8, 1));
                Program p = Program.load(spec, Map.of("counter", map))) {
            p.testRun(TestRun.withData(new byte[64]).repeat(3));
            assertThat(readCounter(map)).isEqualTo(3);
        }
    }

    @Test
    void aMissingMapIsNamed() {
        assertThatThrownBy(() -> Program.load(counter()))
                .isInstanceOfSatisfying(UnresolvedMapException.class,
                        e -> assertThat(e.mapNames()).containsExactly("counter"))
                .hasMessageContaining("counter");
        assertThatThrownBy(() -> Program.load(counter(), Map.of()))
                .isInstanceOf(UnresolvedMapException.class);
    }

    @Test
    void theKernelsTranslationDisassemblesWithMapIds() {
        try (KernelMap map = KernelMap.create(MapSpec.of("counter", MapType.ARRAY, 4, 8, 1));
                Program p = Program.load(counter(), Map.of("counter", map))) {
            String text = Disassembler.create().disassemble(
                    io.jbpf.core.insn.InsnCodec.decode(p.translatedCode(), ByteOrder.nativeOrder()));
            assertThat(text).contains("map[fd:" + map.id() + "]");
        }
    }
}
