package io.jbpf.core.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jbpf.core.asm.AsmParser;
import io.jbpf.core.asm.Disassembler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tracing hook ({@link Tracer}), helpers that stop a run ({@link HelperContext#stop}) and callx. */
class VmTracerAndStopTest {

    /** Helper 5 as ISA conformance runners define it: returns r1, and stops the program with 0 when r1 is 0. */
    static final HelperFunction UNWIND = (c, r1, r2, r3, r4, r5) -> {
        if (r1 == 0) {
            c.stop(0);
        }
        return r1;
    };

    record Step(int index, String insn, long[] before, long[] after) {}

    @Test
    void tracerSeesEveryInstructionWithRegistersBeforeAndAfter() {
        List<Step> steps = new ArrayList<>();
        Vm vm = Vm.builder()
                .tracer((at, insn, before, after) -> steps.add(new Step(at, Disassembler.create().format(insn), before, after)))
                .build();
        RunResult r = vm.load("t", AsmParser.parse("""
                r0 = 0x100000000 ll
                r1 = 3
                call f
                r0 += 1
                exit
                f:
                r0 = r1
                exit
                """), Map.of()).run(new MemoryContext(new byte[0]));
        assertThat(r.returnValue()).isEqualTo(4);
        assertThat(steps).extracting(Step::index).containsExactly(0, 2, 3, 6, 7, 4, 5);
        assertThat(steps.get(0).insn()).isEqualTo("r0 = 0x100000000 ll");
        assertThat(steps.get(0).before()[0]).isZero();
        assertThat(steps.get(0).after()[0]).isEqualTo(0x100000000L);
        assertThat(steps.get(1).after()[1]).isEqualTo(3);
        // the local call moves r10 to the callee's frame, its exit moves it back
        assertThat(steps.get(2).after()[10]).isEqualTo(steps.get(2).before()[10] - 512);
        assertThat(steps.get(4).after()[10]).isEqualTo(steps.get(4).before()[10] + 512);
        assertThat(steps.get(6).insn()).isEqualTo("exit");
        assertThat(steps.get(6).after()[0]).isEqualTo(4);
        assertThat(steps.size()).isEqualTo(r.instructions());
    }

    @Test
    void withoutTracerNothingIsReportedAndResultsAreTheSame() {
        String asm = "r0 = 7\nr0 *= 6\nexit";
        long traced = Vm.builder().tracer((a, b, c, d) -> {}).build().load("t", AsmParser.parse(asm), Map.of())
                .run(new MemoryContext(new byte[0])).returnValue();
        long plain = Vm.create().load("t", AsmParser.parse(asm), Map.of()).run(new MemoryContext(new byte[0]))
                .returnValue();
        assertThat(traced).isEqualTo(plain).isEqualTo(42);
    }

    @Test
    void aTracedProgramSaysItIsInterpretedEvenInAJitVm() {
        Vm jit = Vm.builder().engine(Engine.JIT).tracer((a, b, c, d) -> {}).build();
        assertThat(jit.load("t", AsmParser.parse("r0 = 1\nexit"), Map.of()).engine()).isEqualTo(Engine.INTERPRETER);
        assertThat(Vm.builder().engine(Engine.JIT).build().load("t", AsmParser.parse("r0 = 1\nexit"), Map.of()).engine())
                .isEqualTo(Engine.JIT);
    }

    @Test
    void aHelperStopsTheRunFromANestedFrame() {
        Vm vm = Vm.builder().helper(5, UNWIND).build();
        String asm = """
                r6 = 9
                call f
                r0 = 1
                exit
                f:
                r1 = 0
                call 5
                r0 = 2
                exit
                """;
        RunResult r = vm.load("t", AsmParser.parse(asm), Map.of()).run(new MemoryContext(new byte[0]));
        assertThat(r.returnValue()).isZero();
        assertThat(r.instructions()).isEqualTo(4);
    }

    @Test
    void aHelperThatDoesNotStopReturnsItsValue() {
        Vm vm = Vm.builder().helper(5, UNWIND).build();
        RunResult r = vm.load("t", AsmParser.parse("r1 = -1\ncall 5\nexit"), Map.of())
                .run(new MemoryContext(new byte[0]));
        assertThat(r.returnValue()).isEqualTo(-1);
    }

    @Test
    void callxCallsTheHelperWhoseIdIsInTheDestinationRegister() {
        Vm vm = Vm.builder().helper(5, UNWIND).build();
        // callx r2, encoded as bpf_conformance encodes it: opcode 0x8d, register in dst
        RunResult r = vm.load("t", AsmParser.parse("r1 = 7\nr2 = 5\n.raw 0x8d, 2, 0, 0, 0\nexit"), Map.of())
                .run(new MemoryContext(new byte[0]));
        assertThat(r.returnValue()).isEqualTo(7);
    }

    @Test
    void callxOfAnIdBeyondTheIntRangeIsAMissingHelper() {
        Vm vm = Vm.builder().helper(5, UNWIND).build();
        MissingHelperException e = catchThrowableOfType(MissingHelperException.class,
                () -> vm.load("t", AsmParser.parse("r2 = 0x100000005 ll\n.raw 0x8d, 2, 0, 0, 0\nexit"), Map.of())
                        .run(new MemoryContext(new byte[0])));
        assertThat(e.insnIndex()).isEqualTo(2);
    }
}
