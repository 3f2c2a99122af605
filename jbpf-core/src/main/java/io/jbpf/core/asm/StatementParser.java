package io.jbpf.core.asm;

import io.jbpf.core.insn.AtomicOp;
import io.jbpf.core.insn.Atomic;
import io.jbpf.core.insn.CallHelper;
import io.jbpf.core.insn.CallKfunc;
import io.jbpf.core.insn.CallLocal;
import io.jbpf.core.insn.CallReg;
import io.jbpf.core.insn.Exit;
import io.jbpf.core.insn.Goto;
import io.jbpf.core.insn.GotoLong;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Imm;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.Jump;
import io.jbpf.core.insn.JumpCond;
import io.jbpf.core.insn.Operand;
import io.jbpf.core.insn.RawInsn;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.insn.Size;
import io.jbpf.core.insn.Store;
import io.jbpf.core.insn.StoreImm;
import io.jbpf.core.insn.UnknownHelperException;
import io.jbpf.core.insn.Width;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Parses one line: an optional slot number ({@code 12:}), an optional label ({@code name:}) and an
 * optional statement. Statements that start with a register are left to {@link AssignmentParser}.
 */
final class StatementParser {
    private final Assembler asm;
    private final Set<String> labels;
    private final Cursor c;

    StatementParser(Assembler asm, Set<String> labels, Cursor c) {
        this.asm = asm;
        this.labels = labels;
        this.c = c;
    }

    void parse() {
        if (c.peek().kind == Token.Kind.NUMBER && c.peek(1).is(":")) {
            c.next();
            c.next();
        }
        Token t = c.peek();
        if (t.kind == Token.Kind.WORD && !t.isRegister() && c.peek(1).is(":")) {
            c.next();
            c.next();
            asm.label(t.text, c.line(), t.column);
        }
        if (c.atEnd()) {
            return;
        }
        t = c.peek();
        if (t.isRegister()) {
            new AssignmentParser(asm, labels, c).parse();
        } else if (t.is("*")) {
            store(t);
        } else if (t.kind == Token.Kind.WORD) {
            word(t);
        } else {
            throw c.error(t, "expected an instruction, found " + t.describe());
        }
        c.expectEnd();
    }

    private void word(Token t) {
        switch (t.text) {
            case "exit":
                c.next();
                emit(t, Exit::new);
                break;
            case "goto":
                c.next();
                target(t, Goto::new);
                break;
            case "gotol":
                c.next();
                target(t, GotoLong::new);
                break;
            case "call":
                c.next();
                call(t);
                break;
            case "callx":
                c.next();
                Reg r = c.reg64("the callx operand");
                emit(t, () -> new CallReg(r));
                break;
            case "if":
                c.next();
                conditional(t);
                break;
            case "lock":
                c.next();
                lock(t);
                break;
            case ".raw":
                c.next();
                raw(t);
                break;
            default:
                throw c.error(t, "unknown instruction '" + t.text + "'");
        }
    }

    private void emit(Token at, java.util.function.Supplier<Insn> make) {
        asm.add(make, c.line(), at.column);
    }

    /** A jump target: {@code +3}, {@code -0x1} or a label. */
    private void target(Token at, IntFunction<Insn> make) {
        Token t = c.peek();
        if (t.kind == Token.Kind.WORD && !t.isRegister()) {
            c.next();
            asm.ref(t.text, make, c.line(), t.column);
        } else if (c.atNumber()) {
            int off = c.offset32();
            emit(at, () -> make.apply(off));
        } else {
            throw c.error(t, "expected a jump target (+N, -N or a label), found " + t.describe());
        }
    }

