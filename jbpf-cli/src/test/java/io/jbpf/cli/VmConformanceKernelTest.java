package io.jbpf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.VerifierException;
import io.jbpf.core.insn.InsnCodec;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.vm.Engine;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The conformance programs the kernel's verifier accepts, run through BPF_PROG_TEST_RUN as
 * socket-buffer programs and in the VM: both must give the same r0 (its low 32 bits, all the test
 * run reports). Programs that read memory are not compared (the kernel gives r1 the __sk_buff, the
 * VM the raw memory), nor those using maps or expecting an error; the verifier refuses many others
 * (stack reads of unwritten slots, unbounded loops, ...), which is fine: they are counted.
 */
@KernelTest
class VmConformanceKernelTest {

    @Test
    void vmAgreesWithTheKernelOnEveryProgramTheVerifierAccepts() {
        int compared = 0;
        int refused = 0;
        int skipped = 0;
        List<String> refusedNames = new ArrayList<>();
        for (ConformanceCase c : ConformanceCase.all()) {
            if (c.memory().length > 0 || !c.maps().isEmpty() || c.expectsError()
                    || VmConformanceTest.KNOWN.containsKey(c.name())) {
                skipped++;
                continue;
            }
            byte[] code = c.code();
            ProgramSpec spec = ProgramSpec.builder("conformance", ProgramType.SCHED_CLS)
                    .instructions(InsnCodec.decode(code, ByteOrder.LITTLE_ENDIAN)).build();
            int kernel;
            try (Program p = Program.load(spec)) {
                kernel = p.testRun(TestRun.withData(new byte[64])).returnValue();
            } catch (VerifierException e) {
                refused++;
                refusedNames.add(c.name());
                continue;
            }
            long vm = VmCommand.runPlugin(Engine.INTERPRETER, HexFormat.of().formatHex(code), new byte[0]);
            assertThat((int) vm).as("%s: VM r0 0x%x, kernel 0x%x", c.name(), vm, kernel).isEqualTo(kernel);
            compared++;
        }
        System.out.printf("bpf_conformance against the kernel: %d agree, %d refused by the verifier %s, "
                + "%d not comparable (memory, maps or expected errors)%n", compared, refused, refusedNames, skipped);
        assertThat(compared).isPositive();
    }
}
