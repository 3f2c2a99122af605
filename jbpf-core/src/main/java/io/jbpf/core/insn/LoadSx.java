package io.jbpf.core.insn;

/**
 * Sign-extending load (ISA v4), {@code dst = *(s16 *)(src + offset)} ({@code BPF_LDX | BPF_MEMSX}).
 *
 * @param size   1, 2 or 4 bytes ({@link Size#B}, {@link Size#H}, {@link Size#W})
 * @param dst    the destination
 * @param src    the base address
 * @param offset added to the base (16-bit signed)
 */
public record LoadSx(Size size, Reg dst, Reg src, int offset) implements Insn {
    /** Checks the fields. */
    public LoadSx {
        Check.sizeIn(size, "sign-extending load", Size.B, Size.H, Size.W);
        Check.notNull(dst, "load dst register");
        Check.notNull(src, "load src register");
        Check.off16(offset, "load offset");
    }

    @Override
    public <R> R accept(InsnVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
