package io.jbpf.core.insn;

/**
 * Store of a register, {@code *(u64 *)(dst + offset) = src} ({@code BPF_STX | BPF_MEM}).
 *
 * @param size   bytes to store (the low bytes of src)
 * @param dst    the base address
 * @param offset added to the base (16-bit signed)
 * @param src    the value
 */
public record Store(Size size, Reg dst, int offset, Reg src) implements Insn {
    /** Checks the fields. */
    public Store {
        Check.notNull(size, "store size");
        Check.notNull(dst, "store dst register");
        Check.off16(offset, "store offset");
        Check.notNull(src, "store src register");
    }

    @Override
    public <R> R accept(InsnVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
