package io.jbpf.core.vm.internal.jit;

import static org.objectweb.asm.Opcodes.*;

import io.jbpf.core.vm.internal.Code;
import io.jbpf.core.vm.internal.Executor;
import io.jbpf.core.vm.internal.Interpreter;
import io.jbpf.core.vm.internal.Machine;
import java.lang.invoke.MethodHandles;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * one unchanged base register is checked once for its whole span (see the access groups below).
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
    private static final String MACHINE = "io/jbpf/core/vm/internal/Machine";
    private static final String MEMORY = "io/jbpf/core/vm/internal/Memory";
    private static final String INTERP = "io/jbpf/core/vm/internal/Interpreter";
    private static final String EXECUTOR = "io/jbpf/core/vm/internal/Executor";
    private static final String HELPERS = "io/jbpf/core/vm/internal/StandardHelpers";
    private static final String CONTEXT = "io/jbpf/core/vm/internal/ContextState";
    private static final String EXECUTE_DESC = "(L" + MACHINE + ";IJJJJJJ)J";
    private static final String FUNC_DESC = "(L" + MACHINE + ";JJJJJJJJJJJ)J";
    private static final int M = 0;
    private static final int MEM = 23;
    private static final int TMP = 24;

    private final Code code;
    private final String className;
    /** Function entries, in order. */
    private final TreeMap<Integer, String> functions = new TreeMap<>();
    /** Whether some caller reads r1–r5 after a local call (no verified program does). */
    private boolean clobbersVisible;

    /** The second slots of 64-bit loads. */
    private final BitSet second;

    private JitCompiler(Code code, String className) {
        this.code = code;
        this.className = className;
        this.second = new BitSet(code.length);
        for (int pc = 0; pc < code.length; pc++) {
            if (code.op[pc] == 0x18) {
                second.set(++pc);
            }
        }
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

    // ---- analysis

    static boolean isJump(int op) {
        int cls = op & 7;
        return (cls == 5 || cls == 6) && op != 0x85 && op != 0x8d && op != 0x95;
    }

    private boolean endsBlock(int pc) {
        int op = code.op[pc];
        int cls = op & 7;
        return cls == 5 || cls == 6 || (cls == 0 && op != 0x18);
    }

    /** The slots of the function at {@code entry}, following jumps but not calls. */
    private BitSet reach(int entry, List<Integer> callees) {
        BitSet seen = new BitSet(code.length);
        ArrayDeque<Integer> work = new ArrayDeque<>();
        work.push(entry);
        while (!work.isEmpty()) {
            int pc = work.pop();
            if (seen.get(pc)) {
                continue;
            }
            seen.set(pc);
            int op = code.op[pc];
            if (op == 0x95) {
                continue;
            }
            if (op == 0x05 || op == 0x06) {
                work.push(code.target(pc));
                continue;
            }
            if (isJump(op)) {
                work.push(code.target(pc));
            }
            if (op == 0x85 && code.src[pc] == 1) {
                callees.add(code.target(pc));
            }
            if (op == 0x18 && code.src[pc] == 4) {
                int f = pc + 1 + code.imm[pc];
                if (validEntry(f)) {
                    callees.add(f);
                }
            }
            work.push(op == 0x18 ? pc + 2 : pc + 1);
        }
        return seen;
    }

    /** The range facts of the function at {@code entry} of {@code code}, as the compiler sees them. */
    static RangeAnalysis ranges(Code code, int entry) {
        JitCompiler c = new JitCompiler(code, "ranges");
        return RangeAnalysis.of(code, entry, c.reach(entry, new ArrayList<>()), c::defs);
    }

    private boolean validEntry(int pc) {
        return pc >= 0 && pc < code.length && !second.get(pc);
    }

    // register use (bit r) and definition masks, for the one question of liveness the JIT asks
    private int uses(int pc) {
        int op = code.op[pc];
        int d = 1 << code.dst[pc];
        int s = 1 << code.src[pc];
        int cls = op & 7;
        boolean reg = (op & 0x08) != 0;
        switch (cls) {
            case 4:
            case 7: {
                int c = op & 0xf0;
                if (c == 0xb0) {
                    return reg ? s : 0;
                }
                return d | (reg && c != 0xd0 ? s : 0);
            }
            case 5:
            case 6:
                if (op == 0x85) {
                    return code.src[pc] == 1 ? 0x7ff : 0x3e;
                }
                if (op == 0x8d) {
                    return 0x3e | d;
                }
                if (op == 0x95) {
                    return 1;
                }
                if (op == 0x05 || op == 0x06) {
                    return 0;
                }
                return d | (reg ? s : 0);
            case 0:
                return op == 0x18 ? 0 : (op >= 0x40 ? s : 0);
            case 1:
                return s;
            case 2:
                return d;
            default:
                if ((op & 0xe0) == 0xc0) {
                    int imm = code.imm[pc];
                    return imm == 0x100 ? s : imm == 0xf1 ? d | s | 1 : d | s;
                }
                return d | s;
        }
    }

    private int defs(int pc) {
        int op = code.op[pc];
        int d = 1 << code.dst[pc];
        int s = 1 << code.src[pc];
        int cls = op & 7;
        switch (cls) {
            case 4:
            case 7:
            case 1:
                return d;
            case 0:
                return op == 0x18 ? d : 1;
            case 5:
            case 6:
                return op == 0x85 || op == 0x8d ? 1 : 0;
            case 2:
                return 0;
            default:
                if ((op & 0xe0) == 0xc0) {
                    int imm = code.imm[pc];
                    return imm == 0x100 ? d : imm == 0xf1 ? 1 : (imm & 1) != 0 || imm == 0xe1 ? s : 0;
                }
                return 0;
        }
    }

    /** Whether any local call's caller may read r1–r5 as the callee left them. */
    private boolean clobbersVisible(BitSet all) {
        int n = code.length;
        int[] liveIn = new int[n];
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int pc = n - 1; pc >= 0; pc--) {
                if (!all.get(pc)) {
                    continue;
                }
                int op = code.op[pc];
                int out = 0;
                if (op != 0x95) {
                    if (op != 0x05 && op != 0x06) {
                        int next = op == 0x18 ? pc + 2 : pc + 1;
                        if (next < n) {
                            out |= liveIn[next];
                        }
                    }
                    if (isJump(op)) {
                        out |= liveIn[code.target(pc)];
                    }
                }
                int in = uses(pc) | (out & ~defs(pc));
                if (in != liveIn[pc]) {
                    liveIn[pc] = in;
                    changed = true;
                }
            }
        }
        for (int pc = 0; pc < n; pc++) {
            if (all.get(pc) && code.op[pc] == 0x85 && code.src[pc] == 1 && pc + 1 < n
                    && (liveIn[pc + 1] & 0x3e) != 0) {
                return true;
            }
        }
        return false;
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
            BitSet body = reach(entry, callees);
            bodies.put(entry, body);
            all.or(body);
            work.addAll(callees);
        }
        for (int entry : bodies.keySet()) {
            functions.put(entry, "f" + entry);
        }
        clobbersVisible = clobbersVisible(all);

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

    private static int reg(int r) {
        return 1 + 2 * r;
    }

    private void function(ClassWriter cw, int entry, BitSet body) {
        MethodVisitor mv = cw.visitMethod(ACC_PRIVATE | ACC_STATIC, functions.get(entry), FUNC_DESC, null, null);
        mv.visitCode();
        // leaders of the straight-line blocks
        BitSet leaders = new BitSet(code.length);
        leaders.set(entry);
        for (int pc = body.nextSetBit(0); pc >= 0; pc = body.nextSetBit(pc + 1)) {
            int op = code.op[pc];
            if (isJump(op)) {
                leaders.set(code.target(pc));
            }
            if (endsBlock(pc)) {
                leaders.set(pc + 1);
            }
        }
        Label[] labels = new Label[code.length];
        for (int pc = leaders.nextSetBit(0); pc >= 0 && pc < code.length; pc = leaders.nextSetBit(pc + 1)) {
            labels[pc] = new Label();
        }
        mv.visitVarInsn(ALOAD, M);
        mv.visitFieldInsn(GETFIELD, MACHINE, "memory", "L" + MEMORY + ";");
        mv.visitVarInsn(ASTORE, MEM);
        scanAccesses(body);
        ranges = RangeAnalysis.of(code, entry, body, this::defs);
        stubs.clear();
        stubLabels.clear();
        seedCaches(mv, true);
        findGroups(entry, body);
        for (int b = 0; b < RangeAnalysis.RANGE_ROOTS; b++) {
            mv.visitInsn(ACONST_NULL);
            mv.visitVarInsn(ASTORE, RANGE_ARRAY + b);
            mv.visitInsn(ICONST_0);
            mv.visitVarInsn(ISTORE, RANGE_BASE + b);
        }
        for (int r = 0; r <= 10; r++) {
            mv.visitInsn(ACONST_NULL);
            mv.visitVarInsn(ASTORE, GROUP_ARRAY + r);
            mv.visitInsn(ICONST_0);
            mv.visitVarInsn(ISTORE, GROUP_BASE + r);
        }
        dag = true;
        for (int pc = body.nextSetBit(0); pc >= 0; pc = body.nextSetBit(pc + 1)) {
            if (isJump(code.op[pc]) && code.target(pc) <= pc) {
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
                    if (isJump(op)) {
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
                    if (endsBlock(p)) {
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
            if (isJump(code.op[pc]) && ranges.fallCheck(pc) >= 0) {
                checkRange(mv, ranges.fallCheck(pc));
            }
            if (code.op[pc] == 0x18) {
                pc++;
            }
        }
        for (int[] stub : stubs) {
            // a jump's taken edge that checks a range on its way to the target
            mv.visitLabel(stubLabels.get(stub[0]));
            checkRange(mv, ranges.takenCheck(stub[0]));
            mv.visitJumpInsn(GOTO, labels[stub[1]]);
        }
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /*
     * Counting in a function without backward jumps: no path through it is longer than longest[pc]
     * instructions until the next call, so when that many still fit in the budget (FAST), blocks
     * only add to the local CNT, which goes to the machine before every call and exit; otherwise
     * every block is counted and checked as in a function with loops.
     */
    private static final int CNT = 38;
    private static final int FAST = 39;
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

    /** Stores into int local {@code local} 1 on the path that falls through to here, 0 on the jumps to {@code no}. */
    private static void flag(MethodVisitor mv, Label no, int local) {
        Label set = new Label();
        mv.visitInsn(ICONST_1);
        mv.visitJumpInsn(GOTO, set);
        mv.visitLabel(no);
        mv.visitInsn(ICONST_0);
        mv.visitLabel(set);
        mv.visitVarInsn(ISTORE, local);
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

    private static void push(MethodVisitor mv, int v) {
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

    private static void push(MethodVisitor mv, long v) {
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

    private static void load(MethodVisitor mv, int r) {
        mv.visitVarInsn(LLOAD, reg(r));
    }

    private static void store(MethodVisitor mv, int r) {
        mv.visitVarInsn(LSTORE, reg(r));
    }

    /** Pushes the 32-bit form of the ALU operand: imm, or the low half of src. */
    private static void operand32(MethodVisitor mv, boolean reg, int s, int imm) {
        if (reg) {
            load(mv, s);
            mv.visitInsn(L2I);
        } else {
            push(mv, imm);
        }
    }

    private static void operand64(MethodVisitor mv, boolean reg, int s, int imm) {
        if (reg) {
            load(mv, s);
        } else {
            push(mv, (long) imm);
        }
    }

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
                alu64(mv, op, d, s, off, imm, reg);
                break;
            case 4:
                alu32(mv, op, d, s, off, imm, reg);
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
                    packetLoad(mv, pc, op, s, imm);
                }
                break;
            case 1: {
                int size = size(op);
                memLoad(mv, s, off, size, pc, true);
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
                memStore(mv, d, off, size(op), pc, () -> push(mv, (long) imm), true);
                break;
            default:
                if ((op & 0xe0) == 0xc0) {
                    atomic(mv, pc, op, d, s, off, imm);
                } else {
                    memStore(mv, d, off, size(op), pc, () -> load(mv, s), true);
                }
                break;
        }
        if (groupHead.get(pc)) {
            groupCheck(mv, pc);
        }
    }

    /*
     * Access groups. A group is a run of plain loads and stores through one base register along a
     * straight line of code (fall-through only: it ends where a jump lands, at calls and legacy
     * packet loads, and where the base register is written), so its first access dominates the
     * others and the base register holds one value throughout. After the first access, one check
     * asks whether the whole span of offsets the group touches lies in the cached region's window;
     * if so, the other accesses of the group go straight to the array (the JVM's own index check
     * stays), else each takes the usual checked path. Side exits are fine: a span checked but not
     * all reached only means the check was stricter than needed, and a failed check falls back to
     * per-access checks with exact faults.
     */
    private static final int GROUP_ARRAY = 40;
    private static final int GROUP_BASE = 51;
    private final BitSet groupHead = new BitSet();
    private final BitSet follower = new BitSet();
    private int[] groupLow;
    private int[] groupSpan;

    /** The base register of a plain load or store (not atomic), or -1. */
    private static int accessBase(int op, int d, int s) {
        switch (op) {
            case 0x61: case 0x69: case 0x71: case 0x79: case 0x81: case 0x89: case 0x91:
                return s;
            case 0x62: case 0x6a: case 0x72: case 0x7a: case 0x63: case 0x6b: case 0x73: case 0x7b:
                return d;
            default:
                return -1;
        }
    }

    private void findGroups(int entry, BitSet body) {
        groupHead.clear();
        follower.clear();
        if (groupLow == null) {
            groupLow = new int[code.length];
            groupSpan = new int[code.length];
        }
        BitSet targets = new BitSet(code.length);
        targets.set(entry);
        for (int pc = body.nextSetBit(0); pc >= 0; pc = body.nextSetBit(pc + 1)) {
            if (isJump(code.op[pc])) {
                targets.set(code.target(pc));
            }
        }
        int[] head = new int[11];
        int[] lo = new int[11];
        int[] hi = new int[11];
        List<List<Integer>> members = new ArrayList<>();
        for (int r = 0; r <= 10; r++) {
            head[r] = -1;
            members.add(new ArrayList<>());
        }
        int fallsTo = -1;
        for (int pc = body.nextSetBit(0); pc >= 0; pc = body.nextSetBit(pc + 1)) {
            if (targets.get(pc) || pc != fallsTo) {
                for (int r = 0; r <= 10; r++) {
                    closeGroup(r, head, lo, hi, members);
                }
            }
            int op = code.op[pc];
            int b = accessBase(op, code.dst[pc], code.src[pc]);
            if (b >= 0 && !vouched(pc, b, code.off[pc], size(op))) {
                int from = code.off[pc];
                int to = from + size(op);
                if (head[b] < 0) {
                    head[b] = pc;
                    lo[b] = from;
                    hi[b] = to;
                } else {
                    lo[b] = Math.min(lo[b], from);
                    hi[b] = Math.max(hi[b], to);
                    members.get(b).add(pc);
                }
            }
            boolean barrier = ((op & 7) == 0 && op != 0x18) || op == 0x85 || op == 0x8d;
            int written = defs(pc);
            for (int r = 0; r <= 10; r++) {
                if (barrier || (written & (1 << r)) != 0) {
                    closeGroup(r, head, lo, hi, members);
                }
            }
            fallsTo = op == 0x05 || op == 0x06 || op == 0x95 ? -1 : op == 0x18 ? pc + 2 : pc + 1;
        }
        for (int r = 0; r <= 10; r++) {
            closeGroup(r, head, lo, hi, members);
        }
    }

    private void closeGroup(int r, int[] head, int[] lo, int[] hi, List<List<Integer>> members) {
        if (head[r] >= 0 && !members.get(r).isEmpty()) {
            groupHead.set(head[r]);
            groupLow[head[r]] = lo[r];
            groupSpan[head[r]] = hi[r] - lo[r];
            for (int f : members.get(r)) {
                follower.set(f);
            }
        }
        head[r] = -1;
        members.get(r).clear();
    }

    /** After a group's first access: GROUP_ARRAY = the cached array if the group's span fits its window, else null. */
    private void groupCheck(MethodVisitor mv, int pc) {
        int op = code.op[pc];
        int b = accessBase(op, code.dst[pc], code.src[pc]);
        int c = cache(b);
        Label fail = new Label();
        load(mv, b);
        push(mv, (long) groupLow[pc]);
        mv.visitInsn(LADD);
        mv.visitInsn(DUP2);
        mv.visitInsn(L2I);
        mv.visitVarInsn(ISTORE, OFF);
        push(mv, 32);
        mv.visitInsn(LUSHR);
        mv.visitInsn(L2I);
        mv.visitVarInsn(ILOAD, c);
        mv.visitJumpInsn(IF_ICMPNE, fail);
        mv.visitVarInsn(ILOAD, OFF);
        mv.visitVarInsn(ILOAD, c + 2);
        mv.visitJumpInsn(IF_ICMPLT, fail);
        mv.visitVarInsn(ILOAD, OFF);
        mv.visitVarInsn(ILOAD, c + 3);
        push(mv, groupSpan[pc]);
        mv.visitInsn(ISUB);
        mv.visitJumpInsn(IF_ICMPGT, fail);
        load(mv, b);
        mv.visitInsn(L2I);
        mv.visitVarInsn(ISTORE, GROUP_BASE + b);
        mv.visitVarInsn(ALOAD, c + 1);
        arrayOrNull(mv, fail, GROUP_ARRAY + b);
    }

    /** Stores the array on the stack into {@code local}, or null there on the jumps to {@code fail}. */
    private static void arrayOrNull(MethodVisitor mv, Label fail, int local) {
        Label end = new Label();
        mv.visitVarInsn(ASTORE, local);
        mv.visitJumpInsn(GOTO, end);
        mv.visitLabel(fail);
        mv.visitInsn(ACONST_NULL);
        mv.visitVarInsn(ASTORE, local);
        mv.visitLabel(end);
    }

    /** A follower's fast path: pushes the group's array and the access's index, or jumps to {@code slow}. */
    private static void groupAccess(MethodVisitor mv, int b, int off, Label slow) {
        mv.visitVarInsn(ALOAD, GROUP_ARRAY + b);
        mv.visitJumpInsn(IFNULL, slow);
        mv.visitVarInsn(ALOAD, GROUP_ARRAY + b);
        mv.visitVarInsn(ILOAD, GROUP_BASE + b);
        push(mv, off);
        mv.visitInsn(IADD);
    }

    /*
     * Checked ranges (see RangeAnalysis): per root register, the array of the region a check found
     * [root, root + length) in, or null, and the root's offset in it; for the stack, the same for
     * the frame below r10, checked at entry and after every call; for the context, whether r1 held
     * the context's address at entry.
     */
    private static final int RANGE_ARRAY = 65;
    private static final int RANGE_BASE = 75;
    private static final int STACK_ARRAY = 85;
    private static final int STACK_BASE = 86;
    private static final int CTX_OK = 87;
    private RangeAnalysis ranges;
    /** Jumps whose taken edge checks a range: {pc, target}, with the stub's label by pc. */
    private final List<int[]> stubs = new ArrayList<>();
    private final Map<Integer, Label> stubLabels = new HashMap<>();

    /**
     * Checks the range {@code check} (root * 2^16 + length) against the packet's region (or raw
     * memory's) as Memory has it now: a check happens once per bounds check of the program, so it
     * reads Memory's fields rather than the cache, which may hold another region by then.
     */
    private void checkRange(MethodVisitor mv, int check) {
        if (!usesOther) {
            return;
        }
        int b = check >>> 16;
        int length = check & 0xffff;
        Label fail = new Label();
        load(mv, b);
        mv.visitInsn(L2I);
        mv.visitVarInsn(ISTORE, RANGE_BASE + b);
        region(mv, b);
        mv.visitVarInsn(ALOAD, MEM);
        mv.visitFieldInsn(GETFIELD, MEMORY, "packetId", "I");
        mv.visitJumpInsn(IF_ICMPNE, fail);
        mv.visitVarInsn(ILOAD, RANGE_BASE + b);
        mv.visitVarInsn(ALOAD, MEM);
        mv.visitFieldInsn(GETFIELD, MEMORY, "packetLo", "I");
        mv.visitJumpInsn(IF_ICMPLT, fail);
        mv.visitVarInsn(ILOAD, RANGE_BASE + b);
        mv.visitVarInsn(ALOAD, MEM);
        mv.visitFieldInsn(GETFIELD, MEMORY, "packetHi", "I");
        push(mv, length);
        mv.visitInsn(ISUB);
        mv.visitJumpInsn(IF_ICMPGT, fail);
        mv.visitVarInsn(ALOAD, MEM);
        mv.visitFieldInsn(GETFIELD, MEMORY, "packetData", "[B");
        arrayOrNull(mv, fail, RANGE_ARRAY + b);
    }

    /** Pushes the region number of the address in register {@code r}. */
    private static void region(MethodVisitor mv, int r) {
        load(mv, r);
        push(mv, 32);
        mv.visitInsn(LUSHR);
        mv.visitInsn(L2I);
    }

    /** STACK_ARRAY = the stack's array if r10's frame lies in the cached stack window, else null. */
    private static void checkStack(MethodVisitor mv) {
        int c = cache(10);
        Label fail = new Label();
        load(mv, 10);
        mv.visitInsn(L2I);
        mv.visitVarInsn(ISTORE, STACK_BASE);
        region(mv, 10);
        mv.visitVarInsn(ILOAD, c);
        mv.visitJumpInsn(IF_ICMPNE, fail);
        mv.visitVarInsn(ILOAD, STACK_BASE);
        push(mv, Machine.FRAME);
        mv.visitInsn(ISUB);
        mv.visitVarInsn(ILOAD, c + 2);
        mv.visitJumpInsn(IF_ICMPLT, fail);
        mv.visitVarInsn(ILOAD, STACK_BASE);
        mv.visitVarInsn(ILOAD, c + 3);
        mv.visitJumpInsn(IF_ICMPGT, fail);
        mv.visitVarInsn(ALOAD, c + 1);
        arrayOrNull(mv, fail, STACK_ARRAY);
    }

    /** Whether a checked range (the stack frame's, or one the program checked) covers the plain access at {@code pc}. */
    private boolean vouched(int pc, int r, int off, int size) {
        if (r == 10) {
            return usesStack && fixedFrame && off >= -Machine.FRAME && off + size <= 0;
        }
        int root = ranges.root(pc, r);
        int b = root >= 0 ? root : r;
        long index = (long) ranges.offset(pc, r) + off;
        return b < RangeAnalysis.RANGE_ROOTS && index >= 0 && index + size <= ranges.checked(pc, b);
    }

    /**
     * Pushes the array and index of a plain access of {@code size} bytes at {@code r + off} whose
     * range a check vouches for, jumping to {@code slow} when the check failed; returns false
     * (emitting nothing) when nothing vouches for it.
     */
    private boolean checkedAccess(MethodVisitor mv, int pc, int r, int off, int size, Label slow) {
        if (!vouched(pc, r, off, size)) {
            return false;
        }
        int array;
        int base;
        long index;
        if (r == 10) {
            array = STACK_ARRAY;
            base = STACK_BASE;
            index = off;
        } else {
            int root = ranges.root(pc, r);
            int b = root >= 0 ? root : r;
            index = (long) ranges.offset(pc, r) + off;
            array = RANGE_ARRAY + b;
            base = RANGE_BASE + b;
        }
        mv.visitVarInsn(ALOAD, array);
        mv.visitJumpInsn(IFNULL, slow);
        mv.visitVarInsn(ALOAD, array);
        mv.visitVarInsn(ILOAD, base);
        if (index != 0) {
            push(mv, (int) index);
            mv.visitInsn(IADD);
        }
        return true;
    }

    /**
     * A load through the value r1 had at entry, while that was the context's address: straight to
     * the context's access with a constant offset (which the JVM folds), unless it refuses the field;
     * returns false (emitting nothing) for other loads.
     */
    private boolean contextLoad(MethodVisitor mv, int pc, int r, int off, int size, Label done, Label slow) {
        if (r == 10 || ranges.root(pc, r) != RangeAnalysis.ENTRY_R1) {
            return false;
        }
        long field = (long) ranges.offset(pc, r) + off;
        if (field < 0 || field > 0xffff) {
            return false;
        }
        mv.visitVarInsn(ILOAD, CTX_OK);
        mv.visitJumpInsn(IFEQ, slow);
        mv.visitVarInsn(ILOAD, CTX_HI);
        push(mv, (int) field + size);
        mv.visitJumpInsn(IF_ICMPLT, slow);
        mv.visitVarInsn(ALOAD, CTX_SP);
        push(mv, (int) field);
        push(mv, size);
        contextField(mv, slow, done);
        return true;
    }

    /** Calls the context's load (its access, offset and size pushed): its value to {@code done}, or to {@code refused}. */
    private static void contextField(MethodVisitor mv, Label refused, Label done) {
        mv.visitMethodInsn(INVOKEINTERFACE, SPECIAL, "load", "(II)J", true);
        mv.visitInsn(DUP2);
        mv.visitVarInsn(LSTORE, TMP);
        mv.visitLdcInsn(Long.MIN_VALUE);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFEQ, refused);
        mv.visitVarInsn(LLOAD, TMP);
        mv.visitJumpInsn(GOTO, done);
    }

    private static int size(int op) {
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

    private static void address(MethodVisitor mv, int r, int off) {
        load(mv, r);
        if (off != 0) {
            push(mv, (long) off);
            mv.visitInsn(LADD);
        }
    }

    /*
     * Plain memory goes through a cache of one region's array and window in locals: one for
     * accesses based on r10 (the stack), one for the others. A hit is an id compare and a window
     * check; a miss takes Memory's checked path (same faults, same messages) and then caches the
     * region if it is plain writable memory. The caches start over after every call, since only
     * helpers change regions.
     */
    private static final int ADDR = 26;
    private static final int ID = 28;
    private static final int OFF = 29;
    private static final int CACHES = 30;

    private static int cache(int base) {
        return CACHES + (base == 10 ? 4 : 0);
    }

    /**
     * Fills the caches with the regions accesses most likely go to (Memory keeps them marked): the
     * stack for r10, the packet (or raw memory) for the others, and at entry the context struct.
     * At function entry and after every call, since only helpers move windows or replace arrays;
     * a cache only speeds up the check, which stays the same.
     */
    private void seedCaches(MethodVisitor mv, boolean entry) {
        for (int c = CACHES; c < CACHES + 8; c += 4) {
            if (!(c == cache(10) ? usesStack : usesOther)) {
                if (entry) {
                    // never used, but the verifier wants the locals set
                    mv.visitInsn(ICONST_0);
                    mv.visitVarInsn(ISTORE, c);
                    mv.visitInsn(ACONST_NULL);
                    mv.visitVarInsn(ASTORE, c + 1);
                    mv.visitInsn(ICONST_1);
                    mv.visitVarInsn(ISTORE, c + 2);
                    mv.visitInsn(ICONST_0);
                    mv.visitVarInsn(ISTORE, c + 3);
                }
                continue;
            }
            String kind = c == cache(10) ? "stack" : "packet";
            mv.visitVarInsn(ALOAD, MEM);
            mv.visitFieldInsn(GETFIELD, MEMORY, kind + "Id", "I");
            mv.visitVarInsn(ISTORE, c);
            mv.visitVarInsn(ALOAD, MEM);
            mv.visitFieldInsn(GETFIELD, MEMORY, kind + "Data", "[B");
            mv.visitVarInsn(ASTORE, c + 1);
            mv.visitVarInsn(ALOAD, MEM);
            mv.visitFieldInsn(GETFIELD, MEMORY, kind + "Lo", "I");
            mv.visitVarInsn(ISTORE, c + 2);
            mv.visitVarInsn(ALOAD, MEM);
            mv.visitFieldInsn(GETFIELD, MEMORY, kind + "Hi", "I");
            mv.visitVarInsn(ISTORE, c + 3);
            if (c == cache(10) && fixedFrame) {
                checkStack(mv);
            }
        }
        if (entry) {
            // the context region never changes during a run
            mv.visitVarInsn(ALOAD, MEM);
            mv.visitFieldInsn(GETFIELD, MEMORY, "contextId", "I");
            mv.visitVarInsn(ISTORE, CTX_ID);
            mv.visitVarInsn(ALOAD, MEM);
            mv.visitFieldInsn(GETFIELD, MEMORY, "contextAccess", "L" + SPECIAL + ";");
            mv.visitVarInsn(ASTORE, CTX_SP);
            mv.visitVarInsn(ALOAD, MEM);
            mv.visitFieldInsn(GETFIELD, MEMORY, "contextHi", "I");
            mv.visitVarInsn(ISTORE, CTX_HI);
            // CTX_OK = a context is there and r1 holds its address
            Label no = new Label();
            mv.visitVarInsn(ILOAD, CTX_ID);
            mv.visitJumpInsn(IFLE, no);
            load(mv, 1);
            mv.visitVarInsn(ILOAD, CTX_ID);
            mv.visitInsn(I2L);
            push(mv, 32);
            mv.visitInsn(LSHL);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFNE, no);
            flag(mv, no, CTX_OK);
        }
    }

    /*
     * The context cache: the context struct's region, its access and its size, for loads that
     * miss the plain caches. A load of a field the region gives goes straight to it; anything else
     * (a refused field, a store) takes Memory's checked path.
     */
    private static final int CTX_ID = 62;
    private static final int CTX_SP = 63;
    private static final int CTX_HI = 64;
    private static final String SPECIAL = "io/jbpf/core/vm/internal/SpecialRegion";
    /** Whether the function accesses memory through r10, and through other registers. */
    private boolean usesStack;
    private boolean usesOther;
    /** Whether nothing in the function writes r10 (no verifier lets a program, but the VM runs what it is given). */
    private boolean fixedFrame;

    private void scanAccesses(BitSet body) {
        usesStack = false;
        usesOther = false;
        fixedFrame = true;
        for (int pc = body.nextSetBit(0); pc >= 0; pc = body.nextSetBit(pc + 1)) {
            int op = code.op[pc];
            int cls = op & 7;
            if ((defs(pc) & 1 << 10) != 0) {
                fixedFrame = false;
            }
            int base;
            if (cls == 1) {
                base = code.src[pc];
            } else if (cls == 2) {
                base = code.dst[pc];
            } else if (cls == 3) {
                base = (op & 0xe0) == 0xc0 && code.imm[pc] == 0x100 ? code.src[pc] : code.dst[pc];
            } else {
                continue;
            }
            if (base == 10) {
                usesStack = true;
            } else {
                usesOther = true;
            }
        }
    }

    /** Computes the address into ADDR, ID and OFF and jumps to {@code miss} unless the cache holds it. */
    private static void probe(MethodVisitor mv, int r, int off, int size, Label miss) {
        int c = cache(r);
        address(mv, r, off);
        mv.visitInsn(DUP2);
        mv.visitVarInsn(LSTORE, ADDR);
        mv.visitInsn(DUP2);
        mv.visitInsn(L2I);
        mv.visitVarInsn(ISTORE, OFF);
        push(mv, 32);
        mv.visitInsn(LUSHR);
        mv.visitInsn(L2I);
        mv.visitInsn(DUP);
        mv.visitVarInsn(ISTORE, ID);
        mv.visitVarInsn(ILOAD, c);
        mv.visitJumpInsn(IF_ICMPNE, miss);
        mv.visitVarInsn(ILOAD, OFF);
        mv.visitVarInsn(ILOAD, c + 2);
        mv.visitJumpInsn(IF_ICMPLT, miss);
        mv.visitVarInsn(ILOAD, OFF);
        mv.visitVarInsn(ILOAD, c + 3);
        push(mv, size);
        mv.visitInsn(ISUB);
        mv.visitJumpInsn(IF_ICMPGT, miss);
    }

    /** After a miss: caches region ID if it may be cached. */
    private static void refill(MethodVisitor mv, int r) {
        int c = cache(r);
        Label done = new Label();
        mv.visitVarInsn(ALOAD, MEM);
        mv.visitVarInsn(ILOAD, ID);
        mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, "cacheable", "(I)Z", false);
        mv.visitJumpInsn(IFEQ, done);
        mv.visitVarInsn(ILOAD, ID);
        mv.visitVarInsn(ISTORE, c);
        mv.visitVarInsn(ALOAD, MEM);
        mv.visitVarInsn(ILOAD, ID);
        mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, "array", "(I)[B", false);
        mv.visitVarInsn(ASTORE, c + 1);
        mv.visitVarInsn(ALOAD, MEM);
        mv.visitVarInsn(ILOAD, ID);
        mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, "low", "(I)I", false);
        mv.visitVarInsn(ISTORE, c + 2);
        mv.visitVarInsn(ALOAD, MEM);
        mv.visitVarInsn(ILOAD, ID);
        mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, "high", "(I)I", false);
        mv.visitVarInsn(ISTORE, c + 3);
        mv.visitLabel(done);
    }

    private void memLoad(MethodVisitor mv, int r, int off, int size, int pc, boolean grouped) {
        Label miss = new Label();
        Label done = new Label();
        Label unchecked = new Label();
        if (grouped && checkedAccess(mv, pc, r, off, size, unchecked)) {
            mv.visitMethodInsn(INVOKESTATIC, MEMORY, "get" + size, "([BI)J", false);
            mv.visitJumpInsn(GOTO, done);
            // the range check failed: rare, so Memory's checked path alone, to keep the code small
            mv.visitLabel(unchecked);
            mv.visitVarInsn(ALOAD, MEM);
            address(mv, r, off);
            push(mv, pc);
            mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, "load" + size, "(JI)J", false);
            mv.visitLabel(done);
            return;
        } else if (grouped) {
            if (contextLoad(mv, pc, r, off, size, done, unchecked)) {
                mv.visitLabel(unchecked);
            }
            if (follower.get(pc)) {
                Label slow = new Label();
                groupAccess(mv, r, off, slow);
                mv.visitMethodInsn(INVOKESTATIC, MEMORY, "get" + size, "([BI)J", false);
                mv.visitJumpInsn(GOTO, done);
                mv.visitLabel(slow);
            }
        }
        probe(mv, r, off, size, miss);
        mv.visitVarInsn(ALOAD, cache(r) + 1);
        mv.visitVarInsn(ILOAD, OFF);
        mv.visitMethodInsn(INVOKESTATIC, MEMORY, "get" + size, "([BI)J", false);
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(miss);
        if (r != 10) {
            // a field of the context struct: straight to its region's access when it gives the field
            Label general = new Label();
            mv.visitVarInsn(ILOAD, ID);
            mv.visitVarInsn(ILOAD, CTX_ID);
            mv.visitJumpInsn(IF_ICMPNE, general);
            mv.visitVarInsn(ILOAD, OFF);
            mv.visitJumpInsn(IFLT, general);
            mv.visitVarInsn(ILOAD, OFF);
            mv.visitVarInsn(ILOAD, CTX_HI);
            push(mv, size);
            mv.visitInsn(ISUB);
            mv.visitJumpInsn(IF_ICMPGT, general);
            mv.visitVarInsn(ALOAD, CTX_SP);
            mv.visitVarInsn(ILOAD, OFF);
            push(mv, size);
            contextField(mv, general, done);
            mv.visitLabel(general);
        }
        mv.visitVarInsn(ALOAD, MEM);
        mv.visitVarInsn(LLOAD, ADDR);
        push(mv, pc);
        mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, "load" + size, "(JI)J", false);
        refill(mv, r);
        mv.visitLabel(done);
    }

    private void memStore(MethodVisitor mv, int r, int off, int size, int pc, Runnable value, boolean grouped) {
        Label miss = new Label();
        Label done = new Label();
        Label unchecked = new Label();
        if (grouped && checkedAccess(mv, pc, r, off, size, unchecked)) {
            value.run();
            mv.visitMethodInsn(INVOKESTATIC, MEMORY, "put" + size, "([BIJ)V", false);
            mv.visitJumpInsn(GOTO, done);
            // the range check failed: rare, so Memory's checked path alone, to keep the code small
            mv.visitLabel(unchecked);
            mv.visitVarInsn(ALOAD, MEM);
            address(mv, r, off);
            value.run();
            push(mv, pc);
            mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, "store" + size, "(JJI)V", false);
            mv.visitLabel(done);
            return;
        } else if (grouped && follower.get(pc)) {
            Label slow = new Label();
            groupAccess(mv, r, off, slow);
            value.run();
            mv.visitMethodInsn(INVOKESTATIC, MEMORY, "put" + size, "([BIJ)V", false);
            mv.visitJumpInsn(GOTO, done);
            mv.visitLabel(slow);
        }
        probe(mv, r, off, size, miss);
        mv.visitVarInsn(ALOAD, cache(r) + 1);
        mv.visitVarInsn(ILOAD, OFF);
        value.run();
        mv.visitMethodInsn(INVOKESTATIC, MEMORY, "put" + size, "([BIJ)V", false);
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(miss);
        mv.visitVarInsn(ALOAD, MEM);
        mv.visitVarInsn(LLOAD, ADDR);
        value.run();
        push(mv, pc);
        mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, "store" + size, "(JJI)V", false);
        refill(mv, r);
        mv.visitLabel(done);
    }

    private void atomic(MethodVisitor mv, int pc, int op, int d, int s, int off, int imm) {
        int size = size(op);
        if (imm == 0x100) {
            memLoad(mv, s, off, size, pc, false);
            store(mv, d);
            return;
        }
        if (imm == 0x110) {
            memStore(mv, d, off, size, pc, () -> load(mv, s), false);
            return;
        }
        mv.visitVarInsn(ALOAD, MEM);
        address(mv, d, off);
        push(mv, size);
        push(mv, imm == 0xf1 || imm == 0xe1 ? imm : imm & ~1);
        load(mv, s);
        if (imm == 0xf1) {
            load(mv, 0);
        } else {
            mv.visitInsn(LCONST_0);
        }
        push(mv, pc);
        mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, "atomic", "(JIIJJI)J", false);
        if (imm == 0xf1) {
            store(mv, 0);
        } else if (imm == 0xe1 || (imm & 1) != 0) {
            store(mv, s);
        } else {
            mv.visitInsn(POP2);
        }
    }

    private static void packetLoad(MethodVisitor mv, int pc, int op, int s, int imm) {
        int size = op == 0x20 || op == 0x40 ? 4 : op == 0x28 || op == 0x48 ? 2 : 1;
        mv.visitVarInsn(ALOAD, M);
        mv.visitFieldInsn(GETFIELD, MACHINE, "context", "L" + CONTEXT + ";");
        if (op >= 0x40) {
            load(mv, s);
            mv.visitInsn(L2I);
            push(mv, imm);
            mv.visitInsn(IADD);
        } else {
            push(mv, imm);
        }
        push(mv, size);
        mv.visitMethodInsn(INVOKEVIRTUAL, CONTEXT, "packetLoad", "(II)J", false);
        mv.visitVarInsn(LSTORE, TMP);
        mv.visitVarInsn(LLOAD, TMP);
        mv.visitInsn(LCONST_0);
        mv.visitInsn(LCMP);
        Label ok = new Label();
        mv.visitJumpInsn(IFGE, ok);
        mv.visitVarInsn(ALOAD, M);
        mv.visitInsn(LCONST_0);
        mv.visitMethodInsn(INVOKEVIRTUAL, MACHINE, "stop", "(J)V", false);
        mv.visitInsn(LCONST_0);
        mv.visitInsn(LRETURN);
        mv.visitLabel(ok);
        mv.visitVarInsn(LLOAD, TMP);
        store(mv, 0);
    }

    private static void arith(MethodVisitor mv, String name, String desc, int off) {
        push(mv, off);
        mv.visitMethodInsn(INVOKESTATIC, INTERP, name, desc, false);
    }

    private static void alu64(MethodVisitor mv, int op, int d, int s, int off, int imm, boolean reg) {
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

    private static void alu32(MethodVisitor mv, int op, int d, int s, int off, int imm, boolean reg) {
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
        Label target = labels[this.code.target(pc)];
        if (ranges.takenCheck(pc) >= 0) {
            target = new Label();
            stubs.add(new int[] {pc, this.code.target(pc)});
            stubLabels.put(pc, target);
        }
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
        seedCaches(mv, false);
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
        seedCaches(mv, false);
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
