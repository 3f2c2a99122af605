package io.jbpf.core.vm.internal.jit;

import io.jbpf.core.vm.internal.Code;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.List;

/**
 * The shape of a program's checked {@link Code} as the compiler needs it: which instructions end a
 * straight-line block, which slots a function reaches and which functions it calls, the registers
 * each instruction reads and writes, and the one question of liveness the compiler asks.
 */
final class Flow {
    private final Code code;
    /** The second slots of 64-bit loads. */
    private final BitSet second;

    Flow(Code code) {
        this.code = code;
        this.second = new BitSet(code.length);
        for (int pc = 0; pc < code.length; pc++) {
            if (code.op[pc] == 0x18) {
                second.set(++pc);
            }
        }
    }

    Code code() {
        return code;
    }

    /** Whether {@code op} is a jump with a target (not a call or an exit). */
    static boolean isJump(int op) {
        int cls = op & 7;
        return (cls == 5 || cls == 6) && op != 0x85 && op != 0x8d && op != 0x95;
    }

    /** Whether the instruction at {@code pc} ends a straight-line block (a jump, exit, call or legacy packet load). */
    boolean endsBlock(int pc) {
        int op = code.op[pc];
        int cls = op & 7;
        return cls == 5 || cls == 6 || (cls == 0 && op != 0x18);
    }

    /** The slots of the function at {@code entry}, following jumps but not calls. */
    BitSet reach(int entry, List<Integer> callees) {
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

    /** The registers the instruction at {@code pc} writes (bit r). */
    int defs(int pc) {
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
    boolean clobbersVisible(BitSet all) {
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
}
