package io.jbpf.core.insn;

/**
 * Load of a 64-bit constant, {@code r1 = 0x1234 ll} ({@code BPF_LD | BPF_IMM | BPF_DW}, src 0):
 * two slots, the second holding the upper 32 bits.
 *
 * @param dst   the destination
 * @param value the constant
 */
public record LoadImm64(Reg dst, long value) implements Insn {
    /** Checks the register. */
    public LoadImm64 {
        Check.notNull(dst, "64-bit load dst register");
    }

    @Override
    public int slots() {
        return 2;
    }

    @Override
    public <R> R accept(InsnVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
