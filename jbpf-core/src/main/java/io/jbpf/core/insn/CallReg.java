package io.jbpf.core.insn;

/**
 * Indirect call of the address in a register, {@code callx r3} (opcode 0x8d,
 * {@code BPF_JMP | BPF_CALL | BPF_X}; the register is in the dst field).
 *
 * @param reg the register holding the target
 */
public record CallReg(Reg reg) implements Insn {
    /** Checks the register. */
    public CallReg {
        Check.notNull(reg, "callx register");
    }

    @Override
    public <R> R accept(InsnVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
