package io.jbpf.core.insn;

/**
 * A 32-bit immediate source operand ({@code BPF_K}). In 64-bit operations the kernel sign-extends
 * it to 64 bits.
 *
 * @param value the immediate as the instruction's {@code imm} field holds it
 */
public record Imm(int value) implements Operand {
    /** Shorthand for {@code new Imm(value)}. */
    public static Imm of(int value) {
        return new Imm(value);
    }
}
