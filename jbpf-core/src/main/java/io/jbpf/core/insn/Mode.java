package io.jbpf.core.insn;

/** The mode of a load/store opcode ({@code BPF_MODE}: its top three bits). */
public enum Mode {
    /** The 64-bit immediate ({@code BPF_IMM}, class LD, size DW). */
    IMM(0x00),
    /** Legacy packet access at an absolute offset ({@code BPF_ABS}). */
    ABS(0x20),
    /** Legacy packet access at a register plus offset ({@code BPF_IND}). */
    IND(0x40),
    /** Regular memory access ({@code BPF_MEM}). */
    MEM(0x60),
    /** Sign-extending load ({@code BPF_MEMSX}). */
    MEMSX(0x80),
    /** Atomic operation ({@code BPF_ATOMIC}). */
    ATOMIC(0xc0);

    private final int code;

    Mode(int code) {
        this.code = code;
    }

    /** The kernel's number, already shifted into place in the opcode. */
    public int code() {
        return code;
    }

    /** The mode of an opcode, or {@code null} for the two unassigned mode values. */
    static Mode ofOpcode(int opcode) {
        int c = opcode & 0xe0;
        for (Mode m : values()) {
            if (m.code == c) {
                return m;
            }
        }
        return null;
    }
}
