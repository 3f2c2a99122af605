package io.jbpf.core.insn;

/**
 * One method per kind of {@link Insn}: adding a kind of instruction makes every visitor fail to
 * compile until it handles it.
 *
 * @param <R> what the visitor returns
 */
public interface InsnVisitor<R> {
    /** Binary ALU operation. */
    R visit(Alu insn);

    /** Negation. */
    R visit(Neg insn);

    /** Sign-extending move. */
    R visit(MovSx insn);

    /** Byte swap. */
    R visit(ByteSwap insn);

    /** Conditional jump. */
    R visit(Jump insn);

    /** Unconditional jump with a 16-bit offset. */
    R visit(Goto insn);

    /** Unconditional jump with a 32-bit offset. */
    R visit(GotoLong insn);

    /** Helper call. */
    R visit(CallHelper insn);

    /** BPF-to-BPF call. */
    R visit(CallLocal insn);

    /** Kernel function call. */
    R visit(CallKfunc insn);

    /** Indirect call through a register. */
    R visit(CallReg insn);

    /** Return from the program or subprogram. */
    R visit(Exit insn);

    /** Load from memory. */
    R visit(Load insn);

    /** Sign-extending load from memory. */
    R visit(LoadSx insn);

    /** Store of a register. */
    R visit(Store insn);

    /** Store of an immediate. */
    R visit(StoreImm insn);

    /** Atomic memory operation. */
    R visit(Atomic insn);

    /** Legacy packet load at an absolute offset. */
    R visit(LoadAbs insn);

    /** Legacy packet load at a register plus offset. */
    R visit(LoadInd insn);

    /** 64-bit constant. */
    R visit(LoadImm64 insn);

    /** 64-bit immediate with a pseudo source (map fd, map value, BTF id, function, map index). */
    R visit(LoadPseudo insn);

    /** Symbolic map reference, not yet resolved to an fd. */
    R visit(LoadMapRef insn);

    /** Raw 8-byte instruction word. */
    R visit(RawInsn insn);
}
