package io.jbpf.core.insn;

/** What a {@link ByteSwap} ({@code BPF_END}) instruction does. */
public enum SwapKind {
    /** Convert from host order to little endian ({@code BPF_ALU | BPF_END | BPF_TO_LE}). */
    LE,
    /** Convert from host order to big endian ({@code BPF_ALU | BPF_END | BPF_TO_BE}). */
    BE,
    /** Swap unconditionally ({@code BPF_ALU64 | BPF_END}, ISA v4). */
    BSWAP
}
