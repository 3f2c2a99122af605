package io.jbpf.core.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.VerifierException;
import io.jbpf.core.asm.Disassembler;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.prog.TestRunResult;
import io.jbpf.core.testing.KernelTest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The VM and the kernel run the same random programs (through BPF_PROG_TEST_RUN) and must end
 * with the same registers, stack and return value.
 */
@KernelTest
class VmKernelDifferentialTest {
    private static final MapSpec OUT = MapSpec.of(RandomPrograms.MAP, MapType.ARRAY, 4, RandomPrograms.VALUE_SIZE, 1);

    @Test
    void randomProgramsEndWithTheSameRegistersInBothEngines() {
        long base = Long.getLong("jbpf.seed", 20261126L);
        int programs = 300;
        int verified = 0;
        for (int i = 0; i < programs; i++) {
            long seed = base + i;
            List<Insn> insns = new RandomPrograms(seed).program(40);
            ProgramSpec spec = ProgramSpec.builder("jbpf_rand", ProgramType.SCHED_CLS).instructions(insns).build();
            byte[] kernelValue = new byte[RandomPrograms.VALUE_SIZE];
            TestRunResult k;
            try (KernelMap map = KernelMap.create(OUT); Program p = Program.load(spec, Map.of(RandomPrograms.MAP, map))) {
                k = p.testRun(TestRun.withData(new byte[64]));
                assertThat(map.lookup(new byte[4], kernelValue)).isTrue();
            } catch (VerifierException e) {
                throw new AssertionError("seed " + seed + ": the generator made a program the verifier refuses:\n"
                        + e.getMessage() + "\n" + Disassembler.create().withSlotNumbers(true).disassemble(insns), e);
            }
            verified++;
            for (Engine engine : engines()) {
                MemoryMap mem = MemoryMap.create(OUT);
                RunResult r = Vm.builder().engine(engine).build().load("rand", insns, Map.of(RandomPrograms.MAP, mem))
                        .run(SkbContext.tc(new byte[64]));
                byte[] vmValue = new byte[RandomPrograms.VALUE_SIZE];
                assertThat(mem.lookup(new byte[4], vmValue)).isTrue();
                assertThat(HexFormat.of().formatHex(vmValue))
                        .as("seed %d on %s: registers r0..r9 then the stack slots\n%s", seed, engine,
                                Disassembler.create().withSlotNumbers(true).disassemble(insns))
                        .isEqualTo(HexFormat.of().formatHex(kernelValue));
                assertThat(r.verdict()).as("seed %d on %s: r0", seed, engine).isEqualTo(k.returnValue());
            }
        }
        assertThat(verified).isEqualTo(programs);
    }

    static List<Engine> engines() {
        return List.of(Engine.INTERPRETER, Engine.JIT);
    }
}
