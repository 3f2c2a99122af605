package io.jbpf.core.vm.internal.jit;

import static org.objectweb.asm.Opcodes.*;

import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * What the compiler's parts share: the names of the VM classes compiled code calls, the layout of
 * a compiled function's locals, and the smallest emitters.
 *
 * <p>A compiled function's locals, by slot:
 * <table>
 *   <caption>Locals of a compiled function</caption>
 *   <tr><th>slot</th><th>holds</th><th>used by</th></tr>
 *   <tr><td>0</td><td>the {@code Machine}</td><td>all</td></tr>
 *   <tr><td>1 + 2r</td><td>register r (a long), r0–r10; r1–r5 and r10 are the parameters</td><td>all</td></tr>
 *   <tr><td>23</td><td>the machine's {@code Memory}</td><td>{@link Accesses}</td></tr>
 *   <tr><td>24</td><td>a scratch long</td><td>all</td></tr>
 *   <tr><td>26, 28, 29</td><td>an access's address, region and offset</td><td>{@link Accesses}</td></tr>
 *   <tr><td>30–37</td><td>two region caches (id, array, low, high): others, then r10</td><td>{@link Accesses}</td></tr>
 *   <tr><td>38, 39</td><td>the block count not yet added, whether the budget fits the longest path</td><td>{@link JitCompiler}</td></tr>
 *   <tr><td>40–50, 51–61</td><td>by base register: an access group's array (or null) and base</td><td>{@link Accesses}</td></tr>
 *   <tr><td>62–64</td><td>the context's region, its access and its size</td><td>{@link Accesses}</td></tr>
 *   <tr><td>65–74, 75–84</td><td>by root register: a checked range's array (or null) and base</td><td>{@link Accesses}</td></tr>
 *   <tr><td>85, 86</td><td>the stack frame's array (or null) and base</td><td>{@link Accesses}</td></tr>
 *   <tr><td>87</td><td>whether r1 held the context's address at entry</td><td>{@link Accesses}</td></tr>
 * </table>
 */
final class Bytecode {
    static final String MACHINE = "io/jbpf/core/vm/internal/Machine";
    static final String MEMORY = "io/jbpf/core/vm/internal/Memory";

    static final int M = 0;
    static final int MEM = 23;
    static final int TMP = 24;
    static final int ADDR = 26;
    static final int ID = 28;
    static final int OFF = 29;
    static final int CACHES = 30;
    static final int CNT = 38;
    static final int FAST = 39;
    static final int GROUP_ARRAY = 40;
    static final int GROUP_BASE = 51;
    static final int CTX_ID = 62;
    static final int CTX_SP = 63;
    static final int CTX_HI = 64;
    static final int RANGE_ARRAY = 65;
    static final int RANGE_BASE = 75;
    static final int STACK_ARRAY = 85;
    static final int STACK_BASE = 86;
    static final int CTX_OK = 87;

    private Bytecode() {}

    /** The slot of register {@code r}. */
    static int reg(int r) {
        return 1 + 2 * r;
    }

    /** Stores into int local {@code local} 1 on the path that falls through to here, 0 on the jumps to {@code no}. */
    static void flag(MethodVisitor mv, Label no, int local) {
        Label set = new Label();
        mv.visitInsn(ICONST_1);
        mv.visitJumpInsn(GOTO, set);
        mv.visitLabel(no);
        mv.visitInsn(ICONST_0);
        mv.visitLabel(set);
        mv.visitVarInsn(ISTORE, local);
    }

    /** Pushes the int {@code v} in the shortest form. */
    static void push(MethodVisitor mv, int v) {
        if (v >= -1 && v <= 5) {
            mv.visitInsn(ICONST_0 + v);
        } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            mv.visitIntInsn(BIPUSH, v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            mv.visitIntInsn(SIPUSH, v);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    /** Pushes the long {@code v} in the shortest form. */
    static void push(MethodVisitor mv, long v) {
        if (v == 0) {
            mv.visitInsn(LCONST_0);
        } else if (v == 1) {
            mv.visitInsn(LCONST_1);
        } else if (v == (int) v && v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            push(mv, (int) v);
            mv.visitInsn(I2L);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    /** Pushes register {@code r}. */
    static void load(MethodVisitor mv, int r) {
        mv.visitVarInsn(LLOAD, reg(r));
    }

    /** Pops into register {@code r}. */
    static void store(MethodVisitor mv, int r) {
        mv.visitVarInsn(LSTORE, reg(r));
    }

    /** Pushes the 32-bit form of the ALU operand: imm, or the low half of src. */
    static void operand32(MethodVisitor mv, boolean reg, int s, int imm) {
        if (reg) {
            load(mv, s);
            mv.visitInsn(L2I);
        } else {
            push(mv, imm);
        }
    }

    /** Pushes the 64-bit form of the ALU operand: imm sign-extended, or src. */
    static void operand64(MethodVisitor mv, boolean reg, int s, int imm) {
        if (reg) {
            load(mv, s);
        } else {
            push(mv, (long) imm);
        }
    }

    /** The access size in bytes of a load, store or atomic opcode. */
    static int size(int op) {
        switch (op & 0x18) {
            case 0x00:
                return 4;
            case 0x08:
                return 2;
            case 0x10:
                return 1;
            default:
                return 8;
        }
    }
}
