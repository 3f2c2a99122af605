package io.jbpf.core.vm.internal.jit;

import static io.jbpf.core.vm.internal.jit.Bytecode.*;
import static org.objectweb.asm.Opcodes.*;

import io.jbpf.core.vm.internal.Code;
import io.jbpf.core.vm.internal.Executor;
import io.jbpf.core.vm.internal.Interpreter;
import java.lang.invoke.MethodHandles;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeMap;
import org.objectweb.asm.ClassTooLargeException;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.MethodVisitor;

/**
 * Compiles a program's checked {@link Code} to JVM bytecode: one hidden class per program that
 * implements {@link Executor}, with one static method per function (the entry, every target of a
 * local call, every function a {@code BPF_PSEUDO_FUNC} load names). eBPF registers are long
 * locals; a local call is a JVM call, so r6–r9 and r10 come back by themselves. Instructions are
 * counted once per straight-line block, at its entry; blocks end at every jump, exit, call and
 * legacy packet load, so a run that completes counts exactly what the interpreter counts, and a
 * run past the budget fails at the instruction where the interpreter fails. In functions without
 * backward jumps the budget is checked once for the longest path up to the next call.
 *
 * <p>Memory accesses are checked against a region cached in locals (the stack for r10, the packet
 * for the others, seeded at entry and after calls), and a straight-line run of accesses through
 * one unchanged base register is checked once for its whole span ({@link Accesses} emits all of it).
 * Where the program checks packet bounds itself ({@code if data + n > data_end goto out}), the
 * compiled code checks {@code [data, data + n)} once on the in-bounds edge and reads the bytes it
 * covers straight from the packet's array until the pointer is written or a call comes
 * ({@link RangeAnalysis}); accesses through r10 within the function's frame are checked once per
 * entry and call (in functions that never write r10); loads through the entry's r1, while it is
 * the context, go straight to the context's fields. Byte swaps are inlined;
 * {@code bpf_map_lookup_elem} is a static call while the VM's helper 1 is the standard one.
 *
 * <p>What the JVM cannot take (a method over 64 KB of bytecode, a class over its constant-pool
 * limit) runs on the interpreter instead: same results, only slower.
 */
public final class JitCompiler {
    private static final String EXECUTOR = "io/jbpf/core/vm/internal/Executor";
    private static final String HELPERS = "io/jbpf/core/vm/internal/StandardHelpers";
    private static final String EXECUTE_DESC = "(L" + MACHINE + ";IJJJJJJ)J";
    private static final String FUNC_DESC = "(L" + MACHINE + ";JJJJJJJJJJJ)J";

    private final Code code;
    private final Flow flow;
    private final String className;
    /** Function entries, in order. */
    private final TreeMap<Integer, String> functions = new TreeMap<>();
    /** Whether some caller reads r1–r5 after a local call (no verified program does). */
    private boolean clobbersVisible;
    /** The memory accesses of the function being compiled. */
    private Accesses accesses;

    private JitCompiler(Code code, String className) {
        this.code = code;
        this.flow = new Flow(code);
        this.className = className;
    }

    /** The executor for {@code code}: compiled, or the interpreter where the JVM's limits forbid. */
    public static Executor compile(Code code) {
        try {
            return define(code);
        } catch (MethodTooLargeException | ClassTooLargeException e) {
            return new Interpreter(code);
        }
    }

