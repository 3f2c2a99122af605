package io.jbpf.core.insn;

/**
 * The eleven eBPF registers. R0 holds return values, R1–R5 arguments, R6–R9 are callee-saved and
 * R10 is the read-only frame pointer.
 */
public enum Reg implements Operand {
    R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10;

    private static final Reg[] ALL = values();

    /** The register number, 0..10, as it appears in the dst/src fields. */
    public int number() {
        return ordinal();
    }

    /**
     * The register with this number.
     *
     * @throws InvalidInstructionException if {@code number} is not 0..10
     */
    public static Reg of(int number) {
        if (number < 0 || number >= ALL.length) {
            throw new InvalidInstructionException("register r" + number + " does not exist (r0..r10)");
        }
        return ALL[number];
    }
}
