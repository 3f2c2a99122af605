package io.jbpf.core.asm;

import io.jbpf.core.insn.AluOp;
import io.jbpf.core.insn.AtomicOp;
import io.jbpf.core.insn.JumpCond;
import io.jbpf.core.insn.Size;
import io.jbpf.core.insn.SwapKind;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/** The words and operators of the text syntax, both ways. */
final class Syntax {
    private Syntax() {}

    static final Map<AluOp, String> ALU = new EnumMap<>(AluOp.class);
    static final Map<String, AluOp> ALU_BY_TEXT = new HashMap<>();
    static final Map<JumpCond, String> JUMP = new EnumMap<>(JumpCond.class);
    static final Map<String, JumpCond> JUMP_BY_TEXT = new HashMap<>();
    /** The compound operator of the non-fetching atomics: {@code lock *(u64 *)(r1 + 0) += r2}. */
    static final Map<AtomicOp, String> LOCK = new EnumMap<>(AtomicOp.class);
    static final Map<String, AtomicOp> LOCK_BY_TEXT = new HashMap<>();
    /** The function name of the fetching atomics: {@code atomic_fetch_add}. */
    static final Map<AtomicOp, String> FETCH = new EnumMap<>(AtomicOp.class);
    static final Map<String, AtomicOp> FETCH_BY_TEXT = new HashMap<>();
    static final Map<SwapKind, String> SWAP = new EnumMap<>(SwapKind.class);
    static final Map<String, SwapKind> SWAP_BY_TEXT = new HashMap<>();

    static {
        alu(AluOp.ADD, "+=");
        alu(AluOp.SUB, "-=");
        alu(AluOp.MUL, "*=");
        alu(AluOp.DIV, "/=");
        alu(AluOp.SDIV, "s/=");
        alu(AluOp.OR, "|=");
        alu(AluOp.AND, "&=");
        alu(AluOp.LSH, "<<=");
        alu(AluOp.RSH, ">>=");
        alu(AluOp.MOD, "%=");
        alu(AluOp.SMOD, "s%=");
        alu(AluOp.XOR, "^=");
        alu(AluOp.MOV, "=");
        alu(AluOp.ARSH, "s>>=");
        jump(JumpCond.EQ, "==");
        jump(JumpCond.GT, ">");
        jump(JumpCond.GE, ">=");
        jump(JumpCond.SET, "&");
        jump(JumpCond.NE, "!=");
        jump(JumpCond.SGT, "s>");
        jump(JumpCond.SGE, "s>=");
        jump(JumpCond.LT, "<");
        jump(JumpCond.LE, "<=");
        jump(JumpCond.SLT, "s<");
        jump(JumpCond.SLE, "s<=");
        lock(AtomicOp.ADD, "+=");
        lock(AtomicOp.OR, "|=");
        lock(AtomicOp.AND, "&=");
        lock(AtomicOp.XOR, "^=");
        fetch(AtomicOp.FETCH_ADD, "atomic_fetch_add");
        fetch(AtomicOp.FETCH_OR, "atomic_fetch_or");
        fetch(AtomicOp.FETCH_AND, "atomic_fetch_and");
        fetch(AtomicOp.FETCH_XOR, "atomic_fetch_xor");
        swap(SwapKind.LE, "le");
        swap(SwapKind.BE, "be");
        swap(SwapKind.BSWAP, "bswap");
    }

    private static void alu(AluOp op, String text) {
        ALU.put(op, text);
        ALU_BY_TEXT.put(text, op);
    }

    private static void jump(JumpCond c, String text) {
        JUMP.put(c, text);
        JUMP_BY_TEXT.put(text, c);
    }

    private static void lock(AtomicOp op, String text) {
        LOCK.put(op, text);
        LOCK_BY_TEXT.put(text, op);
    }

    private static void fetch(AtomicOp op, String text) {
        FETCH.put(op, text);
        FETCH_BY_TEXT.put(text, op);
    }

    private static void swap(SwapKind k, String text) {
        SWAP.put(k, text);
        SWAP_BY_TEXT.put(text, k);
    }

    /** {@code u8}, {@code u16}, {@code u32}, {@code u64}. */
    static String unsigned(Size size) {
        return "u" + size.bytes() * 8;
    }

    /** {@code s8}, {@code s16}, {@code s32}. */
    static String signed(Size size) {
        return "s" + size.bytes() * 8;
    }

    /** The size named {@code u8} … {@code u64} (or {@code s8} … {@code s64}), or null. */
    static Size sizeOf(String name) {
        if (name.length() < 2 || (name.charAt(0) != 'u' && name.charAt(0) != 's')) {
            return null;
        }
        switch (name.substring(1)) {
            case "8":
                return Size.B;
            case "16":
                return Size.H;
            case "32":
                return Size.W;
            case "64":
                return Size.DW;
            default:
                return null;
        }
    }

    /** {@code xchg_64} / {@code xchg32_32}. */
    static String xchg(Size size) {
        return size == Size.DW ? "xchg_64" : "xchg32_32";
    }

    /** {@code cmpxchg_64} / {@code cmpxchg32_32}. */
    static String cmpxchg(Size size) {
        return size == Size.DW ? "cmpxchg_64" : "cmpxchg32_32";
    }
}
