package io.jbpf.core.asm;

import io.jbpf.core.insn.Alu;
import io.jbpf.core.insn.AluOp;
import io.jbpf.core.insn.Atomic;
import io.jbpf.core.insn.AtomicOp;
import io.jbpf.core.insn.ByteSwap;
import io.jbpf.core.insn.Imm;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.InvalidInstructionException;
import io.jbpf.core.insn.Load;
import io.jbpf.core.insn.LoadAbs;
import io.jbpf.core.insn.LoadImm64;
import io.jbpf.core.insn.LoadInd;
import io.jbpf.core.insn.LoadSx;
import io.jbpf.core.insn.MovSx;
import io.jbpf.core.insn.Neg;
import io.jbpf.core.insn.Operand;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.insn.Size;
import io.jbpf.core.insn.SwapKind;
import io.jbpf.core.insn.Width;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the statements that start with a register: {@code dst = ...} and {@code dst op= src}. */
final class AssignmentParser {
    private static final Pattern SWAP = Pattern.compile("(le|be|bswap)(16|32|64)");

    private final Assembler asm;
    private final Set<String> labels;
    private final Cursor c;
    private Cursor.RegRef dst;

    AssignmentParser(Assembler asm, Set<String> labels, Cursor c) {
        this.asm = asm;
        this.labels = labels;
        this.c = c;
    }

    void parse() {
        dst = c.reg();
        Token op = c.next();
        AluOp aluOp = op.kind == Token.Kind.PUNCT ? Syntax.ALU_BY_TEXT.get(op.text) : null;
        if (aluOp == null) {
            throw c.error(op, "expected '=' or an operator such as += after " + dst.token.text
                    + ", found " + op.describe());
        }
        if (aluOp != AluOp.MOV) {
            alu(aluOp);
        } else {
            rhs();
        }
    }

    private void emit(Supplier<Insn> make) {
        asm.add(make, c.line(), dst.token.column);
    }

    private void alu(AluOp op) {
        Operand src = c.peek().isRegister() ? c.regLike(dst).reg : new Imm(c.imm32(dst.width == Width.W32));
        emit(() -> new Alu(dst.width, op, dst.reg, src));
    }

    private void rhs() {
        Token t = c.peek();
        if (t.isRegister()) {
            Reg src = c.regLike(dst).reg;
            emit(() -> new Alu(dst.width, AluOp.MOV, dst.reg, src));
        } else if (t.is("-") && c.peek(1).isRegister()) {
            c.next();
            Cursor.RegRef r = c.regLike(dst);
            if (!r.sameAs(dst)) {
                throw c.error(r.token, "negation is in place: write " + dst.token.text + " = -" + dst.token.text);
            }
            emit(() -> new Neg(dst.width, dst.reg));
        } else if (c.atNumber()) {
            immediate();
        } else if (t.is("(")) {
            movsx();
        } else if (t.is("*")) {
            load();
        } else if (t.kind == Token.Kind.WORD) {
            word(t);
        } else {
            throw c.error(t, "expected a register, number, load or operation after '=', found " + t.describe());
        }
    }

    private void immediate() {
        Token first = c.peek();
        if (c.peek(first.kind == Token.Kind.NUMBER ? 1 : 2).is("ll")) {
            long v = c.number64();
            c.expect("ll");
            requireWide("a 64-bit immediate load");
            emit(() -> new LoadImm64(dst.reg, v));
            return;
        }
        int imm = c.imm32(dst.width == Width.W32);
        emit(() -> new Alu(dst.width, AluOp.MOV, dst.reg, new Imm(imm)));
    }

    private void requireWide(String what) {
        if (dst.width != Width.W64) {
            throw c.error(dst.token, what + " needs a 64-bit register (r" + dst.reg.number() + "), found "
                    + dst.token.text);
        }
    }

    /** {@code r1 = (s8)r2}. */
    private void movsx() {
        c.expect("(");
        Cursor.Cast cast = c.sizeName();
        if (!cast.signed) {
            throw c.error(cast.token, "a sign-extending move casts to s8, s16 or s32, found " + cast.token.text);
        }
        c.expect(")");
        Reg src = c.regLike(dst).reg;
        int bits = cast.size.bytes() * 8;
        emit(() -> new MovSx(dst.width, dst.reg, src, bits));
    }

    /** {@code r0 = *(u32 *)(r1 + 4)}, {@code *(s8 *)...}, {@code *(u8 *)skb[...]}. */
    private void load() {
        c.next();
        Cursor.Cast cast = c.pointerCast();
        if (c.peek().is("skb")) {
            legacy(cast);
            return;
        }
        Cursor.Mem mem = c.memoryAfterStar();
        if (cast.size == Size.DW && dst.width != Width.W64) {
            requireWide("an 8-byte load");
        }
        if (cast.signed) {
            emit(() -> new LoadSx(cast.size, dst.reg, mem.base, mem.offset));
        } else {
            emit(() -> new Load(cast.size, dst.reg, mem.base, mem.offset));
        }
    }

