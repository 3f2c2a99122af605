package io.jbpf.core.insn;

/**
 * Legacy packet load at an absolute offset, {@code r0 = *(u16 *)skb[imm]}
 * ({@code BPF_LD | BPF_ABS}): reads network-order data from the socket buffer in r6 into r0.
 *
 * @param size 1, 2 or 4 bytes
 * @param imm  the offset in the packet
 */
public record LoadAbs(Size size, int imm) implements Insn {
    /** Checks the size. */
    public LoadAbs {
        Check.sizeIn(size, "legacy packet load", Size.B, Size.H, Size.W);
    }

    @Override
    public <R> R accept(InsnVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
