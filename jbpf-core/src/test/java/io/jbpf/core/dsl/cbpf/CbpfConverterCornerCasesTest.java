package io.jbpf.core.dsl.cbpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.JumpCond;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.insn.Size;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.vm.Engine;
import io.jbpf.core.vm.Vm;
import io.jbpf.core.vm.XdpContext;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hand-written classic programs at the edges of the conversion (unreachable code, loads no packet
 * can satisfy, X + k wrapping, division by X = 0, shifts by X of 32 or more, scratch memory,
 * SKF_LL_OFF, ancillary loads), and the fragment's register contract, in the kernel and the VM.
 */
@KernelTest
class CbpfConverterCornerCasesTest {
    static final List<byte[]> FRAMES = Frames.corpus(0xed6e, 60);

    @ParameterizedTest
    @ValueSource(strings = {
        // unreachable code (the verifier refuses unreachable eBPF, so it must be dropped)
        "ld #1\nja done\nldb [0]\nret #5\ndone: ret a",
        "ldh [12]\njeq #0x800 jt ip jf ip\nret #7\nip: ret #9",
        // a load no packet can satisfy, alone and on one branch
        "ldb [70000]\nret #1",
        "ldb [14]\njeq #0x45 jt far jf near\nfar: ld [100000]\nret #1\nnear: ret #2",
        "ld [65532]\nret #1",
        // X + k wraps at 32 bits; a huge X makes the offset fail
        "ldx #0xfffffffc\nldb [x + 18]\nret a",
        "ldxb 4*([14]&0xf)\nld [x + 60000]\nret #1",
        "ldx #0x7fffffff\nldh [x + 1]\nret #1",
        // division and modulo by X = 0 end with 0
        "ldb [15]\ntax\nld #100\ndiv x\nret a",
        "ldb [15]\ntax\nld #100\nmod x\nadd #1\nret a",
        // shifts by X of 32 or more use X & 31, as in the kernel
        "ldb [15]\ntax\nld #3\nlsh x\nret a",
        "ldb [15]\ntax\nld #0xf0000000\nrsh x\nret a",
        // scratch memory, every ALU op, X jumps, ret a, the lengths
        "ld #len\nst M[3]\nldx #len\nstx M[15]\nldb [20]\nneg\nxor #0xff\nor #0x100\nand #0x1f0\nsub #3\nmul #7\n"
                + "ldx M[3]\nadd x\nldx M[15]\nsub x\ntax\ntxa\njgt x jt a jf b\na: jset #0x10 jt b jf c\n"
                + "b: ld M[3]\nret a\nc: ret #0",
        "ldh [12]\ntax\nldh [14]\njeq x jt one jf two\none: ret #1\ntwo: jge x jt three jf four\nthree: ret #3\nfour: ret a",
        "ld #0x12\nldx #0xff\nld [xor_x]\nret a",
        // the link-layer offsets read from the frame's start
        "ldh [-2097140]\njeq #0x800 jt 2 jf 3\nret #1\nret #0"})
    void edgesAgreeEverywhere(String source) {
        CbpfProgram p = CbpfText.assemble(source).validate();
        List<String> wrong = CbpfConverterKernelTest.disagreements(p, FRAMES, null, new int[1]);
        assertThat(wrong).as("%s", p).isEmpty();
    }

    @Test
    void ancillaryLoadsOnTcReadTheSocketBuffer() {
        // the test run's skb: received on loopback (ifindex 1), protocol from the Ethernet type
        CbpfProgram p = CbpfText.assemble("ld [proto]\nst M[0]\nld [ifidx]\nlsh #16\ntax\nld M[0]\nadd x\nret a").validate();
        List<byte[]> frames = new ArrayList<>();
        for (byte[] f : FRAMES) {
            int type = (f[12] & 0xff) << 8 | (f[13] & 0xff);
            if (type >= 0x600 && type != 0x8100 && type != 0x88a8) {
                frames.add(f);
            }
        }
        assertThat(frames).hasSizeGreaterThan(20);
        List<String> wrong = CbpfConverterKernelTest.disagreements(p, frames,
                f -> CbpfPacket.Metadata.of((f[12] & 0xff) << 8 | (f[13] & 0xff), 1), new int[1]);
        assertThat(wrong).isEmpty();
        assertThatThrownBy(() -> CbpfConverter.xdp(p)).isInstanceOf(CbpfException.class).hasMessageContaining("proto")
                .satisfies(e -> assertThat(((CbpfException) e).index()).isZero());
        assertThatThrownBy(() -> CbpfConverter.tc(CbpfText.assemble("ld [random]\nret a")))
                .isInstanceOf(CbpfException.class).hasMessageContaining("helper");
        assertThatThrownBy(() -> CbpfConverter.socketFilter(CbpfText.assemble("ld [hatype]\nret a")))
                .isInstanceOf(CbpfException.class).hasMessageContaining("hatype");
        assertThatThrownBy(() -> CbpfConverter.xdp(CbpfText.assemble("ldb [-1048576]\nret a")))
                .isInstanceOf(CbpfException.class).hasMessageContaining("SKF_NET_OFF");
    }

