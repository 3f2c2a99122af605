package io.jbpf.core.insn;

/**
 * Store of an immediate, {@code *(u32 *)(dst + offset) = imm} ({@code BPF_ST | BPF_MEM}). An
 * 8-byte store sign-extends the immediate.
 *
 * @param size   bytes to store
 * @param dst    the base address
 * @param offset added to the base (16-bit signed)
 * @param imm    the value
 */
public record StoreImm(Size size, Reg dst, int offset, int imm) implements Insn {
    /** Checks the fields. */
    public StoreImm {
        Check.notNull(size, "store size");
        Check.notNull(dst, "store dst register");
        Check.off16(offset, "store offset");
    }

    @Override
    public <R> R accept(InsnVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
