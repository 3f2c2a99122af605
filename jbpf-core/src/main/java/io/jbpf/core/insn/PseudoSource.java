package io.jbpf.core.insn;

/**
 * The special meanings of the src field of a 64-bit immediate load (a {@link LoadPseudo}); the
 * plain 64-bit constant (src 0) is {@link LoadImm64}. The kernel replaces each with a pointer
 * while loading the program.
 */
public enum PseudoSource {
    /** {@code imm} is a map fd; the register gets the map ({@code BPF_PSEUDO_MAP_FD}). */
    MAP_FD(1),
    /** {@code imm} is a map fd, {@code nextImm} an offset into its value ({@code BPF_PSEUDO_MAP_VALUE}). */
    MAP_VALUE(2),
    /** {@code imm} is a BTF id of a kernel variable, {@code nextImm} a module BTF fd or 0 ({@code BPF_PSEUDO_BTF_ID}). */
    BTF_ID(3),
    /** {@code imm} is the pc-relative instruction offset of a subprogram ({@code BPF_PSEUDO_FUNC}). */
    FUNC(4),
    /** {@code imm} is an index into the fd array given at load ({@code BPF_PSEUDO_MAP_IDX}). */
    MAP_IDX(5),
    /** {@code imm} is an fd array index, {@code nextImm} an offset into the value ({@code BPF_PSEUDO_MAP_IDX_VALUE}). */
    MAP_IDX_VALUE(6);

    private final int code;

    PseudoSource(int code) {
        this.code = code;
    }

    /** The value of the src field. */
    public int code() {
        return code;
    }

    /** The source with this src value, or {@code null}. */
    static PseudoSource of(int code) {
        for (PseudoSource p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        return null;
    }
}
