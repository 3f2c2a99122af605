package io.jbpf.core.insn;

/**
 * BPF-to-BPF call of a subprogram in the same program ({@code BPF_CALL}, src
 * {@code BPF_PSEUDO_CALL}).
 *
 * @param offset the subprogram's first slot, relative to the slot after the call
 */
public record CallLocal(int offset) implements Insn {
    @Override
    public <R> R accept(InsnVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