    private void call(Token at) {
        Token t = c.peek();
        if (c.atNumber()) {
            int id = c.imm32(true);
            emit(at, () -> new CallHelper(id));
        } else if (t.is("pc") && (c.peek(1).is("+") || c.peek(1).is("-"))) {
            c.next();
            int off = c.offset32();
            emit(at, () -> new CallLocal(off));
        } else if (t.is("kfunc") && c.peek(1).is("[")) {
            c.next();
            c.next();
            int id = c.imm32(true);
            int idx = c.accept(",") ? c.imm32(false) : 0;
            c.expect("]");
            emit(at, () -> new CallKfunc(id, idx));
        } else if (t.kind == Token.Kind.WORD && !t.isRegister()) {
            c.next();
            if (labels.contains(t.text)) {
                asm.ref(t.text, CallLocal::new, c.line(), t.column);
            } else {
                Helper h = helper(t);
                emit(at, () -> CallHelper.of(h));
            }
        } else {
            throw c.error(t, "expected a helper number or name, pc+N, kfunc[id] or a label, found "
                    + t.describe());
        }
    }

    private Helper helper(Token t) {
        try {
            return Helper.ofName(t.text);
        } catch (UnknownHelperException e) {
            throw c.error(t, e.getMessage() + " (nor a label of this program)");
        }
    }

    /** {@code if r1 s< r2 goto +3}, after the {@code if}. */
    private void conditional(Token at) {
        Cursor.RegRef dst = c.reg();
        Token opToken = c.next();
        JumpCond cond = Syntax.JUMP_BY_TEXT.get(opToken.text);
        if (opToken.kind != Token.Kind.PUNCT || cond == null) {
            throw c.error(opToken, "expected a comparison (==, !=, >, >=, <, <=, s>, s>=, s<, s<=, &), found "
                    + opToken.describe());
        }
        Operand src = c.peek().isRegister()
                ? c.regLike(dst).reg
                : new Imm(c.imm32(dst.width == Width.W32));
        c.expect("goto");
        target(at, off -> new Jump(dst.width, cond, dst.reg, src, off));
    }

    /** {@code lock *(u64 *)(r1 + 0) += r2}, after the {@code lock}. */
    private void lock(Token at) {
        c.expect("*");
        Cursor.Cast cast = c.pointerCast();
        Cursor.Mem mem = c.memoryAfterStar();
        Token opToken = c.next();
        AtomicOp op = Syntax.LOCK_BY_TEXT.get(opToken.text);
        if (op == null) {
            throw c.error(opToken, "expected an atomic operator (+=, |=, &=, ^=), found " + opToken.describe());
        }
        Reg src = valueReg(cast.size);
        emit(at, () -> new Atomic(cast.size, op, mem.base, mem.offset, src));
    }

    /** {@code *(u32 *)(r10 - 4) = w1} or {@code = 5}. */
    private void store(Token at) {
        c.next();
        Cursor.Cast cast = c.pointerCast();
        if (cast.signed) {
            throw c.error(cast.token, "a store has an unsigned size (u8, u16, u32, u64)");
        }
        Cursor.Mem mem = c.memoryAfterStar();
        c.expect("=");
        if (c.peek().isRegister()) {
            Reg src = valueReg(cast.size);
            emit(at, () -> new Store(cast.size, mem.base, mem.offset, src));
        } else {
            int imm = c.imm32(cast.size != Size.DW);
            emit(at, () -> new StoreImm(cast.size, mem.base, mem.offset, imm));
        }
    }

    /** A register holding a value moved to or from memory: {@code wN} only below 8 bytes. */
    private Reg valueReg(Size size) {
        Cursor.RegRef r = c.reg();
        if (size == Size.DW && r.width != Width.W64) {
            throw c.error(r.token, "an 8-byte value needs a 64-bit register (r" + r.reg.number()
                    + "), found " + r.token.text);
        }
        return r.reg;
    }

    /** {@code .raw opcode, dst, src, off, imm}. */
    private void raw(Token at) {
        int opcode = c.imm32(true);
        c.expect(",");
        int dst = c.imm32(true);
        c.expect(",");
        int src = c.imm32(true);
        c.expect(",");
        int off = c.imm32(false);
        c.expect(",");
        int imm = c.imm32(true);
        emit(at, () -> new RawInsn(opcode, dst, src, off, imm));
    }
}
