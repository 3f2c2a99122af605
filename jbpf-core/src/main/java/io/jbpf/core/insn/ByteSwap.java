package io.jbpf.core.insn;

/**
 * Byte swap ({@code BPF_END}) of the low {@code bits} of dst, in place: {@code r0 = be16 r0},
 * {@code r0 = le32 r0} or {@code r0 = bswap64 r0}. The result is zero-extended to 64 bits.
 *
 * @param kind to little endian, to big endian, or unconditional (ISA v4)
 * @param bits 16, 32 or 64
 * @param dst  the register swapped in place
 */
public record ByteSwap(SwapKind kind, int bits, Reg dst) implements Insn {
    /** Checks the fields. */
    public ByteSwap {
        Check.notNull(kind, "byte swap kind");
        Check.notNull(dst, "byte swap register");
        if (bits != 16 && bits != 32 && bits != 64) {
            throw new InvalidInstructionException("byte swap width " + bits + " is not 16, 32 or 64");
        }
    }

    @Override
    public <R> R accept(InsnVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
