package io.jbpf.core.vm.internal.jit;

import io.jbpf.core.vm.internal.Code;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;

/**
 * What the JIT knows about pointers at each instruction of one function, in the manner of the
 * kernel's verifier but only as a guide: every fact it uses is confirmed by a check at run time.
 *
 * <p>Two kinds of facts, both forward dataflow over the function's body (to a fixed point, so loops
 * are fine):
 * <ul>
 *   <li><b>Aliases.</b> A register may hold another register's value plus a constant: after
 *       {@code r4 = r2; r4 += 54}, r4 is r2 + 54 for as long as neither is written. Roots are the
 *       registers r0–r9 and {@link #ENTRY_R1}, the value r1 had at the function's entry (which no
 *       write changes).
 *   <li><b>Checked ranges.</b> Where a comparison of such a register with another one ends a packet
 *       bounds check ({@code if r4 > r3 goto out}), the compiled code checks once, on the edge where
 *       the root + constant is the lower side, that {@code [root, root + constant)} lies in the
 *       packet's window, and keeps the packet's array and the root's offset in locals (null when
 *       the check fails). An access through the root, or through an alias of it, whose
 *       bytes fall in that range then reads the array directly. A fact dies where its root is
 *       written and at every call (helpers may move windows), and at a join it is the smaller of
 *       the ranges every incoming path checked.
 * </ul>
 * The check at run time is what makes a fact true: the analysis only says where a check pays, and
 * that the check's outcome, kept in locals, still describes the root's current value.
 */
final class RangeAnalysis {
    /** The root that stands for r1's value at the function's entry. */
    static final int ENTRY_R1 = 11;
    /** Roots a range can be checked for: the registers r0–r9. */
    static final int RANGE_ROOTS = 10;
    /** Bodies larger than this are not analysed (the JIT refuses such methods anyway). */
    private static final int MAX_BODY = 1 << 16;
    /** Alias offsets stay within this magnitude; beyond it a register is no alias. */
    private static final int MAX_OFFSET = 1 << 20;
    /** Visits of one slot after which the analysis gives up (and knows nothing). */
    private static final int MAX_VISITS = 64;
    private static final int NONE = -1;
    /** Per register: 11 alias roots, 11 alias offsets; then 10 checked range lengths. */
    private static final int WIDTH = 11 + 11 + RANGE_ROOTS;

    private final Code code;
    private final Flow flow;
    /** The state before each instruction, WIDTH ints per slot; null where not reached. */
    private final int[][] in;
    /** Per conditional jump: the range checked on its fall-through and taken edges, as root * 2^16 + length, or -1. */
    private final int[] fallCheck;
    private final int[] takenCheck;

    private RangeAnalysis(Flow flow) {
        this.code = flow.code();
        this.flow = flow;
        this.in = new int[code.length][];
        this.fallCheck = new int[code.length];
        this.takenCheck = new int[code.length];
        Arrays.fill(fallCheck, -1);
        Arrays.fill(takenCheck, -1);
    }

    /** The facts of the function at {@code entry} of {@code code}, as the compiler sees them. */
    static RangeAnalysis of(Code code, int entry) {
        Flow flow = new Flow(code);
        return of(flow, entry, flow.reach(entry, new ArrayList<>()));
    }

    /** The facts of the function at {@code entry} whose slots are {@code body}. */
    static RangeAnalysis of(Flow flow, int entry, BitSet body) {
        RangeAnalysis a = new RangeAnalysis(flow);
        if (body.cardinality() <= MAX_BODY) {
            a.run(entry, body);
        }
        return a;
    }

