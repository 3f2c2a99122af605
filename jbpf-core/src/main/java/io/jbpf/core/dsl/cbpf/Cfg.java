package io.jbpf.core.dsl.cbpf;

import java.util.List;

/**
 * The control flow of a valid classic program: basic blocks (a leader starts each; a jump or return
 * ends it), which instructions are reachable, and for direct packet access the packet length each
 * block's constant-offset loads need, checked once at the block's start.
 *
 * <p>Each block checks, at its start, the length that every path from there to a possibly non-zero
 * return needs for its constant-offset loads (as cloudflare's cbpfc hoists its guards). That is
 * exact: with a shorter packet every such path fails a load, and every other path returns 0, so
 * the filter returns 0 either way. A block whose predecessors all checked at least as much checks
 * nothing; a block whose every path returns 0 (or needs more than 64 KiB) becomes "no match".
 */
final class Cfg {
    /** A load that no packet can satisfy (beyond the verifier's 64 KiB packet limit). */
    static final int IMPOSSIBLE = Integer.MAX_VALUE;
    static final int MAX_PACKET_OFF = 0xffff;

    final List<CbpfInsn> insns;
    final int n;
    final boolean[] leader;
    final boolean[] reachable;
    /** For a leader: the length its block's constant loads need (0 when none, IMPOSSIBLE when one cannot succeed). */
    final int[] need;
    /** For a leader: the length its block must check at its start (0 when its predecessors checked enough). */
    final int[] check;

    private Cfg(CbpfProgram program, boolean boundsChecks, ConstLoad loads) {
        this.insns = program.instructions();
        this.n = insns.size();
        leader = new boolean[n];
        reachable = new boolean[n];
        need = new int[n];
        check = new int[n];
        leader[0] = true;
        for (int pc = 0; pc < n; pc++) {
            CbpfInsn in = insns.get(pc);
            if (in.isJump() || in.isReturn()) {
                if (pc + 1 < n) {
                    leader[pc + 1] = true;
                }
                if (in.isJump()) {
                    for (int t : targets(pc)) {
                        leader[t] = true;
                    }
                }
            }
        }
        // guard[pc]: the packet length that every path from pc to a return that may be non-zero
        // loads up to with constant offsets (INF when every path returns 0). A packet shorter than
        // that makes the filter return 0 whichever way it goes, so checking guard[start] at a block's
        // start is exact, and it covers the block's own loads (guard[pc] >= each load's length).
        int[] guard = new int[n];
        for (int pc = n - 1; pc >= 0; pc--) {
            CbpfInsn in = insns.get(pc);
            int g;
            if (in.isReturn()) {
                boolean zero = (in.code() & 0x18) == CbpfInsn.RetVal.K.value() && in.k() == 0;
                g = zero ? IMPOSSIBLE : 0;
            } else if (in.isJump()) {
                int[] t = targets(pc);
                g = t.length == 2 ? Math.min(guard[t[0]], guard[t[1]]) : guard[t[0]];
            } else {
                g = guard[pc + 1];
            }
            if (boundsChecks) {
                g = Math.max(g, loads.length(in));
            }
            guard[pc] = g;
        }
        int[] knownIn = new int[n];
        java.util.Arrays.fill(knownIn, Integer.MAX_VALUE);
        knownIn[0] = 0;
        reachable[0] = true;
        for (int start = 0; start < n; start = endOf(start) + 1) {
            int end = endOf(start);
            int blockNeed = boundsChecks ? guard[start] : 0;
            if (blockNeed > MAX_PACKET_OFF) {
                blockNeed = IMPOSSIBLE;
            }
            need[start] = blockNeed;
            if (!reachable[start]) {
                continue;
            }
            for (int pc = start; pc <= end; pc++) {
                reachable[pc] = true;
            }
            int known = knownIn[start];
            check[start] = blockNeed > known ? blockNeed : 0;
            if (blockNeed == IMPOSSIBLE) {
                continue; // the block ends in "no match" at once: nothing after it is reached through it
            }
            int knownOut = Math.max(known, blockNeed);
            CbpfInsn last = insns.get(end);
            int[] succ = last.isReturn() ? new int[0] : last.isJump() ? targets(end) : new int[] {end + 1};
            for (int t : succ) {
                reachable[t] = true;
                knownIn[t] = Math.min(knownIn[t], knownOut);
            }
        }
    }

    /** How many packet bytes a constant-offset load needs, 0 for other instructions. */
    interface ConstLoad {
        int length(CbpfInsn in);
    }

    static Cfg of(CbpfProgram program) {
        return new Cfg(program, false, in -> 0);
    }

    static Cfg withBounds(CbpfProgram program, ConstLoad loads) {
        return new Cfg(program, true, loads);
    }

    /** The last instruction of the block starting at {@code start}. */
    int endOf(int start) {
        int pc = start;
        while (true) {
            CbpfInsn in = insns.get(pc);
            if (in.isJump() || in.isReturn() || pc + 1 >= n || leader[pc + 1]) {
                return pc;
            }
            pc++;
        }
    }

    /** Where a jump at {@code pc} may go. */
    int[] targets(int pc) {
        CbpfInsn in = insns.get(pc);
        if (in.isConditionalJump()) {
            return new int[] {pc + 1 + in.jt(), pc + 1 + in.jf()};
        }
        return new int[] {pc + 1 + in.k()};
    }
}
