package io.jbpf.core.insn;

/** The source bit of an ALU or jump opcode ({@code BPF_SRC}). */
public enum Source {
    /** The immediate is the operand ({@code BPF_K}). */
    K(0x00),
    /** The src register is the operand ({@code BPF_X}). */
    X(0x08);

    private final int code;

    Source(int code) {
        this.code = code;
    }

    /** The kernel's number, already shifted into place in the opcode. */
    public int code() {
        return code;
    }

    /** The source of an operand. */
    public static Source of(Operand operand) {
        return operand instanceof Reg ? X : K;
    }
}