    private void run(int entry, BitSet body) {
        int n = code.length;
        // the edges into each slot: from * 2 + (1 for a jump's taken edge)
        int[][] preds = new int[n][];
        int[] count = new int[n];
        for (int pass = 0; pass < 2; pass++) {
            for (int pc = body.nextSetBit(0); pc >= 0; pc = body.nextSetBit(pc + 1)) {
                int op = code.op[pc];
                if (op == 0x95) {
                    continue;
                }
                if (Flow.isJump(op)) {
                    edge(preds, count, pass, pc * 2 + 1, code.target(pc), body);
                    if (op == 0x05 || op == 0x06) {
                        continue;
                    }
                }
                edge(preds, count, pass, pc * 2, op == 0x18 ? pc + 2 : pc + 1, body);
            }
            if (pass == 0) {
                for (int pc = 0; pc < n; pc++) {
                    preds[pc] = new int[count[pc]];
                    count[pc] = 0;
                }
            }
        }
        int[] start = new int[WIDTH];
        Arrays.fill(start, 0, 11, NONE);
        start[1] = ENTRY_R1;
        int[][] outFall = new int[n][];
        int[][] outTaken = new int[n][];
        int[] visits = new int[n];
        ArrayDeque<Integer> work = new ArrayDeque<>();
        BitSet queued = new BitSet(n);
        work.add(entry);
        queued.set(entry);
        while (!work.isEmpty()) {
            int pc = work.poll();
            queued.clear(pc);
            if (++visits[pc] > MAX_VISITS) {
                // no fixed point in sight: know nothing rather than something wrong
                Arrays.fill(in, null);
                Arrays.fill(fallCheck, -1);
                Arrays.fill(takenCheck, -1);
                return;
            }
            // the state before pc: what every edge into it that has been followed agrees on
            int[] state = pc == entry ? start.clone() : null;
            for (int e : preds[pc]) {
                int[] out = (e & 1) != 0 ? outTaken[e >> 1] : outFall[e >> 1];
                if (out != null) {
                    state = state == null ? out.clone() : meet(state, out);
                }
            }
            in[pc] = state;
            int op = code.op[pc];
            if (op == 0x95) {
                continue;
            }
            int[] fall = state.clone();
            transfer(pc, fall);
            int next = op == 0x18 ? pc + 2 : pc + 1;
            if (Flow.isJump(op)) {
                int[] taken = fall.clone();
                if (op != 0x05 && op != 0x06) {
                    compare(pc, fall, taken);
                }
                if (!Arrays.equals(taken, outTaken[pc])) {
                    outTaken[pc] = taken;
                    enqueue(code.target(pc), work, queued, body);
                }
                if (op == 0x05 || op == 0x06) {
                    continue;
                }
            }
            if (!Arrays.equals(fall, outFall[pc])) {
                outFall[pc] = fall;
                enqueue(next, work, queued, body);
            }
        }
    }

    private void edge(int[][] preds, int[] count, int pass, int from, int to, BitSet body) {
        if (to < 0 || to >= code.length || !body.get(to)) {
            return;
        }
        if (pass == 1) {
            preds[to][count[to]] = from;
        }
        count[to]++;
    }

    private static void enqueue(int pc, ArrayDeque<Integer> work, BitSet queued, BitSet body) {
        if (pc < body.length() && body.get(pc) && !queued.get(pc)) {
            queued.set(pc);
            work.add(pc);
        }
    }

    /** What two states agree on: equal aliases, and the shorter of two checked ranges. */
    private static int[] meet(int[] a, int[] b) {
        for (int r = 0; r < 11; r++) {
            if (a[r] != b[r] || a[11 + r] != b[11 + r]) {
                a[r] = NONE;
                a[11 + r] = 0;
            }
        }
        for (int x = 0; x < RANGE_ROOTS; x++) {
            a[22 + x] = Math.min(a[22 + x], b[22 + x]);
        }
        return a;
    }

