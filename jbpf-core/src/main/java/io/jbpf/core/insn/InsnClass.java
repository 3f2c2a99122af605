package io.jbpf.core.insn;

/** The instruction class: the low three bits of the opcode ({@code BPF_CLASS}). */
public enum InsnClass {
    /** Non-standard loads: the 64-bit immediate and legacy packet access. */
    LD(0x00),
    /** Loads into a register. */
    LDX(0x01),
    /** Stores of an immediate. */
    ST(0x02),
    /** Stores of a register, and atomics. */
    STX(0x03),
    /** 32-bit arithmetic. */
    ALU(0x04),
    /** 64-bit jumps, calls and exit. */
    JMP(0x05),
    /** 32-bit jumps. */
    JMP32(0x06),
    /** 64-bit arithmetic. */
    ALU64(0x07);

    private static final InsnClass[] BY_CODE = values();

    private final int code;

    InsnClass(int code) {
        this.code = code;
    }

    /** The kernel's number ({@code BPF_LD} = 0 … {@code BPF_ALU64} = 7). */
    public int code() {
        return code;
    }

    /** The class of an opcode (its low three bits). */
    public static InsnClass ofOpcode(int opcode) {
        return BY_CODE[opcode & 0x07];
    }
}
