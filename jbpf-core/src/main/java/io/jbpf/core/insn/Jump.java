package io.jbpf.core.insn;

/**
 * A conditional jump, {@code if dst cond src goto +offset}.
 *
 * @param width  compare 64 bits ({@code BPF_JMP}) or the low 32 bits ({@code BPF_JMP32})
 * @param cond   the condition
 * @param dst    the left operand
 * @param src    the right operand: a register or a 32-bit immediate
 * @param offset slots to skip when the condition holds, relative to the next slot (16-bit signed)
 */
public record Jump(Width width, JumpCond cond, Reg dst, Operand src, int offset) implements Insn {
    /** Checks the fields. */
    public Jump {
        Check.notNull(width, "jump width");
        Check.notNull(cond, "jump condition");
        Check.notNull(dst, "jump dst register");
        Check.notNull(src, "jump source operand");
        Check.off16(offset, "jump offset");
    }

    @Override
    public <R> R accept(InsnVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
