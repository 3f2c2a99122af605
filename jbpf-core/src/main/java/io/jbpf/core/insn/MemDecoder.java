package io.jbpf.core.insn;

/** Decodes the load and store classes, except the 64-bit immediate load. */
final class MemDecoder {
    private MemDecoder() {}

    static Insn decode(RawInsn w) {
        InsnClass cls = InsnClass.ofOpcode(w.opcode());
        Mode mode = Mode.ofOpcode(w.opcode());
        Size size = Size.ofOpcode(w.opcode());
        if (mode == null) {
            throw Fields.unknown(w);
        }
        switch (cls) {
            case LD:
                return legacy(w, mode, size);
            case LDX:
                return load(w, mode, size);
            case ST:
                if (mode != Mode.MEM) {
                    throw Fields.unknown(w);
                }
                Fields.zero(w, "store immediate", Fields.SRC);
                return new StoreImm(size, Fields.reg(w.dst(), "dst"), w.offset(), w.imm());
            default:
                return stx(w, mode, size);
        }
    }

    private static Insn legacy(RawInsn w, Mode mode, Size size) {
        if ((mode != Mode.ABS && mode != Mode.IND) || size == Size.DW) {
            throw Fields.unknown(w);
        }
        if (mode == Mode.ABS) {
            Fields.zero(w, "legacy packet load", Fields.DST | Fields.SRC | Fields.OFF);
            return new LoadAbs(size, w.imm());
        }
        Fields.zero(w, "legacy packet load", Fields.DST | Fields.OFF);
        return new LoadInd(size, Fields.reg(w.src(), "src"), w.imm());
    }

    private static Insn load(RawInsn w, Mode mode, Size size) {
        if (mode == Mode.MEM) {
            Fields.zero(w, "load", Fields.IMM);
            return new Load(size, Fields.reg(w.dst(), "dst"), Fields.reg(w.src(), "src"), w.offset());
        }
        if (mode == Mode.MEMSX && size != Size.DW) {
            Fields.zero(w, "sign-extending load", Fields.IMM);
            return new LoadSx(size, Fields.reg(w.dst(), "dst"), Fields.reg(w.src(), "src"), w.offset());
        }
        throw Fields.unknown(w);
    }

    private static Insn stx(RawInsn w, Mode mode, Size size) {
        Reg dst = Fields.reg(w.dst(), "dst");
        Reg src = Fields.reg(w.src(), "src");
        if (mode == Mode.MEM) {
            Fields.zero(w, "store", Fields.IMM);
            return new Store(size, dst, w.offset(), src);
        }
        if (mode == Mode.ATOMIC && (size == Size.W || size == Size.DW)) {
            AtomicOp op = AtomicOp.of(w.imm());
            if (op == null) {
                throw new InvalidInstructionException(String.format(
                        "unknown atomic operation 0x%x (opcode %s)", w.imm(), Fields.hex(w.opcode())));
            }
            return new Atomic(size, op, dst, w.offset(), src);
        }
        throw Fields.unknown(w);
    }
}
