package io.jbpf.core.insn;

/**
 * A binary arithmetic or logic operation, {@code dst op= src}: for example {@code r1 += r2}
 * ({@link Width#W64}) or {@code w1 s/= 3} ({@link Width#W32}, {@link AluOp#SDIV}).
 *
 * @param width 32-bit ({@code BPF_ALU}) or 64-bit ({@code BPF_ALU64})
 * @param op    the operation
 * @param dst   the destination (and left operand)
 * @param src   the right operand: a register or a 32-bit immediate
 */
public record Alu(Width width, AluOp op, Reg dst, Operand src) implements Insn {
    /** Checks the fields. */
    public Alu {
        Check.notNull(width, "ALU width");
        Check.notNull(op, "ALU operation");
        Check.notNull(dst, "ALU dst register");
        Check.notNull(src, "ALU source operand");
    }

    @Override
    public <R> R accept(InsnVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
