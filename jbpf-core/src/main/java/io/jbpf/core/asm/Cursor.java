package io.jbpf.core.asm;

import io.jbpf.core.insn.Reg;
import io.jbpf.core.insn.Size;
import io.jbpf.core.insn.Width;
import java.util.List;

/** Reads the tokens of one line, with the operand parsers shared by all statements. */
final class Cursor {
    /** A register as written: its number and whether it was {@code rN} or {@code wN}. */
    static final class RegRef {
        final Reg reg;
        final Width width;
        final Token token;

        RegRef(Reg reg, Width width, Token token) {
            this.reg = reg;
            this.width = width;
            this.token = token;
        }

        boolean sameAs(RegRef other) {
            return reg == other.reg && width == other.width;
        }
    }

    /** A memory operand {@code rN + off}. */
    static final class Mem {
        final Reg base;
        final int offset;

        Mem(Reg base, int offset) {
            this.base = base;
            this.offset = offset;
        }
    }

    /** A cast such as {@code (u32 *)} or {@code (s8)}. */
    static final class Cast {
        final Size size;
        final boolean signed;
        final Token token;

        Cast(Size size, boolean signed, Token token) {
            this.size = size;
            this.signed = signed;
            this.token = token;
        }
    }

    private final List<Token> tokens;
    private final int line;
    private int pos;

    Cursor(List<Token> tokens, int line) {
        this.tokens = tokens;
        this.line = line;
    }

    int line() {
        return line;
    }

    Token peek() {
        return tokens.get(pos);
    }

    Token peek(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    Token next() {
        Token t = tokens.get(pos);
        if (t.kind != Token.Kind.END) {
            pos++;
        }
        return t;
    }

    boolean atEnd() {
        return peek().kind == Token.Kind.END;
    }

    boolean accept(String text) {
        if (peek().is(text)) {
            pos++;
            return true;
        }
        return false;
    }

    Token expect(String text) {
        if (!peek().is(text)) {
            throw error(peek(), "expected '" + text + "', found " + peek().describe());
        }
        return next();
    }

    void expectEnd() {
        if (!atEnd()) {
            throw error(peek(), "unexpected " + peek().describe() + " after the instruction");
        }
    }

    AssemblerException error(Token at, String problem) {
        return AssemblerException.at(line, at.column, problem, null);
    }

    RegRef reg() {
        Token t = peek();
        if (!t.isRegister()) {
            throw error(t, "expected a register (r0..r10 or w0..w10), found " + t.describe());
        }
        next();
        Width w = t.text.charAt(0) == 'r' ? Width.W64 : Width.W32;
        return new RegRef(Reg.of(Integer.parseInt(t.text.substring(1))), w, t);
    }

    /** A register that must be written {@code rN}: a base address, a 64-bit only operand. */
    Reg reg64(String role) {
        RegRef r = reg();
        if (r.width != Width.W64) {
            throw error(r.token, role + " must be a 64-bit register (r" + r.reg.number() + "), found " + r.token.text);
        }
        return r.reg;
    }

    /** A register with the same width as {@code like}. */
    RegRef regLike(RegRef like) {
        RegRef r = reg();
        if (r.width != like.width) {
            throw error(r.token, "register " + r.token.text + " does not match the width of " + like.token.text
                    + " (use " + (like.width == Width.W64 ? "r" : "w") + r.reg.number() + ")");
        }
        return r;
    }

    boolean atNumber() {
        Token t = peek();
        return t.kind == Token.Kind.NUMBER
                || ((t.is("-") || t.is("+")) && peek(1).kind == Token.Kind.NUMBER);
    }

    /** An optionally signed number, as 64 bits (wrapping). */
    long number64() {
        Token first = peek();
        boolean negative = accept("-");
        if (!negative) {
            accept("+");
        }
        Token t = peek();
        if (t.kind != Token.Kind.NUMBER) {
            throw error(first, "expected a number, found " + first.describe());
        }
        next();
        return negative ? -t.value : t.value;
    }

    /**
     * An optionally signed number that fits a 32-bit immediate.
     *
     * @param unsignedToo whether 2^31..2^32-1 are allowed too (where the value is not
     *                    sign-extended to 64 bits); they wrap to negative
     */
    int imm32(boolean unsignedToo) {
        Token first = peek();
        String shown = signedText();
        boolean negative = peek().is("-");
        long v = number64();
        long max = unsignedToo ? 0xffffffffL : Integer.MAX_VALUE;
        boolean fits = negative ? (v <= 0 && v >= Integer.MIN_VALUE) : (v >= 0 && v <= max);
        if (!fits) {
            throw error(first, "immediate " + shown + " does not fit in 32 bits"
                    + (unsignedToo ? "" : " (signed: it is sign-extended to 64 bits)"));
        }
        return (int) v;
    }

    /** A signed 32-bit value with an explicit or implicit sign: a jump or call offset. */
    int offset32() {
        Token first = peek();
        String shown = signedText();
        long v = number64();
        boolean negative = first.is("-");
        if (negative ? (v > 0 || v < Integer.MIN_VALUE) : (v < 0 || v > Integer.MAX_VALUE)) {
            throw error(first, "offset " + shown + " does not fit in 32 bits");
        }
        return (int) v;
    }

    /** The text of the (optionally signed) number at the cursor, for messages. */
    private String signedText() {
        Token first = peek();
        return first.is("-") || first.is("+") ? first.text + peek(1).text : first.text;
    }

    /** {@code rN + off}, {@code rN - off} or {@code rN}, the inside of a memory operand. */
    Mem address() {
        Reg base = reg64("a base address");
        if (peek().is("+") || peek().is("-")) {
            return new Mem(base, offset32());
        }
        return new Mem(base, 0);
    }

    /** {@code (u32 *)}, {@code (s16 *)}: the size cast of a memory access. */
    Cast pointerCast() {
        expect("(");
        Cast c = sizeName();
        expect("*");
        expect(")");
        return c;
    }

    Cast sizeName() {
        Token t = peek();
        Size size = t.kind == Token.Kind.WORD ? Syntax.sizeOf(t.text) : null;
        if (size == null) {
            throw error(t, "expected a size (u8, u16, u32, u64, s8, s16, s32), found " + t.describe());
        }
        next();
        return new Cast(size, t.text.charAt(0) == 's', t);
    }

    /** {@code *(u32 *)(r1 + 4)}: a memory operand, after the leading '*'. */
    Mem memoryAfterStar() {
        expect("(");
        Mem m = address();
        expect(")");
        return m;
    }
}