    /** Compiles, throwing ASM's exceptions when the program is too large for a JVM class. */
    static Executor define(Code code) {
        String name = JitCompiler.class.getPackageName().replace('.', '/') + "/BpfProgram";
        JitCompiler c = new JitCompiler(code, name);
        byte[] bytes = c.generate();
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(bytes, true);
            return (Executor) lookup.findConstructor(lookup.lookupClass(),
                    java.lang.invoke.MethodType.methodType(void.class, Executor.class))
                    .invoke(new Interpreter(code));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("defining the compiled program failed", t);
        }
    }

    // ---- generation

    private byte[] generate() {
        TreeMap<Integer, BitSet> bodies = new TreeMap<>();
        ArrayDeque<Integer> work = new ArrayDeque<>();
        work.add(0);
        BitSet all = new BitSet(code.length);
        while (!work.isEmpty()) {
            int entry = work.poll();
            if (bodies.containsKey(entry)) {
                continue;
            }
            List<Integer> callees = new ArrayList<>();
            BitSet body = flow.reach(entry, callees);
            bodies.put(entry, body);
            all.or(body);
            work.addAll(callees);
        }
        for (int entry : bodies.keySet()) {
            functions.put(entry, "f" + entry);
        }
        clobbersVisible = flow.clobbersVisible(all);

        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object";
            }
        };
        cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, className, null, "java/lang/Object", new String[] {EXECUTOR});
        cw.visitField(ACC_PRIVATE | ACC_FINAL, "fallback", "L" + EXECUTOR + ";", null, null).visitEnd();
        constructor(cw);
        execute(cw);
        for (var e : bodies.entrySet()) {
            function(cw, e.getKey(), e.getValue());
        }
        cw.visitEnd();
        return cw.toByteArray();
    }

    private void constructor(ClassWriter cw) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "<init>", "(L" + EXECUTOR + ";)V", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(ALOAD, 1);
        mv.visitFieldInsn(PUTFIELD, className, "fallback", "L" + EXECUTOR + ";");
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** {@code execute}: a switch over the function entries; any other entry goes to the interpreter. */
    private void execute(ClassWriter cw) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_FINAL, "execute", EXECUTE_DESC, null, null);
        mv.visitCode();
        int[] keys = functions.keySet().stream().mapToInt(Integer::intValue).toArray();
        Label[] labels = new Label[keys.length];
        for (int i = 0; i < keys.length; i++) {
            labels[i] = new Label();
        }
        Label dflt = new Label();
        mv.visitVarInsn(ILOAD, 2);
        mv.visitLookupSwitchInsn(dflt, keys, labels);
        for (int i = 0; i < keys.length; i++) {
            mv.visitLabel(labels[i]);
            mv.visitVarInsn(ALOAD, 1);
            mv.visitInsn(LCONST_0);
            for (int r = 1; r <= 5; r++) {
                mv.visitVarInsn(LLOAD, 1 + 2 * r);
            }
            for (int r = 6; r <= 9; r++) {
                mv.visitInsn(LCONST_0);
            }
            mv.visitVarInsn(LLOAD, 13);
            mv.visitMethodInsn(INVOKESTATIC, className, functions.get(keys[i]), FUNC_DESC, false);
            mv.visitInsn(LRETURN);
        }
        mv.visitLabel(dflt);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitFieldInsn(GETFIELD, className, "fallback", "L" + EXECUTOR + ";");
        for (int i = 1; i <= 2; i++) {
            mv.visitVarInsn(i == 1 ? ALOAD : ILOAD, i);
        }
        for (int slot = 3; slot <= 13; slot += 2) {
            mv.visitVarInsn(LLOAD, slot);
        }
        mv.visitMethodInsn(INVOKEINTERFACE, EXECUTOR, "execute", EXECUTE_DESC, true);
        mv.visitInsn(LRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private void function(ClassWriter cw, int entry, BitSet body) {
        MethodVisitor mv = cw.visitMethod(ACC_PRIVATE | ACC_STATIC, functions.get(entry), FUNC_DESC, null, null);
        mv.visitCode();
        // leaders of the straight-line blocks
        BitSet leaders = new BitSet(code.length);
        leaders.set(entry);
        for (int pc = body.nextSetBit(0); pc >= 0; pc = body.nextSetBit(pc + 1)) {
            int op = code.op[pc];
            if (Flow.isJump(op)) {
                leaders.set(code.target(pc));
            }
            if (flow.endsBlock(pc)) {
                leaders.set(pc + 1);
            }
        }
        Label[] labels = new Label[code.length];
        for (int pc = leaders.nextSetBit(0); pc >= 0 && pc < code.length; pc = leaders.nextSetBit(pc + 1)) {
            labels[pc] = new Label();
        }
        accesses = new Accesses(flow, entry, body);
        accesses.enter(mv);
        dag = true;
        for (int pc = body.nextSetBit(0); pc >= 0; pc = body.nextSetBit(pc + 1)) {
            if (Flow.isJump(code.op[pc]) && code.target(pc) <= pc) {
                dag = false;
            }
        }
        if (dag) {
            longest = new int[code.length + 1];
            for (int pc = body.previousSetBit(code.length - 1); pc >= 0; pc = body.previousSetBit(pc - 1)) {
                int op = code.op[pc];
                int rest = 0;
                if (op != 0x95) {
                    if (op != 0x05 && op != 0x06) {
                        rest = longest[op == 0x18 ? pc + 2 : pc + 1];
                    }
                    if (Flow.isJump(op)) {
                        rest = Math.max(rest, longest[code.target(pc)]);
                    }
                }
                longest[pc] = 1 + rest;
            }
            mv.visitInsn(ICONST_0);
            mv.visitVarInsn(ISTORE, CNT);
            recheck(mv, entry);
        }
        if (entry != body.nextSetBit(0)) {
            mv.visitJumpInsn(GOTO, labels[entry]);
        }
        for (int pc = body.nextSetBit(0); pc >= 0; pc = body.nextSetBit(pc + 1)) {
            if (labels[pc] != null) {
                mv.visitLabel(labels[pc]);
                int n = 0;
                for (int p = pc;;) {
                    n++;
                    if (flow.endsBlock(p)) {
                        break;
                    }
                    p = code.op[p] == 0x18 ? p + 2 : p + 1;
                    if (p >= code.length || leaders.get(p)) {
                        break;
                    }
                }
                Label counted = new Label();
                if (dag) {
                    Label checked = new Label();
                    mv.visitVarInsn(ILOAD, FAST);
                    mv.visitJumpInsn(IFEQ, checked);
                    mv.visitIincInsn(CNT, n);
                    mv.visitJumpInsn(GOTO, counted);
                    mv.visitLabel(checked);
                }
                mv.visitVarInsn(ALOAD, M);
                push(mv, n);
                push(mv, pc);
                mv.visitMethodInsn(INVOKEVIRTUAL, MACHINE, "countBlock", "(II)V", false);
                mv.visitLabel(counted);
            }
            insn(mv, pc, labels);
            accesses.afterInsn(mv, pc);
            if (code.op[pc] == 0x18) {
                pc++;
            }
        }
        accesses.emitStubs(mv, labels);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /*
     * Counting in a function without backward jumps: no path through it is longer than longest[pc]
     * instructions until the next call, so when that many still fit in the budget (FAST), blocks
     * only add to the local CNT, which goes to the machine before every call and exit; otherwise
     * every block is counted and checked as in a function with loops.
     */
    private boolean dag;
    private int[] longest;

    /** FAST = whether the longest path from {@code pc} still fits in the budget. */
    private void recheck(MethodVisitor mv, int pc) {
        Label no = new Label();
        mv.visitVarInsn(ALOAD, M);
        mv.visitFieldInsn(GETFIELD, MACHINE, "steps", "J");
        push(mv, (long) longest[pc]);
        mv.visitInsn(LADD);
        mv.visitVarInsn(ALOAD, M);
        mv.visitFieldInsn(GETFIELD, MACHINE, "budget", "J");
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFGT, no);
        flag(mv, no, FAST);
    }

    /** Adds CNT to the machine's count (before anything that may count, stop or return). */
    private void flush(MethodVisitor mv) {
        if (!dag) {
            return;
        }
        mv.visitVarInsn(ALOAD, M);
        mv.visitInsn(DUP);
        mv.visitFieldInsn(GETFIELD, MACHINE, "steps", "J");
        mv.visitVarInsn(ILOAD, CNT);
        mv.visitInsn(I2L);
        mv.visitInsn(LADD);
        mv.visitFieldInsn(PUTFIELD, MACHINE, "steps", "J");
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, CNT);
    }

    private void insn(MethodVisitor mv, int pc, Label[] labels) {
        int op = code.op[pc];
        int d = code.dst[pc];
        int s = code.src[pc];
        int off = code.off[pc];
        int imm = code.imm[pc];
        int cls = op & 7;
        boolean reg = (op & 0x08) != 0;
        switch (cls) {
            case 7:
                Alu.alu64(mv, op, d, s, off, imm, reg);
                break;
            case 4:
                Alu.alu32(mv, op, d, s, off, imm, reg);
                break;
            case 5:
            case 6:
                jump(mv, pc, op, d, s, off, imm, labels);
                break;
            case 0:
                if (op == 0x18) {
                    if (s == 0) {
                        push(mv, code.imm64[pc]);
                    } else {
                        mv.visitVarInsn(ALOAD, M);
                        push(mv, s);
                        push(mv, imm);
                        push(mv, code.imm[pc + 1]);
                        push(mv, pc);
                        mv.visitMethodInsn(INVOKEVIRTUAL, MACHINE, "pseudo", "(IIII)J", false);
                    }
                    store(mv, d);
                } else {
                    flush(mv);
                    Accesses.packetLoad(mv, pc, op, s, imm);
                }
                break;
            case 1: {
                int size = size(op);
                accesses.plainLoad(mv, s, off, size, pc);
                if (op >= 0x80) {
                    mv.visitInsn(L2I);
                    if (size == 2) {
                        mv.visitInsn(I2S);
                    } else if (size == 1) {
                        mv.visitInsn(I2B);
                    }
                    mv.visitInsn(I2L);
                }
                store(mv, d);
                break;
            }
            case 2:
                accesses.plainStore(mv, d, off, size(op), pc, () -> push(mv, (long) imm));
                break;
            default:
                if ((op & 0xe0) == 0xc0) {
                    accesses.atomic(mv, pc, op, d, s, off, imm);
                } else {
                    accesses.plainStore(mv, d, off, size(op), pc, () -> load(mv, s));
                }
                break;
        }
    }

    private void jump(MethodVisitor mv, int pc, int op, int d, int s, int off, int imm, Label[] labels) {
        int code = op & 0xf0;
        boolean reg = (op & 0x08) != 0;
        boolean is64 = (op & 7) == 5;
        switch (op) {
            case 0x05:
            case 0x06:
                mv.visitJumpInsn(GOTO, labels[this.code.target(pc)]);
                return;
            case 0x95:
                flush(mv);
                load(mv, 0);
                if (clobbersVisible) {
                    for (int r = 1; r <= 5; r++) {
                        mv.visitVarInsn(ALOAD, M);
                        load(mv, r);
                        mv.visitFieldInsn(PUTFIELD, MACHINE, "x" + r, "J");
                    }
                }
                mv.visitInsn(LRETURN);
                return;
            case 0x85:
                if (s == 1) {
                    localCall(mv, pc);
                } else {
                    helperCall(mv, pc, () -> push(mv, imm));
                }
                return;
            case 0x8d:
                helperCall(mv, pc, () -> {
                    load(mv, d);
                    mv.visitMethodInsn(INVOKESTATIC, MACHINE, "helperId", "(J)I", false);
                });
                return;
            default:
                break;
        }
        Label target = accesses.takenEdge(pc, this.code.target(pc), labels);
        boolean unsigned = code == 0x20 || code == 0x30 || code == 0xa0 || code == 0xb0;
        if (is64) {
            load(mv, d);
            if (code == 0x40) {
                operand64(mv, reg, s, imm);
                mv.visitInsn(LAND);
                mv.visitInsn(LCONST_0);
                mv.visitInsn(LCMP);
                mv.visitJumpInsn(IFNE, target);
                return;
            }
            if (unsigned) {
                push(mv, Long.MIN_VALUE);
                mv.visitInsn(LXOR);
                if (reg) {
                    load(mv, s);
                    push(mv, Long.MIN_VALUE);
                    mv.visitInsn(LXOR);
                } else {
                    push(mv, (long) imm ^ Long.MIN_VALUE);
                }
            } else {
                operand64(mv, reg, s, imm);
            }
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(cond(code, false), target);
        } else {
            load(mv, d);
            mv.visitInsn(L2I);
            if (code == 0x40) {
                operand32(mv, reg, s, imm);
                mv.visitInsn(IAND);
                mv.visitJumpInsn(IFNE, target);
                return;
            }
            if (unsigned) {
                push(mv, Integer.MIN_VALUE);
                mv.visitInsn(IXOR);
                if (reg) {
                    load(mv, s);
                    mv.visitInsn(L2I);
                    push(mv, Integer.MIN_VALUE);
                    mv.visitInsn(IXOR);
                } else {
                    push(mv, imm ^ Integer.MIN_VALUE);
                }
            } else {
                operand32(mv, reg, s, imm);
            }
            mv.visitJumpInsn(cond(code, true), target);
        }
    }

    /** The JVM branch for a jump code: after LCMP (IFxx) or on two ints (IF_ICMPxx). */
    private static int cond(int code, boolean ints) {
        int c;
        switch (code) {
            case 0x10: c = IFEQ; break;
            case 0x50: c = IFNE; break;
            case 0x20: case 0x60: c = IFGT; break;
            case 0x30: case 0x70: c = IFGE; break;
            case 0xa0: case 0xc0: c = IFLT; break;
            case 0xb0: case 0xd0: c = IFLE; break;
            default: throw new IllegalStateException("jump code 0x" + Integer.toHexString(code));
        }
        return ints ? c - IFEQ + IF_ICMPEQ : c;
    }

    private void helperCall(MethodVisitor mv, int pc, Runnable id) {
        flush(mv);
        Label done = new Label();
        int direct = code.op[pc] == 0x85 ? code.imm[pc] : 0;
        if (direct == 1 || direct == 2) {
            // bpf_map_lookup_elem and _update_elem: a static call while the machine's helper is the standard one
            Label generic = new Label();
            mv.visitVarInsn(ALOAD, M);
            mv.visitFieldInsn(GETFIELD, MACHINE, direct == 1 ? "standardLookup" : "standardUpdate", "Z");
            mv.visitJumpInsn(IFEQ, generic);
            mv.visitVarInsn(ALOAD, M);
            int args = direct == 1 ? 2 : 4;
            for (int r = 1; r <= args; r++) {
                load(mv, r);
            }
            push(mv, pc);
            mv.visitMethodInsn(INVOKESTATIC, HELPERS, direct == 1 ? "mapLookup" : "mapUpdate",
                    "(L" + MACHINE + ";" + "J".repeat(args) + "I)J", false);
            mv.visitJumpInsn(GOTO, done);
            mv.visitLabel(generic);
        }
        mv.visitVarInsn(ALOAD, M);
        id.run();
        for (int r = 1; r <= 5; r++) {
            load(mv, r);
        }
        push(mv, pc);
        mv.visitMethodInsn(INVOKEVIRTUAL, MACHINE, "callHelper", "(IJJJJJI)J", false);
        mv.visitLabel(done);
        store(mv, 0);
        returnIfUnwinding(mv);
        accesses.afterCall(mv);
        if (dag) {
            recheck(mv, pc + 1);
        }
    }

    private static void returnIfUnwinding(MethodVisitor mv) {
        mv.visitVarInsn(ALOAD, M);
        mv.visitFieldInsn(GETFIELD, MACHINE, "unwinding", "Z");
        Label go = new Label();
        mv.visitJumpInsn(IFEQ, go);
        load(mv, 0);
        mv.visitInsn(LRETURN);
        mv.visitLabel(go);
    }

    private void localCall(MethodVisitor mv, int pc) {
        int target = code.target(pc);
        flush(mv);
        mv.visitVarInsn(ALOAD, M);
        push(mv, pc);
        mv.visitMethodInsn(INVOKEVIRTUAL, MACHINE, "enterFrame", "(I)J", false);
        mv.visitVarInsn(LSTORE, TMP);
        mv.visitVarInsn(ALOAD, M);
        for (int r = 0; r <= 9; r++) {
            load(mv, r);
        }
        mv.visitVarInsn(LLOAD, TMP);
        mv.visitMethodInsn(INVOKESTATIC, className, functions.get(target), FUNC_DESC, false);
        store(mv, 0);
        returnIfUnwinding(mv);
        mv.visitVarInsn(ALOAD, M);
        mv.visitMethodInsn(INVOKEVIRTUAL, MACHINE, "leaveFrame", "()V", false);
        accesses.afterCall(mv);
        if (dag) {
            recheck(mv, pc + 1);
        }
        if (clobbersVisible) {
            for (int r = 1; r <= 5; r++) {
                mv.visitVarInsn(ALOAD, M);
                mv.visitFieldInsn(GETFIELD, MACHINE, "x" + r, "J");
                store(mv, r);
            }
        }
    }
}
