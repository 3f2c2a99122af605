package io.jbpf.core.insn;

/**
 * The atomic operations of an {@link Atomic} instruction, with the value of its immediate field.
 * The {@code FETCH_} variants ({@code BPF_FETCH} = 0x01) also write the old memory value into the
 * src register; {@link #XCHG} and {@link #CMPXCHG} always fetch ({@code CMPXCHG} compares with and
 * writes to r0).
 */
public enum AtomicOp {
    /** {@code lock *(dst + off) += src}. */
    ADD(0x00),
    /** {@code lock *(dst + off) |= src}. */
    OR(0x40),
    /** {@code lock *(dst + off) &= src}. */
    AND(0x50),
    /** {@code lock *(dst + off) ^= src}. */
    XOR(0xa0),
    /** {@code src = atomic_fetch_add(dst + off, src)}. */
    FETCH_ADD(0x01),
    /** {@code src = atomic_fetch_or(dst + off, src)}. */
    FETCH_OR(0x41),
    /** {@code src = atomic_fetch_and(dst + off, src)}. */
    FETCH_AND(0x51),
    /** {@code src = atomic_fetch_xor(dst + off, src)}. */
    FETCH_XOR(0xa1),
    /** {@code src = xchg(dst + off, src)} ({@code BPF_XCHG}). */
    XCHG(0xe1),
    /** {@code r0 = cmpxchg(dst + off, r0, src)} ({@code BPF_CMPXCHG}). */
    CMPXCHG(0xf1);

    /** The {@code BPF_FETCH} flag. */
    public static final int FETCH = 0x01;

    private final int imm;

    AtomicOp(int imm) {
        this.imm = imm;
    }

    /** The value of the immediate field that selects this operation. */
    public int imm() {
        return imm;
    }

    /** Whether the operation writes the old value back into a register. */
    public boolean fetches() {
        return (imm & FETCH) != 0;
    }

    /** The operation with this immediate, or {@code null}. */
    static AtomicOp of(int imm) {
        for (AtomicOp op : values()) {
            if (op.imm == imm) {
                return op;
            }
        }
        return null;
    }
}