    /** {@code r0 = *(u8 *)skb[0x17]}, {@code r0 = *(u16 *)skb[r3 + 4]}. */
    private void legacy(Cursor.Cast cast) {
        c.next();
        if (dst.reg != Reg.R0 || dst.width != Width.W64) {
            throw c.error(dst.token, "legacy packet loads always write r0, found " + dst.token.text);
        }
        if (cast.signed) {
            throw c.error(cast.token, "legacy packet loads are unsigned (u8, u16, u32)");
        }
        c.expect("[");
        if (c.peek().isRegister()) {
            Reg src = c.reg64("the packet offset register");
            int imm = c.peek().is("+") || c.peek().is("-") ? c.offset32() : 0;
            c.expect("]");
            emit(() -> new LoadInd(cast.size, src, imm));
        } else {
            int imm = c.imm32(true);
            c.expect("]");
            emit(() -> new LoadAbs(cast.size, imm));
        }
    }

    private void word(Token t) {
        Matcher swap = SWAP.matcher(t.text);
        if (swap.matches()) {
            c.next();
            byteSwap(t, Syntax.SWAP_BY_TEXT.get(swap.group(1)), Integer.parseInt(swap.group(2)));
        } else if (Syntax.FETCH_BY_TEXT.containsKey(t.text)) {
            c.next();
            fetch(Syntax.FETCH_BY_TEXT.get(t.text));
        } else if (t.text.equals("xchg_64") || t.text.equals("xchg32_32")) {
            c.next();
            xchg(t.text.equals("xchg_64") ? Size.DW : Size.W);
        } else if (t.text.equals("cmpxchg_64") || t.text.equals("cmpxchg32_32")) {
            c.next();
            cmpxchg(t.text.equals("cmpxchg_64") ? Size.DW : Size.W);
        } else if (c.peek(1).is("[")) {
            requireWide("a 64-bit immediate load");
            Insn insn;
            try {
                insn = new PseudoParser(c, dst.reg).parse(asm, labels);
            } catch (InvalidInstructionException e) {
                throw AssemblerException.at(c.line(), dst.token.column, e.problem(), e);
            }
            if (insn != null) {
                emit(() -> insn);
            }
        } else {
            throw c.error(t, "unknown operation '" + t.text + "'");
        }
    }

    private void byteSwap(Token t, SwapKind kind, int bits) {
        requireWide("a byte swap");
        Cursor.RegRef r = c.reg();
        if (!r.sameAs(dst)) {
            throw c.error(r.token, "a byte swap is in place: write " + dst.token.text + " = " + t.text + " "
                    + dst.token.text);
        }
        emit(() -> new ByteSwap(kind, bits, dst.reg));
    }

    /** {@code w2 = atomic_fetch_add((u32 *)(r1 + 0), w2)}. */
    private void fetch(AtomicOp op) {
        c.expect("(");
        Cursor.Cast cast = c.pointerCast();
        Cursor.Mem mem = c.memoryAfterStar();
        c.expect(",");
        Cursor.RegRef src = operandSameAsDst("atomic fetch writes the old value into its operand");
        c.expect(")");
        emit(() -> new Atomic(cast.size, op, mem.base, mem.offset, src.reg));
    }

    /** {@code r2 = xchg_64(r1 + 0, r2)}. */
    private void xchg(Size size) {
        c.expect("(");
        Cursor.Mem mem = c.address();
        c.expect(",");
        Cursor.RegRef src = operandSameAsDst("xchg writes the old value into its operand");
        c.expect(")");
        checkAtomicWidth(size);
        emit(() -> new Atomic(size, AtomicOp.XCHG, mem.base, mem.offset, src.reg));
    }

    /** {@code r0 = cmpxchg_64(r1 + 0, r0, r2)}. */
    private void cmpxchg(Size size) {
        if (dst.reg != Reg.R0) {
            throw c.error(dst.token, "cmpxchg writes r0, found " + dst.token.text);
        }
        checkAtomicWidth(size);
        c.expect("(");
        Cursor.Mem mem = c.address();
        c.expect(",");
        Cursor.RegRef expected = c.reg();
        if (expected.reg != Reg.R0) {
            throw c.error(expected.token, "cmpxchg compares with r0, found " + expected.token.text);
        }
        c.expect(",");
        Reg src = c.reg().reg;
        c.expect(")");
        emit(() -> new Atomic(size, AtomicOp.CMPXCHG, mem.base, mem.offset, src));
    }

    private void checkAtomicWidth(Size size) {
        if (size == Size.DW && dst.width != Width.W64) {
            requireWide("a 64-bit atomic");
        }
    }

    private Cursor.RegRef operandSameAsDst(String why) {
        Cursor.RegRef r = c.reg();
        if (r.reg != dst.reg) {
            throw c.error(r.token, why + ": write " + dst.token.text + " on both sides, found " + r.token.text);
        }
        return r;
    }
}
