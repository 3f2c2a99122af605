package io.jbpf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.VerifierException;
import io.jbpf.core.insn.InsnCodec;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.vm.Engine;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every program of the bpf_conformance suite (test resources {@code bpf_conformance/tests}) run
 * through BPF_PROG_TEST_RUN and on both VM engines. The programs are loaded as syscall programs
 * (sleepable, {@code BPF_PROG_TYPE_SYSCALL}): the test run hands such a program a copy of the
 * context it is given as r1, so r1 points at the file's memory as in the suite. The kernel reports
 * the low 32 bits of r0, which must equal the VM's on every engine.
 *
 * <p>Where the kernel and the suite cannot meet, the file is listed in {@link #REFUSED} with the
 * reason and the words of the verifier log that say it, and the test asserts that refusal: nothing
 * is skipped. Programs the VM itself stops (files that expect an error, {@link VmConformanceTest#KNOWN})
 * must be refused by the kernel too.
 */
@KernelTest
class VmConformanceKernelTest {
    private static final int BPF_F_SLEEPABLE = 1 << 4;

    /** What the verifier says about a file it refuses, and why that is expected. */
    record Refusal(String logSays, String why) {
    }

    private static Refusal shift(String why) {
        return new Refusal("invalid shift", "a shift by an immediate outside 0..width-1 (" + why
                + "): the ISA masks the count, the kernel's verifier refuses the instruction");
    }

    private static Refusal ctxAlign() {
        return new Refusal("invalid bpf_context access", "loads or stores the memory at an offset that is not a "
                + "multiple of the access size: the kernel lets a syscall program touch its context only aligned");
    }

    /**
     * Files the kernel's verifier refuses although the suite expects them to run, with the reason.
     * Each must be refused, with the quoted words in the verifier log.
     */
    static final Map<String, Refusal> REFUSED = new TreeMap<>(Map.ofEntries(
            Map.entry("arsh32-imm-high.data", shift("arsh32 by 48")),
            Map.entry("arsh32-imm-neg.data", shift("arsh32 by -16")),
            Map.entry("arsh64-imm-high.data", shift("arsh by 124")),
            Map.entry("arsh64-imm-neg.data", shift("arsh by -4")),
            Map.entry("lsh32-imm-high.data", shift("lsh32 by 60")),
            Map.entry("lsh32-imm-neg.data", shift("lsh32 by -4")),
            Map.entry("lsh64-imm-high.data", shift("lsh by 68")),
            Map.entry("lsh64-imm-neg.data", shift("lsh by -60")),
            Map.entry("rsh32-imm-high.data", shift("rsh32 by 36")),
            Map.entry("rsh32-imm-neg.data", shift("rsh32 by -24")),
            Map.entry("rsh64-imm-high.data", shift("rsh by 68")),
            Map.entry("rsh64-imm-neg.data", shift("rsh by -60")),
            Map.entry("rfc9669/sec_4_1_lsh32.data", shift("lsh32 by 40")),
            Map.entry("rfc9669/sec_4_1_rsh32.data", shift("rsh32 by 40")),
            Map.entry("rfc9669/sec_4_1_rsh64.data", shift("rsh by 127")),
            Map.entry("rfc9669/sec_4_3_exit.data", new Refusal("unreachable insn",
                    "instructions after the first exit are never reached; the verifier refuses dead code")),
            Map.entry("rfc9669/sec_4_3_ja.data", new Refusal("unreachable insn",
                    "the instructions the ja jumps over are never reached; the verifier refuses dead code")),
            Map.entry("sdiv64-by-zero-imm.data", new Refusal("div by zero",
                    "sdiv by the immediate 0: the ISA gives 0, the verifier refuses a constant zero divisor")),
            Map.entry("callx.data", new Refusal("unknown opcode 8d",
                    "callx (0x8d) is not an instruction the kernel accepts in a program; the VM runs it for the plugin "
                            + "protocol, with helper 5 as the suite's 'unwind'")),
            Map.entry("ldxdw.data", ctxAlign()),
            Map.entry("ldxw.data", ctxAlign()),
            Map.entry("stdw.data", ctxAlign()),
            Map.entry("stw.data", ctxAlign()),
            Map.entry("stxdw.data", ctxAlign()),
            Map.entry("stxw.data", ctxAlign()),
            Map.entry("subnet.data", new Refusal("dereference of modified ctx ptr", "adds the header length to r1 "
                    + "and loads through it: the kernel lets a program read its context only at constant offsets from r1")),
            Map.entry("mem-len.data", new Refusal("R2 !read_ok",
                    "reads r2, the memory's length in the suite's calling convention; the kernel passes only r1")),
            Map.entry("call_local.data", new Refusal("misaligned stack access", "stdw [%r10-4] is an 8-byte store at r10-4, "
                    + "misaligned and reaching 4 bytes past the top of the stack "
                    + "(the VM stops with a memory fault, VmConformanceTest.KNOWN)")),
            Map.entry("call_runtime.data", new Refusal("kernel btf_id", "calls kernel function 0x2a (src 2), which the "
                    + "file expects to fail; the VM stops with an unknown-helper error, the kernel knows no such function"))));

    @Test
    void everyFileAgreesWithTheKernelOrIsRefusedForItsListedReason() {
        List<String> agree = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (ConformanceCase c : ConformanceCase.all()) {
            String outcome = compare(c);
            if (outcome == null) {
                if (!REFUSED.containsKey(c.name())) {
                    agree.add(c.name());
                }
            } else {
                problems.add(c.name() + ": " + outcome);
            }
        }
        System.out.printf("bpf_conformance against the kernel: %d of %d files give the same r0 on the interpreter, the JIT "
                + "and BPF_PROG_TEST_RUN; %d refused by the verifier as listed%n", agree.size(),
                ConformanceCase.all().size(), REFUSED.size());
        assertThat(problems).as("files where the VM and the kernel differ other than as listed").isEmpty();
        assertThat(agree.size() + REFUSED.size()).isEqualTo(ConformanceCase.all().size());
    }

    /** Null when the file behaves as expected against the kernel, else what went wrong. */
    private static String compare(ConformanceCase c) {
        byte[] code = c.code();
        List<KernelMap> maps = new ArrayList<>();
        try {
            for (MapSpec m : c.maps().values()) {
                maps.add(KernelMap.create(m));
            }
            byte[] kernelCode = withMapFds(code, maps);
            ProgramSpec spec = ProgramSpec.builder("conformance", ProgramType.SYSCALL).flags(BPF_F_SLEEPABLE)
                    .instructions(InsnCodec.decodeRaw(kernelCode, ByteOrder.LITTLE_ENDIAN)).build();
            Refusal refusal = REFUSED.get(c.name());
            int kernel;
            try (Program p = Program.load(spec)) {
                kernel = p.testRun(TestRun.withContext(c.memory().clone())).returnValue();
            } catch (VerifierException e) {
                if (refusal == null) {
                    return "refused by the verifier, not listed: " + e.getMessage();
                }
                return e.log().contains(refusal.logSays()) ? null
                        : "refused, but the log does not say '" + refusal.logSays() + "': " + e.getMessage();
            }
            if (refusal != null) {
                return "listed as refused (" + refusal.why() + ") but the kernel ran it, r0 = 0x"
                        + Integer.toHexString(kernel);
            }
            for (Engine e : Engine.values()) {
                if (!VmConformanceTest.available(e)) {
                    continue;
                }
                long vm = VmConformanceTest.run(e, c);
                if ((int) vm != kernel) {
                    return e + " r0 0x" + Long.toHexString(vm) + ", kernel 0x" + Integer.toHexString(kernel);
                }
            }
            return null;
        } catch (RuntimeException e) {
            return "failed: " + e;
        } finally {
            maps.forEach(KernelMap::close);
        }
    }

    /** The suite's {@code map_by_fd(name)} gives the map's index; the kernel wants its fd in the immediate. */
    private static byte[] withMapFds(byte[] code, List<KernelMap> maps) {
        byte[] out = code.clone();
        for (int at = 0; at + 16 <= out.length; at += 8) {
            if ((out[at] & 0xff) == 0x18 && (out[at + 1] >> 4 & 0xf) == 1) {
                int index = out[at + 4] & 0xff | (out[at + 5] & 0xff) << 8 | (out[at + 6] & 0xff) << 16 | out[at + 7] << 24;
                int fd = maps.get(index).fd();
                for (int b = 0; b < 4; b++) {
                    out[at + 4 + b] = (byte) (fd >> (8 * b));
                }
                at += 8;
            }
        }
        return out;
    }
}
