package io.jbpf.core.insn;

/** Decodes words of the ALU and ALU64 classes. */
final class AluDecoder {
    private AluDecoder() {}

    static Insn decode(RawInsn w) {
        Width width = InsnClass.ofOpcode(w.opcode()) == InsnClass.ALU64 ? Width.W64 : Width.W32;
        int op = w.opcode() & 0xf0;
        boolean x = (w.opcode() & Source.X.code()) != 0;
        Reg dst = Fields.reg(w.dst(), "dst");
        if (op == Opcodes.NEG) {
            if (x) {
                throw new InvalidInstructionException("NEG with a register source (opcode "
                        + Fields.hex(w.opcode()) + ") is reserved");
            }
            Fields.zero(w, "NEG", Fields.SRC | Fields.OFF | Fields.IMM);
            return new Neg(width, dst);
        }
        if (op == Opcodes.END) {
            return swap(w, width, x, dst);
        }
        if (op == AluOp.MOV.code() && x && w.offset() != 0) {
            Fields.zero(w, "MOVSX", Fields.IMM);
            return new MovSx(width, dst, Fields.reg(w.src(), "src"), w.offset());
        }
        AluOp aluOp = AluOp.of(op, w.offset());
        if (aluOp == null) {
            if (AluOp.of(op, 0) != null) {
                throw new InvalidInstructionException("ALU opcode " + Fields.hex(w.opcode())
                        + " does not use offset " + w.offset());
            }
            throw Fields.unknown(w);
        }
        if (x) {
            Fields.zero(w, "ALU register operation", Fields.IMM);
            return new Alu(width, aluOp, dst, Fields.reg(w.src(), "src"));
        }
        Fields.zero(w, "ALU immediate operation", Fields.SRC);
        return new Alu(width, aluOp, dst, new Imm(w.imm()));
    }

    private static Insn swap(RawInsn w, Width width, boolean x, Reg dst) {
        Fields.zero(w, "byte swap", Fields.SRC | Fields.OFF);
        SwapKind kind;
        if (width == Width.W64) {
            if (x) {
                throw new InvalidInstructionException("byte swap opcode " + Fields.hex(w.opcode()) + " is reserved");
            }
            kind = SwapKind.BSWAP;
        } else {
            kind = x ? SwapKind.BE : SwapKind.LE;
        }
        return new ByteSwap(kind, w.imm(), dst);
    }
}
