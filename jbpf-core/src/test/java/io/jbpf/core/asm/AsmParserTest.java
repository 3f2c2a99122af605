package io.jbpf.core.asm;

import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R10;
import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jbpf.core.insn.Alu;
import io.jbpf.core.insn.AluOp;
import io.jbpf.core.insn.Atomic;
import io.jbpf.core.insn.AtomicOp;
import io.jbpf.core.insn.ByteSwap;
import io.jbpf.core.insn.CallHelper;
import io.jbpf.core.insn.CallKfunc;
import io.jbpf.core.insn.CallLocal;
import io.jbpf.core.insn.CallReg;
import io.jbpf.core.insn.Exit;
import io.jbpf.core.insn.Goto;
import io.jbpf.core.insn.GotoLong;
import io.jbpf.core.insn.Imm;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.Jump;
import io.jbpf.core.insn.JumpCond;
import io.jbpf.core.insn.Load;
import io.jbpf.core.insn.LoadAbs;
import io.jbpf.core.insn.LoadImm64;
import io.jbpf.core.insn.LoadInd;
import io.jbpf.core.insn.LoadMapRef;
import io.jbpf.core.insn.LoadPseudo;
import io.jbpf.core.insn.LoadSx;
import io.jbpf.core.insn.MovSx;
import io.jbpf.core.insn.Neg;
import io.jbpf.core.insn.PseudoSource;
import io.jbpf.core.insn.Size;
import io.jbpf.core.insn.Store;
import io.jbpf.core.insn.StoreImm;
import io.jbpf.core.insn.SwapKind;
import io.jbpf.core.insn.Width;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AsmParserTest {

    private static Insn one(String line) {
        List<Insn> insns = AsmParser.parse(line);
        assertThat(insns).hasSize(1);
        return insns.get(0);
    }

    @Test
    void theFormsOfTheBrief() {
        assertThat(one("r0 = *(u32 *)(r1 + 4)")).isEqualTo(new Load(Size.W, R0, R1, 4));
        assertThat(one("*(u64 *)(r10 - 8) = r1")).isEqualTo(new Store(Size.DW, R10, -8, R1));
        assertThat(one("if r2 > 0x5 goto +3")).isEqualTo(new Jump(Width.W64, JumpCond.GT, R2, Imm.of(5), 3));
        assertThat(one("if w1 s< w2 goto -1")).isEqualTo(new Jump(Width.W32, JumpCond.SLT, R1, R2, -1));
        assertThat(one("r1 = 0x1234 ll")).isEqualTo(new LoadImm64(R1, 0x1234));
        assertThat(one("r1 = map[name] ll")).isEqualTo(LoadMapRef.map(R1, "name"));
        assertThat(one("call 1")).isEqualTo(new CallHelper(1));
        assertThat(one("call bpf_map_lookup_elem")).isEqualTo(new CallHelper(1));
        assertThat(one("w0 = w1")).isEqualTo(new Alu(Width.W32, AluOp.MOV, R0, R1));
        assertThat(one("r0 = be16 r0")).isEqualTo(new ByteSwap(SwapKind.BE, 16, R0));
        assertThat(one("r0 = bswap64 r0")).isEqualTo(new ByteSwap(SwapKind.BSWAP, 64, R0));
        assertThat(one("r1 = (s8)r2")).isEqualTo(new MovSx(Width.W64, R1, R2, 8));
        assertThat(one("r0 = *(s32 *)(r1 + 0)")).isEqualTo(new LoadSx(Size.W, R0, R1, 0));
        assertThat(one("lock *(u64 *)(r1 + 0) += r2")).isEqualTo(new Atomic(Size.DW, AtomicOp.ADD, R1, 0, R2));
        assertThat(one("r2 = atomic_fetch_add((u64 *)(r1 + 0), r2)"))
                .isEqualTo(new Atomic(Size.DW, AtomicOp.FETCH_ADD, R1, 0, R2));
        assertThat(one("r0 = cmpxchg_64(r1 + 0, r0, r2)")).isEqualTo(new Atomic(Size.DW, AtomicOp.CMPXCHG, R1, 0, R2));
        assertThat(one("r2 = xchg_64(r1 + 0, r2)")).isEqualTo(new Atomic(Size.DW, AtomicOp.XCHG, R1, 0, R2));
        assertThat(one("gotol +5")).isEqualTo(new GotoLong(5));
        assertThat(one("r0 s/= r1")).isEqualTo(new Alu(Width.W64, AluOp.SDIV, R0, R1));
        assertThat(one("r0 s%= r1")).isEqualTo(new Alu(Width.W64, AluOp.SMOD, R0, R1));
        assertThat(one("r0 = -r0")).isEqualTo(new Neg(Width.W64, R0));
        assertThat(one("exit")).isEqualTo(new Exit());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '~', value = {
        "r1 += 0x10          ~ ADD",
        "r1 -= 0x10          ~ SUB",
        "r1 *= 0x10          ~ MUL",
        "r1 /= 0x10          ~ DIV",
        "r1 |= 0x10          ~ OR",
        "r1 &= 0x10          ~ AND",
        "r1 <<= 0x10         ~ LSH",
        "r1 >>= 0x10         ~ RSH",
        "r1 %= 0x10          ~ MOD",
        "r1 ^= 0x10          ~ XOR",
        "r1 = 0x10           ~ MOV",
        "r1 s>>= 0x10        ~ ARSH",
        "r1 s/= 16           ~ SDIV",
        "r1 s%= 16           ~ SMOD",
    })
    void everyAluOperator(String line, AluOp op) {
        assertThat(one(line)).isEqualTo(new Alu(Width.W64, op, R1, Imm.of(16)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '~', value = {
        "if w3 == w2 goto +0x7  ~ EQ",
        "if w3 != w2 goto +0x7  ~ NE",
        "if w3 > w2 goto +0x7   ~ GT",
        "if w3 >= w2 goto +0x7  ~ GE",
        "if w3 < w2 goto +0x7   ~ LT",
        "if w3 <= w2 goto +0x7  ~ LE",
        "if w3 s> w2 goto +0x7  ~ SGT",
        "if w3 s>= w2 goto +0x7 ~ SGE",
        "if w3 s< w2 goto +0x7  ~ SLT",
        "if w3 s<= w2 goto +0x7 ~ SLE",
        "if w3 & w2 goto +0x7   ~ SET",
    })
    void everyComparison(String line, JumpCond cond) {
        assertThat(one(line)).isEqualTo(new Jump(Width.W32, cond, R3, R2, 7));
    }

    @Test
    void otherForms() {
        assertThat(one("w1 = -0x5")).isEqualTo(new Alu(Width.W32, AluOp.MOV, R1, Imm.of(-5)));
        assertThat(one("w1 = 0xffffffff")).isEqualTo(new Alu(Width.W32, AluOp.MOV, R1, Imm.of(-1)));
        assertThat(one("r1 = -0x1 ll")).isEqualTo(new LoadImm64(R1, -1));
        assertThat(one("r1 = 0xffffffffffffffff ll")).isEqualTo(new LoadImm64(R1, -1));
        assertThat(one("w1 = *(u16 *)(r2 + 0x10)")).isEqualTo(new Load(Size.H, R1, R2, 16));
        assertThat(one("*(u8 *)(r2 + 0x3) = 0xff")).isEqualTo(new StoreImm(Size.B, R2, 3, 255));
        assertThat(one("*(u32 *)(r10 - 0x30) = w5")).isEqualTo(new Store(Size.W, R10, -48, io.jbpf.core.insn.Reg.R5));
        assertThat(one("w0 = cmpxchg32_32(r3 + 0x4, w0, w2)")).isEqualTo(new Atomic(Size.W, AtomicOp.CMPXCHG, R3, 4, R2));
        assertThat(one("w2 = xchg32_32(r3 + 0x8, w2)")).isEqualTo(new Atomic(Size.W, AtomicOp.XCHG, R3, 8, R2));
        assertThat(one("w2 = atomic_fetch_xor((u32 *)(r1 + 0x0), w2)"))
                .isEqualTo(new Atomic(Size.W, AtomicOp.FETCH_XOR, R1, 0, R2));
        assertThat(one("lock *(u32 *)(r3 + 0xc) |= w1")).isEqualTo(new Atomic(Size.W, AtomicOp.OR, R3, 12, R1));
        assertThat(one("r0 = le32 r0")).isEqualTo(new ByteSwap(SwapKind.LE, 32, R0));
        assertThat(one("w2 = (s16)w7")).isEqualTo(new MovSx(Width.W32, R2, io.jbpf.core.insn.Reg.R7, 16));
        assertThat(one("r0 = *(u8 *)skb[0x17]")).isEqualTo(new LoadAbs(Size.B, 0x17));
        assertThat(one("r0 = *(u16 *)skb[r3]")).isEqualTo(new LoadInd(Size.H, R3, 0));
        assertThat(one("r0 = *(u32 *)skb[r3 + 4]")).isEqualTo(new LoadInd(Size.W, R3, 4));
        assertThat(one("callx r3")).isEqualTo(new CallReg(R3));
        assertThat(one("call pc+3")).isEqualTo(new CallLocal(3));
        assertThat(one("call kfunc[1234]")).isEqualTo(new CallKfunc(1234, 0));
        assertThat(one("call kfunc[1234, 2]")).isEqualTo(new CallKfunc(1234, 2));
        assertThat(one("r1 = map[fd:5] ll")).isEqualTo(new LoadPseudo(R1, PseudoSource.MAP_FD, 5, 0));
        assertThat(one("r1 = map_value[fd:5] + 8 ll")).isEqualTo(new LoadPseudo(R1, PseudoSource.MAP_VALUE, 5, 8));
        assertThat(one("r1 = map[idx:2]")).isEqualTo(new LoadPseudo(R1, PseudoSource.MAP_IDX, 2, 0));
        assertThat(one("r1 = map_value[idx:2] + 0x10 ll"))
                .isEqualTo(new LoadPseudo(R1, PseudoSource.MAP_IDX_VALUE, 2, 16));
        assertThat(one("r1 = btf_id[42] ll")).isEqualTo(new LoadPseudo(R1, PseudoSource.BTF_ID, 42, 0));
        assertThat(one("r1 = func[pc-2] ll")).isEqualTo(new LoadPseudo(R1, PseudoSource.FUNC, -2, 0));
        assertThat(one("r1 = map_value[.rodata] + 8 ll")).isEqualTo(LoadMapRef.value(R1, ".rodata", 8));
        assertThat(one(".raw 0x85, 0, 0, 0, 1")).isEqualTo(new io.jbpf.core.insn.RawInsn(0x85, 0, 0, 0, 1));
        assertThat(one("goto -0x8000")).isEqualTo(new Goto(-32768));
    }

    @Test
    void commentsLabelsSlotNumbersAndBlankLines() {
        List<Insn> prog = AsmParser.parse(String.join("\n",
                "; a comment",
                "  r0 = 0        // zero",
                "",
                "loop:           # the loop",
                "  r0 += 1",
                "  if r0 < 10 goto loop",
                "  goto end",
                "  r0 = 0x1 ll",
                "end: exit",
                "   9: exit"));
        assertThat(prog).containsExactly(
                new Alu(Width.W64, AluOp.MOV, R0, Imm.of(0)),
                new Alu(Width.W64, AluOp.ADD, R0, Imm.of(1)),
                new Jump(Width.W64, JumpCond.LT, R0, Imm.of(10), -2),
                new Goto(2),
                new LoadImm64(R0, 1),
                new Exit(),
                new Exit());
    }

    @Test
    void callOfALabelIsALocalCall() {
        List<Insn> prog = AsmParser.parse("call sub\nexit\nsub:\nr0 = 1\nexit\nr1 = func[sub] ll");
        assertThat(prog.get(0)).isEqualTo(new CallLocal(1));
        assertThat(prog.get(4)).isEqualTo(new LoadPseudo(R1, PseudoSource.FUNC, -3, 0));
    }

    private static AssemblerException failure(String source) {
        return catchThrowableOfType(AssemblerException.class, () -> AsmParser.parse(source));
    }

    @Test
    void errorsNameLineAndColumn() {
        AssemblerException e = failure("exit\nr0 = *(u32 *)(r1 + 4\nexit");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(21);
        assertThat(e.getMessage()).startsWith("line 2, column 21: ").contains("expected ')'");

        AssemblerException reg = failure("  r11 = 1");
        assertThat(reg.getMessage()).startsWith("line 1, column 3:").contains("r11");

        AssemblerException op = failure("r1 @= 2");
        assertThat(op.getMessage()).contains("column 4").contains("unexpected character '@'");

        AssemblerException mixed = failure("w1 += r2");
        assertThat(mixed.getMessage()).contains("column 7").contains("does not match the width of w1");

        AssemblerException unknown = failure("exit\n  jump +3");
        assertThat(unknown.getMessage()).startsWith("line 2, column 3:").contains("unknown instruction 'jump'");

        AssemblerException trailing = failure("exit now");
        assertThat(trailing.getMessage()).contains("column 6").contains("unexpected 'now'");
    }

    @Test
    void rangeErrors() {
        assertThat(failure("goto +32768").getMessage()).contains("line 1").contains("32768").contains("16-bit");
        assertThat(failure("r1 = 0x80000000").getMessage())
                .contains("column 6").contains("does not fit in 32 bits").contains("sign-extended");
        assertThat(failure("w1 = 0x100000000").getMessage()).contains("does not fit in 32 bits");
        assertThat(failure("r1 = 0x10000000000000000 ll").getMessage()).contains("fits in 64 bits");
        assertThat(failure("r0 = *(u8 *)(r1 + 0x8000)").getMessage()).contains("32768");
    }

    @Test
    void labelErrors() {
        AssemblerException undefined = failure("r0 = 0\n  goto nowhere\nexit");
        assertThat(undefined.label()).contains("nowhere");
        assertThat(undefined.getMessage()).startsWith("line 2, column 8:").contains("'nowhere' is not defined");

        AssemblerException twice = failure("a:\nexit\na:\nexit");
        assertThat(twice.getMessage()).startsWith("line 3, column 1:").contains("defined twice");
    }

    @Test
    void unknownHelperSuggests() {
        AssemblerException e = failure("call bpf_map_lookup_elme");
        assertThat(e.getMessage()).startsWith("line 1, column 6:")
                .contains("did you mean bpf_map_lookup_elem?");
    }

    @Test
    void semanticMismatches() {
        assertThat(failure("r1 = -r2").getMessage()).contains("in place");
        assertThat(failure("r2 = atomic_fetch_add((u64 *)(r1 + 0), r3)").getMessage()).contains("both sides");
        assertThat(failure("r1 = cmpxchg_64(r1 + 0, r0, r2)").getMessage()).contains("cmpxchg writes r0");
        assertThat(failure("w0 = *(u64 *)(r1 + 0)").getMessage()).contains("64-bit register");
        assertThat(failure("r1 = *(u8 *)skb[4]").getMessage()).contains("always write r0");
        assertThat(failure("*(u64 *)(w1 + 0) = r1").getMessage()).contains("base address");
        assertThat(failure("r1 = (u8)r2").getMessage()).contains("s8, s16 or s32");
        assertThat(failure("lock *(u8 *)(r1 + 0) += w2").getMessage()).contains("size B");
        assertThat(failure("r1 = map[x] + 4 ll").getMessage()).contains("not a value reference");
    }
}