    /** The effect of the instruction at {@code pc} on every path out of it. */
    private void transfer(int pc, int[] s) {
        int op = code.op[pc];
        if (op == 0x85 || op == 0x8d) {
            for (int r = 0; r <= 5; r++) {
                write(s, r, NONE, 0);
            }
            Arrays.fill(s, 22, WIDTH, 0);
            return;
        }
        int d = code.dst[pc];
        int imm = code.imm[pc];
        if (op == 0xbf && code.off[pc] == 0 && d != 10) {
            int src = code.src[pc];
            int root = src == 10 ? NONE : s[src] != NONE ? s[src] : src;
            int offset = src == 10 || s[src] == NONE ? 0 : s[11 + src];
            write(s, d, root == d ? NONE : root, offset);
            return;
        }
        if ((op == 0x07 || op == 0x17) && d != 10) {
            long offset = (long) s[11 + d] + (op == 0x07 ? imm : -(long) imm);
            int root = s[d];
            write(s, d, Math.abs(offset) <= MAX_OFFSET ? root : NONE, (int) offset);
            return;
        }
        int written = flow.defs(pc);
        for (int r = 0; r <= 10; r++) {
            if ((written & (1 << r)) != 0) {
                write(s, r, NONE, 0);
            }
        }
    }

    /** Register {@code r} gets a new value, {@code root + offset} or unknown: whatever rested on its old value goes. */
    private static void write(int[] s, int r, int root, int offset) {
        for (int x = 0; x < 11; x++) {
            if (s[x] == r) {
                s[x] = NONE;
                s[11 + x] = 0;
            }
        }
        if (r < RANGE_ROOTS) {
            s[22 + r] = 0;
        }
        s[r] = root;
        s[11 + r] = root == NONE ? 0 : offset;
    }

    /**
     * A 64-bit ordering comparison of two registers, one of them root + constant: the edge where it
     * is the lower (or equal) side checks the root's range, unless a range as long is known there.
     */
    private void compare(int pc, int[] fall, int[] taken) {
        // decided afresh every time the jump is visited, so that it matches the final state
        fallCheck[pc] = -1;
        takenCheck[pc] = -1;
        int op = code.op[pc];
        int c = op & 0xf0;
        if ((op & 0x0f) != 0x0d || !(c == 0x20 || c == 0x30 || c == 0xa0 || c == 0xb0
                || c == 0x60 || c == 0x70 || c == 0xc0 || c == 0xd0)) {
            return;
        }
        // which side of "dst <op> src" is the smaller one when the jump is taken
        boolean dstGreaterWhenTaken = c == 0x20 || c == 0x30 || c == 0x60 || c == 0x70;
        for (int side = 0; side < 2; side++) {
            int r = side == 0 ? code.dst[pc] : code.src[pc];
            if (r == 10) {
                continue;
            }
            int root = fall[r];
            int length = fall[11 + r];
            if (root == NONE || root >= RANGE_ROOTS || length <= 0 || length > 0xffff) {
                continue;
            }
            // r is the lower side on the taken edge when r is src and dst > src, or r is dst and dst < src
            boolean lowerWhenTaken = (side == 0) != dstGreaterWhenTaken;
            int[] edge = lowerWhenTaken ? taken : fall;
            if (edge[22 + root] < length) {
                edge[22 + root] = length;
                (lowerWhenTaken ? takenCheck : fallCheck)[pc] = root << 16 | length;
            }
            return;
        }
    }

    /** The root register {@code r} is an alias of before {@code pc}, or -1. */
    int root(int pc, int r) {
        return in[pc] == null || r == 10 ? NONE : in[pc][r];
    }

    /** The constant {@code r} holds over its {@link #root}. */
    int offset(int pc, int r) {
        return in[pc] == null || r == 10 ? 0 : in[pc][11 + r];
    }

    /** The checked range of root {@code b} (0–9) before {@code pc}: bytes from its value on, 0 if none. */
    int checked(int pc, int b) {
        return in[pc] == null || b >= RANGE_ROOTS ? 0 : in[pc][22 + b];
    }

    /** The range to check on the fall-through edge of the jump at {@code pc}, as root * 2^16 + length, or -1. */
    int fallCheck(int pc) {
        return fallCheck[pc];
    }

    /** The range to check on the taken edge of the jump at {@code pc}, as root * 2^16 + length, or -1. */
    int takenCheck(int pc) {
        return takenCheck[pc];
    }
}
