package io.jbpf.core.insn;

/**
 * The binary ALU operations of an {@link Alu} instruction, with the kernel's operation code
 * ({@code BPF_OP}, top four bits of the opcode) and the value of the offset field that selects the
 * signed variant. Negation ({@link Neg}), byte swaps ({@link ByteSwap}) and sign-extending moves
 * ({@link MovSx}) are instructions of their own.
 */
public enum AluOp {
    /** {@code dst += src}. */
    ADD(0x00, 0),
    /** {@code dst -= src}. */
    SUB(0x10, 0),
    /** {@code dst *= src}. */
    MUL(0x20, 0),
    /** Unsigned {@code dst /= src}. */
    DIV(0x30, 0),
    /** Signed {@code dst s/= src} (offset 1, ISA v4). */
    SDIV(0x30, 1),
    /** {@code dst |= src}. */
    OR(0x40, 0),
    /** {@code dst &= src}. */
    AND(0x50, 0),
    /** {@code dst <<= src}. */
    LSH(0x60, 0),
    /** Logical {@code dst >>= src}. */
    RSH(0x70, 0),
    /** Unsigned {@code dst %= src}. */
    MOD(0x90, 0),
    /** Signed {@code dst s%= src} (offset 1, ISA v4). */
    SMOD(0x90, 1),
    /** {@code dst ^= src}. */
    XOR(0xa0, 0),
    /** {@code dst = src}. */
    MOV(0xb0, 0),
    /** Arithmetic (sign-filling) {@code dst s>>= src}. */
    ARSH(0xc0, 0);

    private final int code;
    private final int offset;

    AluOp(int code, int offset) {
        this.code = code;
        this.offset = offset;
    }

    /** The kernel's operation code, already shifted into place in the opcode. */
    public int code() {
        return code;
    }

    /** The value of the offset field (1 for the signed division and modulo, else 0). */
    public int offset() {
        return offset;
    }

    /** The operation with this code and offset, or {@code null}. */
    static AluOp of(int code, int offset) {
        for (AluOp op : values()) {
            if (op.code == code && op.offset == offset) {
                return op;
            }
        }
        return null;
    }
}
