package io.jbpf.core.insn;

/**
 * One eBPF instruction as a value (RFC 9669, ISA v1–v4). Each kind of instruction is a record;
 * records check their fields when built, so an {@code Insn} always encodes (except an unresolved
 * {@link LoadMapRef}, which must first be resolved to a map fd).
 *
 * <p>Most instructions take one 8-byte slot; the 64-bit immediate loads take two. Jump and call
 * offsets count slots, relative to the slot after the instruction.
 *
 * <p>Use {@link #accept(InsnVisitor)} to handle every kind without {@code instanceof} chains;
 * {@link InsnCodec} turns lists of instructions into bytes and back.
 */
public sealed interface Insn
        permits Alu, Neg, MovSx, ByteSwap,
                Jump, Goto, GotoLong, CallHelper, CallLocal, CallKfunc, CallReg, Exit,
                Load, LoadSx, Store, StoreImm, Atomic, LoadAbs, LoadInd,
                LoadImm64, LoadPseudo, LoadMapRef, RawInsn {

    /** The number of 8-byte slots the instruction occupies: 1, or 2 for 64-bit immediate loads. */
    default int slots() {
        return 1;
    }

    /** Calls the visitor method for this kind of instruction. */
    <R> R accept(InsnVisitor<R> visitor);
}
