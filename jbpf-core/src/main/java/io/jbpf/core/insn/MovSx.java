package io.jbpf.core.insn;

/**
 * Sign-extending move (ISA v4), {@code dst = (s8) src}: a {@code BPF_MOV | BPF_X} whose offset
 * field holds the number of low bits of src to sign-extend.
 *
 * @param width    32-bit ({@code w1 = (s8)w2}) or 64-bit ({@code r1 = (s32)r2})
 * @param dst      the destination
 * @param src      the source register
 * @param fromBits 8 or 16, or 32 for the 64-bit width
 */
public record MovSx(Width width, Reg dst, Reg src, int fromBits) implements Insn {
    /** Checks the fields. */
    public MovSx {
        Check.notNull(width, "MOVSX width");
        Check.notNull(dst, "MOVSX dst register");
        Check.notNull(src, "MOVSX src register");
        boolean ok = fromBits == 8 || fromBits == 16 || (fromBits == 32 && width == Width.W64);
        if (!ok) {
            throw new InvalidInstructionException("MOVSX cannot sign-extend from " + fromBits
                    + " bits in " + (width == Width.W64 ? "64" : "32") + "-bit mode (8, 16"
                    + (width == Width.W64 ? " or 32)" : ")"));
        }
    }

    @Override
    public <R> R accept(InsnVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
