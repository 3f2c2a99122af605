package io.jbpf.core.insn;

/** Kernel operation codes that belong to exactly one instruction record. */
final class Opcodes {
    private Opcodes() {}

    /** {@code BPF_NEG}. */
    static final int NEG = 0x80;
    /** {@code BPF_END}. */
    static final int END = 0xd0;
    /** {@code BPF_JA}. */
    static final int JA = 0x00;
    /** {@code BPF_CALL}. */
    static final int CALL = 0x80;
    /** {@code BPF_EXIT}. */
    static final int EXIT = 0x90;
    /** src value of a BPF-to-BPF call ({@code BPF_PSEUDO_CALL}). */
    static final int PSEUDO_CALL = 1;
    /** src value of a kfunc call ({@code BPF_PSEUDO_KFUNC_CALL}). */
    static final int PSEUDO_KFUNC_CALL = 2;
    /** Opcode of the 64-bit immediate load: {@code BPF_LD | BPF_IMM | BPF_DW}. */
    static final int LD_IMM64 = 0x18;
}
