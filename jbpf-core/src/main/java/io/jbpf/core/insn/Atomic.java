package io.jbpf.core.insn;

/**
 * Atomic read-modify-write of memory ({@code BPF_STX | BPF_ATOMIC}), e.g.
 * {@code lock *(u64 *)(r1 + 0) += r2} or {@code r2 = atomic_fetch_add((u64 *)(r1 + 0), r2)}.
 *
 * @param size   4 or 8 bytes ({@link Size#W} or {@link Size#DW})
 * @param op     the operation
 * @param dst    the base address
 * @param offset added to the base (16-bit signed)
 * @param src    the operand; receives the old value for fetching operations
 */
public record Atomic(Size size, AtomicOp op, Reg dst, int offset, Reg src) implements Insn {
    /** Checks the fields. */
    public Atomic {
        Check.sizeIn(size, "atomic operation", Size.W, Size.DW);
        Check.notNull(op, "atomic operation");
        Check.notNull(dst, "atomic dst register");
        Check.off16(offset, "atomic offset");
        Check.notNull(src, "atomic src register");
    }

    @Override
    public <R> R accept(InsnVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
