package io.jbpf.core.dsl.cbpf;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.insn.Insn;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.vm.Context;
import io.jbpf.core.vm.Engine;
import io.jbpf.core.vm.SkbContext;
import io.jbpf.core.vm.Vm;
import io.jbpf.core.vm.VmProgram;
import io.jbpf.core.vm.XdpContext;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * tcpdump's classic programs for 60 expressions, converted both ways (LD_ABS as a SOCKET_FILTER
 * and as SCHED_CLS; direct packet access as XDP and SCHED_CLS): every one passes the verifier, and
 * over a corpus of built, truncated, mutated and random frames the kernel (BPF_PROG_TEST_RUN) and
 * the VM (interpreter and JIT) give what the classic interpreter says.
 */
@KernelTest
class CbpfConverterKernelTest {
    static final List<byte[]> FRAMES = Frames.corpus(0xcbf, 240);
    static final CbpfInterpreter K = CbpfInterpreter.kernel();

    static List<TcpdumpCorpus.Entry> corpus() {
        return TcpdumpCorpus.entries();
    }

    /** One converted program, how to build its VM context, and what it must return for a frame. */
    record Case(String what, ProgramType type, List<Insn> insns, Function<byte[], Context> vmContext,
            Function<byte[], Integer> expected) {
    }

    /**
     * The kernel's skb test run refuses (EINVAL) an IPv4 frame without a whole 20-byte IP header and
     * an IPv6 frame without a whole 40-byte one; those frames still run in the VM and as XDP.
     */
    static boolean skbTestRunAccepts(byte[] f) {
        int type = (f[12] & 0xff) << 8 | (f[13] & 0xff);
        return !(type == 0x0800 && f.length < 14 + 20) && !(type == 0x86dd && f.length < 14 + 40);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void kernelVmAndInterpreterAgree(TcpdumpCorpus.Entry e) {
        CbpfProgram p = TcpdumpCorpus.program(e);
        int[] matches = new int[1];
        List<String> wrong = disagreements(p, FRAMES, null, matches);
        assertThat(wrong).as("%s\n%s", e, p).isEmpty();
        // the corpus is meant to exercise both outcomes of most filters
        if (!e.expr().equals("mpls") && !e.expr().equals("pppoes")) {
            assertThat(matches[0]).as("frames matching %s", e).isPositive();
        }
    }

    /**
     * Converts {@code p} four ways (LD_ABS as SOCKET_FILTER and SCHED_CLS, direct as XDP and
     * SCHED_CLS), loads each in the kernel (the verifier must accept it) and in the VM, runs every
     * frame, and returns where any disagrees with the classic interpreter. With {@code metadata}
     * (for ancillary loads) only the SCHED_CLS cases run, on frames with an Ethernet II type.
     */
    static List<String> disagreements(CbpfProgram p, List<byte[]> frames,
            Function<byte[], CbpfPacket.Metadata> metadata, int[] matches) {
        Function<byte[], Integer> full = f -> K.run(p, metadata == null ? CbpfPacket.ethernet(f)
                : CbpfPacket.ethernet(f).withMetadata(metadata.apply(f)));
        // a socket filter's test run sees the packet from the network header, the MAC header before it
        Function<byte[], Integer> l3 = f -> K.run(p, new CbpfPacket(f, 14, f.length - 14, 0, 14, null));
        List<Case> cases = new ArrayList<>();
        if (metadata == null) {
            cases.add(new Case("LD_ABS socket filter", ProgramType.SOCKET_FILTER, CbpfConverter.socketFilter(p),
                    SkbContext::socketFilter, l3));
        }
        cases.add(new Case("LD_ABS tc", ProgramType.SCHED_CLS, CbpfConverter.socketFilter(p), SkbContext::tc, full));
        if (metadata == null) {
            cases.add(new Case("direct xdp", ProgramType.XDP, CbpfConverter.xdp(p), XdpContext::of,
                    f -> full.apply(f) != 0 ? CbpfConverter.XDP_PASS : CbpfConverter.XDP_DROP));
        }
        cases.add(new Case("direct tc", ProgramType.SCHED_CLS, CbpfConverter.tc(p), SkbContext::tc,
                f -> full.apply(f) != 0 ? CbpfConverter.TC_ACT_OK : CbpfConverter.TC_ACT_SHOT));
        List<String> wrong = new ArrayList<>();
        for (Case c : cases) {
            ProgramSpec spec = ProgramSpec.builder("jbpf_cbpf", c.type()).instructions(c.insns()).license("GPL").build();
            List<VmProgram> vms = new ArrayList<>();
            for (Engine engine : List.of(Engine.INTERPRETER, Engine.JIT)) {
                vms.add(Vm.builder().engine(engine).build().load("cbpf", c.insns(), Map.of()));
            }
            try (Program prog = Program.load(spec)) { // the verifier must accept it
                for (byte[] f : frames) {
                    int want = c.expected().apply(f);
                    boolean kernelRuns = c.type() == ProgramType.XDP || skbTestRunAccepts(f);
                    int kernel = kernelRuns ? prog.testRun(TestRun.withData(f)).returnValue() : want;
                    if (kernel != want) {
                        wrong.add(c.what() + " kernel " + kernel + " != " + want + " for " + HexFormat.of().formatHex(f));
                    }
                    for (VmProgram vm : vms) {
                        int got = (int) vm.run(c.vmContext().apply(f)).returnValue();
                        if (got != want) {
                            wrong.add(c.what() + " " + vm.engine() + " " + got + " != " + want + " for "
                                    + HexFormat.of().formatHex(f));
                        }
                    }
                    if (c.type() == ProgramType.XDP && want == CbpfConverter.XDP_PASS) {
                        matches[0]++;
                    }
                }
            }
        }
        return wrong;
    }
}
