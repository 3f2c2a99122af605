package io.jbpf.core.dsl.cbpf;

/** The opcodes the kernel accepts in a classic program ({@code chk_code_allowed} in net/core/filter.c). */
final class Opcodes {
    private static final boolean[] ALLOWED = new boolean[256];

    static {
        for (CbpfInsn.AluOp op : CbpfInsn.AluOp.values()) {
            if (op == CbpfInsn.AluOp.NEG) {
                allow(CbpfInsn.neg().code());
            } else {
                allow(CbpfInsn.alu(op, 1).code());
                allow(CbpfInsn.aluX(op).code());
            }
        }
        for (CbpfInsn.Size s : CbpfInsn.Size.values()) {
            allow(CbpfInsn.ldAbs(s, 0).code());
            allow(CbpfInsn.ldInd(s, 0).code());
        }
        allow(CbpfInsn.ldLen().code());
        allow(CbpfInsn.ldImm(0).code());
        allow(CbpfInsn.ldMem(0).code());
        allow(CbpfInsn.ldxLen().code());
        allow(CbpfInsn.ldxMsh(0).code());
        allow(CbpfInsn.ldxImm(0).code());
        allow(CbpfInsn.ldxMem(0).code());
        allow(CbpfInsn.st(0).code());
        allow(CbpfInsn.stx(0).code());
        allow(CbpfInsn.tax().code());
        allow(CbpfInsn.txa().code());
        allow(CbpfInsn.ret(0).code());
        allow(CbpfInsn.retA().code());
        allow(CbpfInsn.ja(0).code());
        for (CbpfInsn.JmpOp op : CbpfInsn.JmpOp.values()) {
            if (op != CbpfInsn.JmpOp.JA) {
                allow(CbpfInsn.jmp(op, 0, 0, 0).code());
                allow(CbpfInsn.jmpX(op, 0, 0).code());
            }
        }
    }

    private Opcodes() {
    }

    private static void allow(int code) {
        ALLOWED[code] = true;
    }

    static boolean allowed(int code) {
        return code >= 0 && code < ALLOWED.length && ALLOWED[code];
    }
}
