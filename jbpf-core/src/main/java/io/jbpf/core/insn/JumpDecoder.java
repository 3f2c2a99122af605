package io.jbpf.core.insn;

/** Decodes words of the JMP and JMP32 classes. */
final class JumpDecoder {
    private JumpDecoder() {}

    static Insn decode(RawInsn w) {
        boolean jmp32 = InsnClass.ofOpcode(w.opcode()) == InsnClass.JMP32;
        int op = w.opcode() & 0xf0;
        boolean x = (w.opcode() & Source.X.code()) != 0;
        if (op == Opcodes.JA) {
            if (x) {
                throw Fields.unknown(w);
            }
            if (jmp32) {
                Fields.zero(w, "gotol", Fields.DST | Fields.SRC | Fields.OFF);
                return new GotoLong(w.imm());
            }
            Fields.zero(w, "goto", Fields.DST | Fields.SRC | Fields.IMM);
            return new Goto(w.offset());
        }
        if (op == Opcodes.CALL || op == Opcodes.EXIT) {
            if (jmp32) {
                throw Fields.unknown(w);
            }
            return op == Opcodes.CALL ? call(w, x) : exit(w, x);
        }
        JumpCond cond = JumpCond.of(op);
        if (cond == null) {
            throw Fields.unknown(w);
        }
        Width width = jmp32 ? Width.W32 : Width.W64;
        Reg dst = Fields.reg(w.dst(), "dst");
        if (x) {
            Fields.zero(w, "jump with a register operand", Fields.IMM);
            return new Jump(width, cond, dst, Fields.reg(w.src(), "src"), w.offset());
        }
        Fields.zero(w, "jump with an immediate operand", Fields.SRC);
        return new Jump(width, cond, dst, new Imm(w.imm()), w.offset());
    }

    private static Insn call(RawInsn w, boolean x) {
        if (x) {
            Fields.zero(w, "callx", Fields.SRC | Fields.OFF | Fields.IMM);
            return new CallReg(Fields.reg(w.dst(), "callx"));
        }
        switch (w.src()) {
            case 0:
                Fields.zero(w, "helper call", Fields.DST | Fields.OFF);
                return new CallHelper(w.imm());
            case Opcodes.PSEUDO_CALL:
                Fields.zero(w, "BPF-to-BPF call", Fields.DST | Fields.OFF);
                return new CallLocal(w.imm());
            case Opcodes.PSEUDO_KFUNC_CALL:
                Fields.zero(w, "kfunc call", Fields.DST);
                return new CallKfunc(w.imm(), w.offset());
            default:
                throw new InvalidInstructionException("call has unknown src " + w.src()
                        + " (0 helper, 1 BPF-to-BPF, 2 kfunc)");
        }
    }

    private static Insn exit(RawInsn w, boolean x) {
        if (x) {
            throw Fields.unknown(w);
        }
        Fields.zero(w, "exit", Fields.DST | Fields.SRC | Fields.OFF | Fields.IMM);
        return new Exit();
    }
}