    /** The lengths the direct-access code checks against data_end, in order ({@code r0 = r2; r0 += n; if r0 > r3}). */
    static List<Integer> checkedLengths(List<Insn> insns) {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i < insns.size(); i++) {
            if (insns.get(i) instanceof io.jbpf.core.insn.Jump j && j.src() == Reg.R3 && j.dst() == Reg.R0
                    && insns.get(i - 1) instanceof io.jbpf.core.insn.Alu a && a.src() instanceof io.jbpf.core.insn.Imm imm) {
                out.add(imm.value());
            }
        }
        return out;
    }

    @Test
    void constantLoadsShareBoundsChecks() {
        // a run of loads in one block is checked once, for the farthest byte
        CbpfProgram run = CbpfText.assemble("ldb [14]\nldh [20]\nld [30]\nldb [15]\nadd #1\nret a").validate();
        assertThat(checkedLengths(CbpfConverter.xdp(run))).containsExactly(34);
        // a block whose predecessors all checked enough checks nothing
        CbpfProgram dominated = CbpfText.assemble("ld [30]\njeq #1 jt a jf b\na: ldb [20]\nret a\nb: ldh [40]\nret a")
                .validate();
        assertThat(checkedLengths(CbpfConverter.xdp(dominated))).containsExactly(34, 42);
        // over the tcpdump corpus, far fewer checks than constant loads
        int loads = 0;
        int checks = 0;
        for (TcpdumpCorpus.Entry e : TcpdumpCorpus.entries()) {
            CbpfProgram p = TcpdumpCorpus.program(e);
            loads += (int) p.instructions().stream()
                    .filter(i -> i.mode() == CbpfInsn.Mode.ABS && i.opClass() == CbpfInsn.OpClass.LD
                            || i.mode() == CbpfInsn.Mode.MSH && i.opClass() == CbpfInsn.OpClass.LDX).count();
            checks += checkedLengths(CbpfConverter.tc(p)).size();
        }
        assertThat(checks).isPositive().isLessThan(loads / 2);
    }

    @Test
    void theFragmentKeepsItsRegisterContract() {
        for (String expr : List.of("tcp port 80", "ip6 and tcp dst port 443", "(ip[2:2] - ((ip[0]&0xf)<<2)) > 100")) {
            CbpfProgram p = TcpdumpCorpus.program(new TcpdumpCorpus.Entry(expr, true));
            for (CbpfConverter.Hook hook : CbpfConverter.Hook.values()) {
                checkFragment(p, hook);
            }
        }
        checkFragment(CbpfProgram.of(CbpfInsn.ret(0)), CbpfConverter.Hook.XDP); // reaches only the no-match label
        checkFragment(CbpfProgram.of(CbpfInsn.ret(1)), CbpfConverter.Hook.TC); // only the match label
        checkFragment(CbpfText.assemble("ld #len\nsub #100\njgt #1000 jt 3 jf 4\nret #0\nret a"), CbpfConverter.Hook.TC);
    }

    /** A program around the fragment: sentinels in r6-r9 and the stack, 10 on match, 20 on no match, 99 if broken. */
    static void checkFragment(CbpfProgram p, CbpfConverter.Hook hook) {
        boolean xdp = hook == CbpfConverter.Hook.XDP;
        Assembler asm = new Assembler();
        asm.mov(Reg.R6, 0x1111).mov(Reg.R7, 0x2222).mov(Reg.R8, 0x3333).mov(Reg.R9, 0x4444);
        asm.store(Size.DW, Reg.R10, -8, 0x5555);
        asm.load(Size.W, Reg.R2, Reg.R1, xdp ? 0 : 76).load(Size.W, Reg.R3, Reg.R1, xdp ? 4 : 80);
        CbpfConverter.Exits exits = CbpfConverter.emitFragment(asm, p, hook, "frag_", "yes", "no", -128);
        if (exits.reachesMatch()) {
            asm.label("yes").mov(Reg.R0, 10);
            if (exits.reachesNoMatch()) {
                asm.ja("check");
            }
        }
        if (exits.reachesNoMatch()) {
            asm.label("no").mov(Reg.R0, 20);
        }
        asm.label("check");
        asm.jne(Reg.R6, 0x1111, "bad").jne(Reg.R7, 0x2222, "bad").jne(Reg.R8, 0x3333, "bad").jne(Reg.R9, 0x4444, "bad");
        asm.load(Size.DW, Reg.R4, Reg.R10, -8).jne(Reg.R4, 0x5555, "bad");
        // r1 must still be the context and r2/r3 the packet pointers (the verifier checks their types)
        asm.load(Size.W, Reg.R4, Reg.R1, xdp ? 0 : 76).jump(JumpCond.NE, Reg.R4, Reg.R2, "bad");
        asm.mov(Reg.R4, Reg.R2).add(Reg.R4, 1).jump(JumpCond.GT, Reg.R4, Reg.R3, "done");
        asm.label("done").exit();
        asm.label("bad").mov(Reg.R0, 99).exit();
        List<Insn> insns = asm.build();
        ProgramSpec spec = ProgramSpec.builder("jbpf_cbpf_frag", xdp ? ProgramType.XDP : ProgramType.SCHED_CLS)
                .instructions(insns).license("GPL").build();
        List<String> wrong = new ArrayList<>();
        try (Program prog = Program.load(spec)) {
            var vm = Vm.builder().engine(Engine.JIT).build().load("frag", insns, Map.of());
            for (byte[] f : FRAMES) {
                if (!xdp && !CbpfConverterKernelTest.skbTestRunAccepts(f)) {
                    continue; // the kernel's skb test run refuses these frames
                }
                int want = CbpfInterpreter.kernel().run(p, f) != 0 ? 10 : 20;
                int kernel = prog.testRun(TestRun.withData(f)).returnValue();
                int inVm = (int) vm.run(xdp ? XdpContext.of(f) : io.jbpf.core.vm.SkbContext.tc(f)).returnValue();
                if (kernel != want || inVm != want) {
                    wrong.add("kernel " + kernel + ", vm " + inVm + ", want " + want + ": " + HexFormat.of().formatHex(f));
                }
            }
        }
        assertThat(wrong).as("%s on %s", p, hook).isEmpty();
    }
}
