package io.jbpf.core.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jbpf.core.asm.AsmParser;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A program's runs reuse one machine per thread; nothing one run leaves behind is seen by the next. */
class VmReuseTest {

    @ParameterizedTest
    @EnumSource(Engine.class)
    void stackOfEveryFrameStartsZeroed(Engine engine) {
        String prog = String.join("\n",
                "r0 = *(u64 *)(r10 - 8)",
                "r1 = -1",
                "*(u64 *)(r10 - 8) = r1",
                "call sub",
                "exit",
                "sub:",
                "r2 = *(u64 *)(r10 - 512)",
                "r0 |= r2",
                "r1 = -1",
                "*(u64 *)(r10 - 512) = r1",
                "exit");
        VmProgram p = Vm.builder().engine(engine).build().load("p", AsmParser.parse(prog), Map.of());
        for (int i = 0; i < 3; i++) {
            assertThat(p.run(new MemoryContext(new byte[0])).returnValue()).as("run %d", i).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void headroomAndGrownTailStartZeroed(Engine engine) {
        String prog = String.join("\n",
                "r6 = r1",
                "r2 = -16", "call bpf_xdp_adjust_head",
                "r1 = r6", "r2 = 16", "call bpf_xdp_adjust_tail",
                "r2 = *(u32 *)(r6 + 0)", "r3 = *(u32 *)(r6 + 4)",
                "r4 = r2", "r4 += 16", "if r4 > r3 goto out",
                "r0 = *(u64 *)(r2 + 0)",
                "r5 = *(u64 *)(r2 + 8)", "r0 |= r5",
                "r5 = r3", "r5 += -8", "r1 = *(u64 *)(r5 + 0)", "r0 |= r1",
                "r1 = -1",
                "*(u64 *)(r2 + 0) = r1", "*(u64 *)(r5 + 0) = r1",
                "exit",
                "out:", "r0 = 99", "exit");
        VmProgram p = Vm.builder().engine(engine).build().load("p", AsmParser.parse(prog), Map.of());
        for (int i = 0; i < 3; i++) {
            assertThat(p.run(XdpContext.of(new byte[60])).returnValue()).as("run %d", i).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void stackBelowTheCurrentFrameIsOutOfBounds(Engine engine) {
        VmProgram p = Vm.builder().engine(engine).build()
                .load("p", AsmParser.parse("r0 = *(u64 *)(r10 - 520)\nexit"), Map.of());
        MemoryFaultException e = catchThrowableOfType(MemoryFaultException.class, () -> p.run(new MemoryContext(new byte[0])));
        assertThat(e).hasMessageContaining("stack");
        assertThat(e.insnIndex()).isZero();
    }
}
