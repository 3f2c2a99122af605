package io.jbpf.core.dsl.cbpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class CbpfTextTest {
    static List<TcpdumpCorpus.Entry> corpus() {
        return TcpdumpCorpus.entries();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void disassemblyIsExactlyTcpdumpD(TcpdumpCorpus.Entry e) {
        CbpfProgram p = CbpfText.readDd(TcpdumpCorpus.tcpdump("-dd", e));
        assertThat(p.isValid()).as("kernel rules").isTrue();
        assertThat(CbpfText.disassemble(p)).isEqualTo(TcpdumpCorpus.tcpdump("-d", e));
        assertThat(p.toString()).isEqualTo(TcpdumpCorpus.tcpdump("-d", e));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void allThreeFormsReadBackToTheSameProgram(TcpdumpCorpus.Entry e) {
        CbpfProgram fromDd = CbpfText.readDd(TcpdumpCorpus.tcpdump("-dd", e));
        // -d does not show fields an opcode ignores (libpcap leaves values in some, e.g. tax's k)
        assertThat(canonical(CbpfText.assemble(TcpdumpCorpus.tcpdump("-d", e)))).isEqualTo(canonical(fromDd));
        assertThat(CbpfText.readDdd(TcpdumpCorpus.tcpdump("-ddd", e))).isEqualTo(fromDd);
        assertThat(CbpfText.toDd(fromDd)).isEqualTo(TcpdumpCorpus.tcpdump("-dd", e));
        assertThat(CbpfText.toDdd(fromDd)).isEqualTo(TcpdumpCorpus.tcpdump("-ddd", e));
    }

    @Test
    void theCorpusCoversEveryKindOfInstructionTcpdumpEmits() {
        java.util.Set<String> ops = new java.util.TreeSet<>();
        for (TcpdumpCorpus.Entry e : TcpdumpCorpus.entries()) {
            for (CbpfInsn in : TcpdumpCorpus.program(e).instructions()) {
                ops.add(CbpfText.line(in, 0).substring(6).split(" ")[0]);
            }
        }
        assertThat(ops).contains("ld", "ldh", "ldb", "ldx", "ldxb", "st", "tax", "jeq", "jgt", "jge", "jset", "add", "sub",
                "mul", "div", "mod", "and", "or", "xor", "lsh", "rsh", "ret");
    }

    @Test
    void handWrittenProgramsWithLabelsAndEveryInstruction() {
        String src = String.join("\n",
                "; every kind of instruction",
                "start: ld #len",
                "  ldx #pktlen",
                "  ld #0x10",
                "  ldx #-1",
                "  ld M[0]",
                "  ldx M[15]",
                "  ld [proto]",
                "  ldh [vlanp]",
                "  ldb [x + -4]",
                "  ld [x+8]",
                "  ldxb 4*([14]&0xf)",
                "  st M[1]",
                "  stx M[2]",
                "  add x",
                "  sub #3",
                "  neg",
                "  mod #7",
                "  xor #0xff",
                "  tax",
                "  txa",
                "  ja done",
                "  jeq x jt done jf 23",
                "  jset #0x1fff jt done jf done",
                "done: ret a",
                "  ret #-1");
        CbpfProgram p = CbpfText.assemble(src);
        assertThat(p.get(0)).isEqualTo(CbpfInsn.ldLen());
        assertThat(p.get(1)).isEqualTo(CbpfInsn.ldxLen());
        assertThat(p.get(3)).isEqualTo(CbpfInsn.ldxImm(-1));
        assertThat(p.get(6)).isEqualTo(CbpfInsn.ldAncillary(CbpfInsn.Ancillary.PROTOCOL));
        assertThat(p.get(7)).isEqualTo(CbpfInsn.ldAbs(CbpfInsn.Size.H, CbpfInsn.Ancillary.VLAN_TAG_PRESENT.k()));
        assertThat(p.get(8)).isEqualTo(CbpfInsn.ldInd(CbpfInsn.Size.B, -4));
        assertThat(p.get(9)).isEqualTo(CbpfInsn.ldInd(CbpfInsn.Size.W, 8));
        assertThat(p.get(20)).isEqualTo(CbpfInsn.ja(2));
        assertThat(p.get(21)).isEqualTo(CbpfInsn.jmpX(CbpfInsn.JmpOp.JEQ, 1, 1));
        assertThat(p.get(22)).isEqualTo(CbpfInsn.jmp(CbpfInsn.JmpOp.JSET, 0x1fff, 0, 0));
        assertThat(p.get(23)).isEqualTo(CbpfInsn.retA());
        assertThat(p.get(24)).isEqualTo(CbpfInsn.ret(-1));
        // M[0] and M[15] are read before any store: the kernel would refuse it
        assertThatThrownBy(p::validate).isInstanceOf(CbpfException.class).satisfies(x -> assertThat(((CbpfException) x).index()).isEqualTo(4));
        // the disassembly reads back to the same instructions (ldx #len prints as libpcap's "unimp 0x81")
        String text = CbpfText.disassemble(p);
        assertThat(text).contains("(001) unimp    0x81", "(006) ld       [proto]", "(007) ldh      [vlanp]",
                "(008) ldb      [x + -4]", "(020) ja       23", "(021) jeq      x                jt 23\tjf 23", "(023) ret      \n",
                "(024) ret      #-1");
        assertThat(CbpfText.assemble(text)).isEqualTo(p);
    }

    @Test
    void syntaxErrorsNameLineAndColumn() {
        assertThat(error("ld #1\nret #0\n  jeq #1 jt 5 jf")).satisfies(e -> {
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.column()).isEqualTo(17);
        });
        assertThat(error("ldh [12\nret #0")).satisfies(e -> {
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.column()).isEqualTo(8);
        });
        assertThat(error("ld #1\n  frob #2")).satisfies(e -> {
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.column()).isEqualTo(3);
        }).hasMessageContaining("frob");
        assertThat(error("(000) ld #1\n(002) ret #0")).satisfies(e -> assertThat(e.line()).isEqualTo(2));
        assertThat(error("ld #1\njeq #1 jt 0 jf 2\nret #0")).hasMessageContaining("backwards")
                .satisfies(e -> assertThat(e.column()).isEqualTo(11));
        assertThat(error("ja nowhere\nret #0")).hasMessageContaining("nowhere");
        assertThat(error("ld #0x100000000\nret #0")).hasMessageContaining("32 bits");
        assertThat(error("ldh [bogus]\nret #0")).hasMessageContaining("bogus").satisfies(e -> assertThat(e.column()).isEqualTo(6));
        assertThat(error("ld [12] extra\nret #0")).hasMessageContaining("extra");
        assertThat(error("\n\n")).hasMessageContaining("no instructions");

        assertThatThrownBy(() -> CbpfText.readDd("{ 0x28, 0, 0, 0x0000000c },\n{ 0x6, 0, 0 },"))
                .isInstanceOfSatisfying(CbpfSyntaxException.class, e -> assertThat(e.line()).isEqualTo(2))
                .hasMessageContaining("4 numbers");
        assertThatThrownBy(() -> CbpfText.readDd("{ 0x28, 0, 0, 0x0000000c },\n{ 0x6, 0, 0, zz },"))
                .isInstanceOfSatisfying(CbpfSyntaxException.class, e -> assertThat(e.column()).isEqualTo(14));
        assertThatThrownBy(() -> CbpfText.readDd("{ 0x10000, 0, 0, 0 },")).isInstanceOf(CbpfSyntaxException.class);
        assertThatThrownBy(() -> CbpfText.readDdd("3\n40 0 0 12\n6 0 0 0\n"))
                .isInstanceOf(CbpfSyntaxException.class).hasMessageContaining("says 3");
        assertThatThrownBy(() -> CbpfText.readDdd("1\n40 0 0\n")).isInstanceOf(CbpfSyntaxException.class);
    }

    static List<CbpfInsn> canonical(CbpfProgram p) {
        return p.instructions().stream().map(CbpfInsn::canonical).toList();
    }

    static CbpfSyntaxException error(String src) {
        try {
            CbpfText.assemble(src);
        } catch (CbpfSyntaxException e) {
            return e;
        }
        throw new AssertionError("no syntax error in: " + src);
    }
}
