package io.jbpf.core.insn;

/**
 * Unconditional jump with a 16-bit offset, {@code goto +offset} ({@code BPF_JMP | BPF_JA}).
 *
 * @param offset slots to skip, relative to the next slot (16-bit signed)
 */
public record Goto(int offset) implements Insn {
    /** Checks the offset. */
    public Goto {
        Check.off16(offset, "goto offset");
    }

    @Override
    public <R> R accept(InsnVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
