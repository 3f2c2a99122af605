package io.jbpf.core.insn;

/** The size of a memory access ({@code BPF_SIZE}: bits 3-4 of a load/store opcode). */
public enum Size {
    /** 4 bytes ({@code BPF_W}). */
    W(0x00, 4),
    /** 2 bytes ({@code BPF_H}). */
    H(0x08, 2),
    /** 1 byte ({@code BPF_B}). */
    B(0x10, 1),
    /** 8 bytes ({@code BPF_DW}). */
    DW(0x18, 8);

    private final int code;
    private final int bytes;

    Size(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    /** The kernel's number, already shifted into place in the opcode. */
    public int code() {
        return code;
    }

    /** The access size in bytes. */
    public int bytes() {
        return bytes;
    }

    /** The size of a load/store opcode. */
    public static Size ofOpcode(int opcode) {
        int c = opcode & 0x18;
        for (Size s : values()) {
            if (s.code == c) {
                return s;
            }
        }
        throw new AssertionError(c);
    }

    /** The size of this many bytes (1, 2, 4 or 8). */
    public static Size ofBytes(int bytes) {
        for (Size s : values()) {
            if (s.bytes == bytes) {
                return s;
            }
        }
        throw new InvalidInstructionException("no access size of " + bytes + " bytes (1, 2, 4 or 8)");
    }
}
