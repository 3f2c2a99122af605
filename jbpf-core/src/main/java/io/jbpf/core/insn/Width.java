package io.jbpf.core.insn;

/**
 * The operand width of an ALU operation or a jump comparison: 32-bit ({@code BPF_ALU},
 * {@code BPF_JMP32}; registers written {@code wN}) or 64-bit ({@code BPF_ALU64}, {@code BPF_JMP};
 * registers written {@code rN}).
 */
public enum Width {
    /** 32-bit: {@code BPF_ALU} / {@code BPF_JMP32}; a 32-bit ALU result zero-extends into 64 bits. */
    W32(InsnClass.ALU, InsnClass.JMP32),
    /** 64-bit: {@code BPF_ALU64} / {@code BPF_JMP}. */
    W64(InsnClass.ALU64, InsnClass.JMP);

    private final InsnClass aluClass;
    private final InsnClass jumpClass;

    Width(InsnClass aluClass, InsnClass jumpClass) {
        this.aluClass = aluClass;
        this.jumpClass = jumpClass;
    }

    /** The instruction class of an ALU operation of this width. */
    public InsnClass aluClass() {
        return aluClass;
    }

    /** The instruction class of a jump of this width. */
    public InsnClass jumpClass() {
        return jumpClass;
    }
}
