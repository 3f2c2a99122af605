package io.jbpf.core.insn;

/**
 * Zero-extending load, {@code dst = *(u32 *)(src + offset)} ({@code BPF_LDX | BPF_MEM}).
 *
 * @param size   bytes to load
 * @param dst    the destination
 * @param src    the base address
 * @param offset added to the base (16-bit signed)
 */
public record Load(Size size, Reg dst, Reg src, int offset) implements Insn {
    /** Checks the fields. */
    public Load {
        Check.notNull(size, "load size");
        Check.notNull(dst, "load dst register");
        Check.notNull(src, "load src register");
        Check.off16(offset, "load offset");
    }

    @Override
    public <R> R accept(InsnVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
