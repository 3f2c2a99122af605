package io.jbpf.core.insn;

/**
 * Legacy packet load at a register plus offset, {@code r0 = *(u16 *)skb[r3 + imm]}
 * ({@code BPF_LD | BPF_IND}).
 *
 * @param size 1, 2 or 4 bytes
 * @param src  the register holding the base offset
 * @param imm  added to the base offset
 */
public record LoadInd(Size size, Reg src, int imm) implements Insn {
    /** Checks the fields. */
    public LoadInd {
        Check.sizeIn(size, "legacy packet load", Size.B, Size.H, Size.W);
        Check.notNull(src, "legacy packet load register");
    }

    @Override
    public <R> R accept(InsnVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
