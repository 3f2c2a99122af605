package io.jbpf.core.insn;

/**
 * Unconditional jump with a 32-bit offset, {@code gotol +offset} ({@code BPF_JMP32 | BPF_JA},
 * ISA v4): the offset lives in the immediate field.
 *
 * @param offset slots to skip, relative to the next slot
 */
public record GotoLong(int offset) implements Insn {
    @Override
    public <R> R accept(InsnVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
