package io.jbpf.core.insn;

/**
 * Negation, {@code dst = -dst} ({@code BPF_NEG}).
 *
 * @param width 32-bit or 64-bit
 * @param dst   the register negated in place
 */
public record Neg(Width width, Reg dst) implements Insn {
    /** Checks the fields. */
    public Neg {
        Check.notNull(width, "NEG width");
        Check.notNull(dst, "NEG dst register");
    }

    @Override
    public <R> R accept(InsnVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
