package io.jbpf.core.insn;

/**
 * The conditions of a conditional {@link Jump}, with the kernel's operation code ({@code BPF_OP}).
 * The unconditional jump, call and exit are instructions of their own.
 */
public enum JumpCond {
    /** {@code ==} ({@code BPF_JEQ}). */
    EQ(0x10),
    /** Unsigned {@code >} ({@code BPF_JGT}). */
    GT(0x20),
    /** Unsigned {@code >=} ({@code BPF_JGE}). */
    GE(0x30),
    /** {@code dst & src != 0} ({@code BPF_JSET}). */
    SET(0x40),
    /** {@code !=} ({@code BPF_JNE}). */
    NE(0x50),
    /** Signed {@code >} ({@code BPF_JSGT}). */
    SGT(0x60),
    /** Signed {@code >=} ({@code BPF_JSGE}). */
    SGE(0x70),
    /** Unsigned {@code <} ({@code BPF_JLT}). */
    LT(0xa0),
    /** Unsigned {@code <=} ({@code BPF_JLE}). */
    LE(0xb0),
    /** Signed {@code <} ({@code BPF_JSLT}). */
    SLT(0xc0),
    /** Signed {@code <=} ({@code BPF_JSLE}). */
    SLE(0xd0);

    private final int code;

    JumpCond(int code) {
        this.code = code;
    }

    /** The kernel's operation code, already shifted into place in the opcode. */
    public int code() {
        return code;
    }

    /** The condition with this code, or {@code null}. */
    static JumpCond of(int code) {
        for (JumpCond c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}
