package io.jbpf.core.vm.internal.jit;

import static io.jbpf.core.vm.internal.jit.Bytecode.*;
import static org.objectweb.asm.Opcodes.*;

import io.jbpf.core.vm.internal.Code;
import io.jbpf.core.vm.internal.Machine;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * The memory accesses of one compiled function: what the compiler knows about them before it
 * emits anything (which registers they go through, which access groups there are, which ranges
 * the program's own bounds checks vouch for), and the bytecode of every load, store and atomic.
 *
 * <p>Every access ends up checked: straight to an array where a check at run time (a group's
 * span, a range the program checked, the stack frame) already covers it, else through a region
 * cached in locals, else through Memory's checked path, which faults exactly as the interpreter
 * does. The locals this uses are listed in {@link Bytecode}.
 */
final class Accesses {
    private static final String CONTEXT = "io/jbpf/core/vm/internal/ContextState";
    private static final String SPECIAL = "io/jbpf/core/vm/internal/SpecialRegion";

    private final Code code;
    private final Flow flow;
    private final RangeAnalysis ranges;
    /** Whether the function accesses memory through r10, and through other registers. */
    private boolean usesStack;
    private boolean usesOther;
    /** Whether nothing in the function writes r10 (no verifier lets a program, but the VM runs what it is given). */
    private boolean fixedFrame;
    /** The first access of each group, and the others. */
    private final BitSet groupHead = new BitSet();
    private final BitSet follower = new BitSet();
    /** By group head: the lowest offset the group touches, and the span up to its highest byte. */
    private final int[] groupLow;
    private final int[] groupSpan;
    /** Jumps whose taken edge checks a range on its way to the target, through a stub at {@code label}. */
    private record Stub(int pc, int target, Label label) {}

    private final List<Stub> stubs = new ArrayList<>();

    /** The accesses of the function at {@code entry} whose slots are {@code body}. */
    Accesses(Flow flow, int entry, BitSet body) {
        this.flow = flow;
        this.code = flow.code();
        this.groupLow = new int[code.length];
        this.groupSpan = new int[code.length];
        scanAccesses(body);
        this.ranges = RangeAnalysis.of(flow, entry, body);
        findGroups(entry, body);
    }

    /**
     * At the function's entry: the memory and the caches in their locals, no range or group checked
     * yet. Only the locals some access reads are set (the JVM's verifier wants no more): the
     * smaller a compiled function, the likelier the JVM inlines it into its caller.
     */
    void enter(MethodVisitor mv) {
        mv.visitVarInsn(ALOAD, M);
        mv.visitFieldInsn(GETFIELD, MACHINE, "memory", "L" + MEMORY + ";");
        mv.visitVarInsn(ASTORE, MEM);
        seedCaches(mv, true);
        BitSet checkedRoots = new BitSet();
        for (int pc = 0; pc < code.length; pc++) {
            for (int check : new int[] {ranges.fallCheck(pc), ranges.takenCheck(pc)}) {
                if (check >= 0) {
                    checkedRoots.set(check >>> 16);
                }
            }
        }
        for (int b = checkedRoots.nextSetBit(0); b >= 0; b = checkedRoots.nextSetBit(b + 1)) {
            mv.visitInsn(ACONST_NULL);
            mv.visitVarInsn(ASTORE, RANGE_ARRAY + b);
            mv.visitInsn(ICONST_0);
            mv.visitVarInsn(ISTORE, RANGE_BASE + b);
        }
        BitSet groupBases = new BitSet();
        for (int pc = groupHead.nextSetBit(0); pc >= 0; pc = groupHead.nextSetBit(pc + 1)) {
            groupBases.set(accessBase(code.op[pc], code.dst[pc], code.src[pc]));
        }
        for (int r = groupBases.nextSetBit(0); r >= 0; r = groupBases.nextSetBit(r + 1)) {
            mv.visitInsn(ACONST_NULL);
            mv.visitVarInsn(ASTORE, GROUP_ARRAY + r);
            mv.visitInsn(ICONST_0);
            mv.visitVarInsn(ISTORE, GROUP_BASE + r);
        }
    }

    /** After a call returned: the caches again, since only helpers move windows or replace arrays. */
    void afterCall(MethodVisitor mv) {
        seedCaches(mv, false);
    }

    /** After the instruction at {@code pc}: its group's check if it heads one, the range its fall-through edge checks if any. */
    void afterInsn(MethodVisitor mv, int pc) {
        if (groupHead.get(pc)) {
            groupCheck(mv, pc);
        }
        if (Flow.isJump(code.op[pc]) && ranges.fallCheck(pc) >= 0) {
            checkRange(mv, ranges.fallCheck(pc));
        }
    }

    /** Where the conditional jump at {@code pc} should go: a stub that checks a range on the way to {@code target}, or the target's own label. */
    Label takenEdge(int pc, int target, Label[] labels) {
        if (ranges.takenCheck(pc) < 0) {
            return labels[target];
        }
        Stub stub = new Stub(pc, target, new Label());
        stubs.add(stub);
        return stub.label();
    }

    /** The stubs of {@link #takenEdge}, after the function's code. */
    void emitStubs(MethodVisitor mv, Label[] labels) {
        for (Stub stub : stubs) {
            mv.visitLabel(stub.label());
            checkRange(mv, ranges.takenCheck(stub.pc()));
            mv.visitJumpInsn(GOTO, labels[stub.target()]);
        }
    }

    /** A plain load of {@code size} bytes at {@code r + off}, its value (zero-extended) left on the stack. */
    void plainLoad(MethodVisitor mv, int r, int off, int size, int pc) {
        access(mv, r, off, size, pc, null, true);
    }

    /** A plain store of {@code size} bytes at {@code r + off} of the value {@code value} pushes. */
    void plainStore(MethodVisitor mv, int r, int off, int size, int pc, Runnable value) {
        access(mv, r, off, size, pc, value, true);
    }

    /*
     * Access groups. A group is a run of plain loads and stores through one base register (other
     * than those a checked range covers or that go straight to the context) along a straight line
     * of code (fall-through only: it ends where a jump lands, at calls and legacy
     * packet loads, and where the base register is written), so its first access dominates the
     * others and the base register holds one value throughout. After the first access, one check
     * asks whether the whole span of offsets the group touches lies in the cached region's window;
     * if so, the other accesses of the group go straight to the array (the JVM's own index check
     * stays), else each takes the usual checked path. Side exits are fine: a span checked but not
     * all reached only means the check was stricter than needed, and a failed check falls back to
     * per-access checks with exact faults.
     */

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
        BitSet targets = new BitSet(code.length);
        targets.set(entry);
        for (int pc = body.nextSetBit(0); pc >= 0; pc = body.nextSetBit(pc + 1)) {
            if (Flow.isJump(code.op[pc])) {
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
            boolean ownPath = b >= 0 && (vouched(pc, b, code.off[pc], size(op))
                    || (op & 7) == 1 && throughContext(pc, b, code.off[pc]));
            if (b >= 0 && !ownPath) {
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
            int written = flow.defs(pc);
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
        splitAddress(mv);
        inWindow(mv, c, groupSpan[pc], fail);
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
        if (!throughContext(pc, r, off)) {
            return false;
        }
        long field = (long) ranges.offset(pc, r) + off;
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

    /** Whether a load at {@code r + off} goes through the value r1 had at entry, to a field offset the context may give. */
    private boolean throughContext(int pc, int r, int off) {
        if (r == 10 || ranges.root(pc, r) != RangeAnalysis.ENTRY_R1) {
            return false;
        }
        long field = (long) ranges.offset(pc, r) + off;
        return field >= 0 && field <= 0xffff;
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
        if (entry && usesOther) {
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

    /** Which registers the function accesses memory through, and whether it writes r10. */
    private void scanAccesses(BitSet body) {
        usesStack = false;
        usesOther = false;
        fixedFrame = true;
        for (int pc = body.nextSetBit(0); pc >= 0; pc = body.nextSetBit(pc + 1)) {
            int op = code.op[pc];
            int cls = op & 7;
            if ((flow.defs(pc) & 1 << 10) != 0) {
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
        splitAddress(mv);
        mv.visitInsn(DUP);
        mv.visitVarInsn(ISTORE, ID);
        inWindow(mv, c, size, miss);
    }

    /** With an address pushed: stores its offset in OFF and leaves its region number in its place. */
    private static void splitAddress(MethodVisitor mv) {
        mv.visitInsn(DUP2);
        mv.visitInsn(L2I);
        mv.visitVarInsn(ISTORE, OFF);
        push(mv, 32);
        mv.visitInsn(LUSHR);
        mv.visitInsn(L2I);
    }

    /**
     * With a region number pushed: jumps to {@code out} unless cache {@code c} holds that region
     * and {@code [OFF, OFF + span)} lies in its window.
     */
    private static void inWindow(MethodVisitor mv, int c, int span, Label out) {
        mv.visitVarInsn(ILOAD, c);
        mv.visitJumpInsn(IF_ICMPNE, out);
        mv.visitVarInsn(ILOAD, OFF);
        mv.visitVarInsn(ILOAD, c + 2);
        mv.visitJumpInsn(IF_ICMPLT, out);
        mv.visitVarInsn(ILOAD, OFF);
        mv.visitVarInsn(ILOAD, c + 3);
        push(mv, span);
        mv.visitInsn(ISUB);
        mv.visitJumpInsn(IF_ICMPGT, out);
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

    /**
     * A plain load ({@code value} null: the value, zero-extended, left on the stack) or store (of
     * what {@code value} pushes) of {@code size} bytes at {@code r + off}: straight to an array a
     * check vouches for, else through the cache, else Memory's checked path; {@code grouped} says
     * whether the instruction is a plain one that groups and checked ranges may cover.
     */
    private void access(MethodVisitor mv, int r, int off, int size, int pc, Runnable value, boolean grouped) {
        boolean load = value == null;
        Label miss = new Label();
        Label done = new Label();
        Label unchecked = new Label();
        if (grouped && checkedAccess(mv, pc, r, off, size, unchecked)) {
            arrayAccess(mv, size, value);
            mv.visitJumpInsn(GOTO, done);
            // the range check failed: rare, so Memory's checked path alone, to keep the code small
            mv.visitLabel(unchecked);
            mv.visitVarInsn(ALOAD, MEM);
            address(mv, r, off);
            checkedPath(mv, size, pc, value);
            mv.visitLabel(done);
            return;
        }
        boolean viaContext = grouped && load && contextLoad(mv, pc, r, off, size, done, unchecked);
        if (viaContext) {
            mv.visitLabel(unchecked);
        }
        if (grouped && follower.get(pc)) {
            Label slow = new Label();
            groupAccess(mv, r, off, slow);
            arrayAccess(mv, size, value);
            mv.visitJumpInsn(GOTO, done);
            mv.visitLabel(slow);
        }
        probe(mv, r, off, size, miss);
        mv.visitVarInsn(ALOAD, cache(r) + 1);
        mv.visitVarInsn(ILOAD, OFF);
        arrayAccess(mv, size, value);
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(miss);
        if (load && r != 10 && !viaContext) {
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
        checkedPath(mv, size, pc, value);
        refill(mv, r);
        mv.visitLabel(done);
    }

    /** Memory's unchecked get or put of {@code size} bytes on the array and index pushed (the value pushed by {@code value}). */
    private static void arrayAccess(MethodVisitor mv, int size, Runnable value) {
        if (value == null) {
            mv.visitMethodInsn(INVOKESTATIC, MEMORY, "get" + size, "([BI)J", false);
        } else {
            value.run();
            mv.visitMethodInsn(INVOKESTATIC, MEMORY, "put" + size, "([BIJ)V", false);
        }
    }

    /** Memory's checked load or store of {@code size} bytes on the memory and address pushed (the value pushed by {@code value}). */
    private static void checkedPath(MethodVisitor mv, int size, int pc, Runnable value) {
        if (value == null) {
            push(mv, pc);
            mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, "load" + size, "(JI)J", false);
        } else {
            value.run();
            push(mv, pc);
            mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, "store" + size, "(JJI)V", false);
        }
    }

    /** An atomic instruction: loads and stores through the plain paths, read-modify-writes through Memory. */
    void atomic(MethodVisitor mv, int pc, int op, int d, int s, int off, int imm) {
        int size = size(op);
        if (imm == 0x100) {
            access(mv, s, off, size, pc, null, false);
            store(mv, d);
            return;
        }
        if (imm == 0x110) {
            access(mv, d, off, size, pc, () -> load(mv, s), false);
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

    /** A legacy packet load (LD_ABS, LD_IND) into r0, through the context; a load out of the packet ends the run with r0 = 0. */
    static void packetLoad(MethodVisitor mv, int pc, int op, int s, int imm) {
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

}
