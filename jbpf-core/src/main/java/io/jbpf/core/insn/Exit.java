package io.jbpf.core.insn;

/** Return from the program or subprogram with r0 as the result ({@code BPF_EXIT}). */
public record Exit() implements Insn {
    @Override
    public <R> R accept(InsnVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
