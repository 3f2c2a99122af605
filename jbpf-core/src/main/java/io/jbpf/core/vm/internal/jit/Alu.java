package io.jbpf.core.vm.internal.jit;

import static io.jbpf.core.vm.internal.jit.Bytecode.*;
import static org.objectweb.asm.Opcodes.*;

import org.objectweb.asm.MethodVisitor;

/**
 * The bytecode of ALU and ALU64 instructions: on the register locals, with division and modulo
 * (whose rules for zero and signed overflow are the ISA's) left to the interpreter's own methods.
 */
final class Alu {
    private static final String INTERP = "io/jbpf/core/vm/internal/Interpreter";

    private Alu() {}

    /** The byte swap of the low {@code bits} bits of the long on the stack, zero-extended (as {@code Interpreter.swap}). */
    private static void swap(MethodVisitor mv, int bits) {
        if (bits == 64) {
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Long", "reverseBytes", "(J)J", false);
            return;
        }
        mv.visitInsn(L2I);
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "reverseBytes", "(I)I", false);
        if (bits == 16) {
            push(mv, 16);
            mv.visitInsn(IUSHR);
            mv.visitInsn(I2L);
        } else {
            zext(mv);
        }
    }

    private static void zext(MethodVisitor mv) {
        mv.visitInsn(I2L);
        mv.visitLdcInsn(0xffffffffL);
        mv.visitInsn(LAND);
    }

    private static void arith(MethodVisitor mv, String name, String desc, int off) {
        push(mv, off);
        mv.visitMethodInsn(INVOKESTATIC, INTERP, name, desc, false);
    }

    /** ALU64 instruction {@code op} on {@code d}. */
    static void alu64(MethodVisitor mv, int op, int d, int s, int off, int imm, boolean reg) {
        int code = op & 0xf0;
        switch (code) {
            case 0xb0: // mov, movsx
                if (reg) {
                    load(mv, s);
                    if (off != 0) {
                        mv.visitInsn(L2I);
                        if (off == 8) {
                            mv.visitInsn(I2B);
                        } else if (off == 16) {
                            mv.visitInsn(I2S);
                        }
                        mv.visitInsn(I2L);
                    }
                } else {
                    push(mv, (long) imm);
                }
                store(mv, d);
                return;
            case 0x80:
                load(mv, d);
                mv.visitInsn(LNEG);
                store(mv, d);
                return;
            case 0xd0:
                load(mv, d);
                swap(mv, imm);
                store(mv, d);
                return;
            default:
                break;
        }
        load(mv, d);
        switch (code) {
            case 0x60:
            case 0x70:
            case 0xc0:
                if (reg) {
                    load(mv, s);
                    mv.visitInsn(L2I);
                } else {
                    push(mv, imm);
                }
                mv.visitInsn(code == 0x60 ? LSHL : code == 0x70 ? LUSHR : LSHR);
                break;
            case 0x30:
                operand64(mv, reg, s, imm);
                arith(mv, "div64", "(JJI)J", off);
                break;
            case 0x90:
                operand64(mv, reg, s, imm);
                arith(mv, "mod64", "(JJI)J", off);
                break;
            default:
                operand64(mv, reg, s, imm);
                mv.visitInsn(switch (code) {
                    case 0x00 -> LADD;
                    case 0x10 -> LSUB;
                    case 0x20 -> LMUL;
                    case 0x40 -> LOR;
                    case 0x50 -> LAND;
                    case 0xa0 -> LXOR;
                    default -> throw new IllegalStateException("ALU64 opcode 0x" + Integer.toHexString(op));
                });
                break;
        }
        store(mv, d);
    }

    /** ALU (32-bit) instruction {@code op} on {@code d}, its result zero-extended. */
    static void alu32(MethodVisitor mv, int op, int d, int s, int off, int imm, boolean reg) {
        int code = op & 0xf0;
        switch (code) {
            case 0xb0:
                if (reg) {
                    load(mv, s);
                    mv.visitInsn(L2I);
                    if (off == 8) {
                        mv.visitInsn(I2B);
                    } else if (off == 16) {
                        mv.visitInsn(I2S);
                    }
                    zext(mv);
                } else {
                    push(mv, imm & 0xffffffffL);
                }
                store(mv, d);
                return;
            case 0xd0:
                load(mv, d);
                if (reg) {
                    swap(mv, imm);
                } else if (imm == 16) {
                    push(mv, 0xffffL);
                    mv.visitInsn(LAND);
                } else if (imm == 32) {
                    mv.visitLdcInsn(0xffffffffL);
                    mv.visitInsn(LAND);
                }
                store(mv, d);
                return;
            case 0x30:
            case 0x90:
                load(mv, d);
                mv.visitInsn(L2I);
                operand32(mv, reg, s, imm);
                arith(mv, code == 0x30 ? "div32" : "mod32", "(III)J", off);
                store(mv, d);
                return;
            default:
                break;
        }
        load(mv, d);
        mv.visitInsn(L2I);
        if (code == 0x80) {
            mv.visitInsn(INEG);
        } else {
            operand32(mv, reg, s, imm);
            mv.visitInsn(switch (code) {
                case 0x00 -> IADD;
                case 0x10 -> ISUB;
                case 0x20 -> IMUL;
                case 0x40 -> IOR;
                case 0x50 -> IAND;
                case 0x60 -> ISHL;
                case 0x70 -> IUSHR;
                case 0xa0 -> IXOR;
                case 0xc0 -> ISHR;
                default -> throw new IllegalStateException("ALU32 opcode 0x" + Integer.toHexString(op));
            });
        }
        zext(mv);
        store(mv, d);
    }
}
