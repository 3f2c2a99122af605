package io.jbpf.core.insn;

/** Turns one instruction into its one or two raw words. */
final class Encoder implements InsnVisitor<RawInsn[]> {
    static final Encoder INSTANCE = new Encoder();

    private Encoder() {}

    private static RawInsn[] one(int opcode, int dst, int src, int offset, int imm) {
        return new RawInsn[] {new RawInsn(opcode, dst, src, offset, imm)};
    }

    private static RawInsn[] wide(int dst, int src, int lo, int hi) {
        return new RawInsn[] {
            new RawInsn(Opcodes.LD_IMM64, dst, src, 0, lo), new RawInsn(0, 0, 0, 0, hi)
        };
    }

    private static int srcReg(Operand op) {
        return op instanceof Reg r ? r.number() : 0;
    }

    private static int imm(Operand op) {
        return op instanceof Imm i ? i.value() : 0;
    }

    @Override
    public RawInsn[] visit(Alu i) {
        int code = i.width().aluClass().code() | i.op().code() | Source.of(i.src()).code();
        return one(code, i.dst().number(), srcReg(i.src()), i.op().offset(), imm(i.src()));
    }

    @Override
    public RawInsn[] visit(Neg i) {
        return one(i.width().aluClass().code() | Opcodes.NEG | Source.K.code(), i.dst().number(), 0, 0, 0);
    }

    @Override
    public RawInsn[] visit(MovSx i) {
        int code = i.width().aluClass().code() | AluOp.MOV.code() | Source.X.code();
        return one(code, i.dst().number(), i.src().number(), i.fromBits(), 0);
    }

    @Override
    public RawInsn[] visit(ByteSwap i) {
        int code;
        switch (i.kind()) {
            case LE:
                code = InsnClass.ALU.code() | Opcodes.END | Source.K.code();
                break;
            case BE:
                code = InsnClass.ALU.code() | Opcodes.END | Source.X.code();
                break;
            default:
                code = InsnClass.ALU64.code() | Opcodes.END | Source.K.code();
                break;
        }
        return one(code, i.dst().number(), 0, 0, i.bits());
    }

    @Override
    public RawInsn[] visit(Jump i) {
        int code = i.width().jumpClass().code() | i.cond().code() | Source.of(i.src()).code();
        return one(code, i.dst().number(), srcReg(i.src()), i.offset(), imm(i.src()));
    }

    @Override
    public RawInsn[] visit(Goto i) {
        return one(InsnClass.JMP.code() | Opcodes.JA, 0, 0, i.offset(), 0);
    }

    @Override
    public RawInsn[] visit(GotoLong i) {
        return one(InsnClass.JMP32.code() | Opcodes.JA, 0, 0, 0, i.offset());
    }

    @Override
    public RawInsn[] visit(CallHelper i) {
        return one(InsnClass.JMP.code() | Opcodes.CALL, 0, 0, 0, i.helperId());
    }

    @Override
    public RawInsn[] visit(CallLocal i) {
        return one(InsnClass.JMP.code() | Opcodes.CALL, 0, Opcodes.PSEUDO_CALL, 0, i.offset());
    }

    @Override
    public RawInsn[] visit(CallKfunc i) {
        return one(InsnClass.JMP.code() | Opcodes.CALL, 0, Opcodes.PSEUDO_KFUNC_CALL, i.btfFdIndex(), i.btfId());
    }

    @Override
    public RawInsn[] visit(CallReg i) {
        return one(InsnClass.JMP.code() | Opcodes.CALL | Source.X.code(), i.reg().number(), 0, 0, 0);
    }

    @Override
    public RawInsn[] visit(Exit i) {
        return one(InsnClass.JMP.code() | Opcodes.EXIT, 0, 0, 0, 0);
    }

    @Override
    public RawInsn[] visit(Load i) {
        int code = InsnClass.LDX.code() | Mode.MEM.code() | i.size().code();
        return one(code, i.dst().number(), i.src().number(), i.offset(), 0);
    }

    @Override
    public RawInsn[] visit(LoadSx i) {
        int code = InsnClass.LDX.code() | Mode.MEMSX.code() | i.size().code();
        return one(code, i.dst().number(), i.src().number(), i.offset(), 0);
    }

    @Override
    public RawInsn[] visit(Store i) {
        int code = InsnClass.STX.code() | Mode.MEM.code() | i.size().code();
        return one(code, i.dst().number(), i.src().number(), i.offset(), 0);
    }

    @Override
    public RawInsn[] visit(StoreImm i) {
        int code = InsnClass.ST.code() | Mode.MEM.code() | i.size().code();
        return one(code, i.dst().number(), 0, i.offset(), i.imm());
    }

    @Override
    public RawInsn[] visit(Atomic i) {
        int code = InsnClass.STX.code() | Mode.ATOMIC.code() | i.size().code();
        return one(code, i.dst().number(), i.src().number(), i.offset(), i.op().imm());
    }

    @Override
    public RawInsn[] visit(LoadAbs i) {
        return one(InsnClass.LD.code() | Mode.ABS.code() | i.size().code(), 0, 0, 0, i.imm());
    }

    @Override
    public RawInsn[] visit(LoadInd i) {
        return one(InsnClass.LD.code() | Mode.IND.code() | i.size().code(), 0, i.src().number(), 0, i.imm());
    }

    @Override
    public RawInsn[] visit(LoadImm64 i) {
        return wide(i.dst().number(), 0, (int) i.value(), (int) (i.value() >>> 32));
    }

    @Override
    public RawInsn[] visit(LoadPseudo i) {
        return wide(i.dst().number(), i.source().code(), i.imm(), i.nextImm());
    }

    @Override
    public RawInsn[] visit(LoadMapRef i) {
        throw new InvalidInstructionException("map reference '" + i.mapName()
                + "' is unresolved: replace it with the map's fd first (MapReferences.resolve)");
    }

    @Override
    public RawInsn[] visit(RawInsn i) {
        return new RawInsn[] {i};
    }
}
