package io.jbpf.core.insn;

import java.util.Optional;

/**
 * Call of a kernel helper function by number, {@code call 1} ({@code BPF_CALL}, src 0).
 *
 * @param helperId the helper number ({@link Helper#id()}); numbers this version does not know are
 *                 allowed, for newer kernels
 */
public record CallHelper(int helperId) implements Insn {
    /** A call of {@code helper}. */
    public static CallHelper of(Helper helper) {
        return new CallHelper(Check.notNull(helper, "helper").id());
    }

    /** The helper, if this version knows its number. */
    public Optional<Helper> helper() {
        return HelperLookup.find(helperId);
    }

    @Override
    public <R> R accept(InsnVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
