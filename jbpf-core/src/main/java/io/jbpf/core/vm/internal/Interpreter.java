package io.jbpf.core.vm.internal;

import io.jbpf.core.insn.Insn;
import io.jbpf.core.vm.Tracer;

/**
 * Executes a program one instruction at a time over its decoded {@link Code}. Follows local calls
 * with its own frame stack (r6–r9, the return slot and r10 saved per frame); counts every
 * instruction against the run's budget. With a {@link Tracer}, reports every instruction with the
 * registers before and after it; without one, tracing costs a null check per instruction.
 */
public final class Interpreter implements Executor {
    private static final long MASK = 0xffffffffL;

    private final Code code;
    private final Tracer tracer;
    private final Insn[] insns;

    public Interpreter(Code code) {
        this(code, null, null);
    }

    /**
     * An interpreter that reports to {@code tracer} (null for none); {@code insns} holds the
     * instruction of every first slot, as the tracer is given it.
     */
    public Interpreter(Code code, Tracer tracer, Insn[] insns) {
        this.code = code;
        this.tracer = tracer;
        this.insns = insns;
    }

    private void step(int pc, long[] before, long[] r) {
        tracer.step(pc, insns[pc], before, r.clone());
    }

    @Override
    public long execute(Machine m, int entry, long r1, long r2, long r3, long r4, long r5, long fp) {
        final int[] ops = code.op;
        final int[] dsts = code.dst;
        final int[] srcs = code.src;
        final int[] offs = code.off;
        final int[] imms = code.imm;
        final Memory mem = m.memory;
        final long[] r = new long[11];
        r[1] = r1;
        r[2] = r2;
        r[3] = r3;
        r[4] = r4;
        r[5] = r5;
        r[10] = fp;
        long[] saved = new long[Machine.MAX_FRAMES * 6];
        int frames = 0;
        int pc = entry;
        final boolean tracing = tracer != null;
        for (;;) {
            m.count(1, pc);
            final long[] before = tracing ? r.clone() : null;
            final int op = ops[pc];
            final int d = dsts[pc];
            final int s = srcs[pc];
            final int off = offs[pc];
            final int imm = imms[pc];
            int next = pc + 1;
            switch (op) {
                // ---- ALU64, immediate and register
                case 0x07: r[d] += imm; break;
                case 0x0f: r[d] += r[s]; break;
                case 0x17: r[d] -= imm; break;
                case 0x1f: r[d] -= r[s]; break;
                case 0x27: r[d] *= imm; break;
                case 0x2f: r[d] *= r[s]; break;
                case 0x37: r[d] = div64(r[d], imm, off); break;
                case 0x3f: r[d] = div64(r[d], r[s], off); break;
                case 0x47: r[d] |= imm; break;
                case 0x4f: r[d] |= r[s]; break;
                case 0x57: r[d] &= imm; break;
                case 0x5f: r[d] &= r[s]; break;
                case 0x67: r[d] <<= imm; break;
                case 0x6f: r[d] <<= r[s]; break;
                case 0x77: r[d] >>>= imm; break;
                case 0x7f: r[d] >>>= r[s]; break;
                case 0x87: r[d] = -r[d]; break;
                case 0x97: r[d] = mod64(r[d], imm, off); break;
                case 0x9f: r[d] = mod64(r[d], r[s], off); break;
                case 0xa7: r[d] ^= imm; break;
                case 0xaf: r[d] ^= r[s]; break;
                case 0xb7: r[d] = imm; break;
                case 0xbf: r[d] = movsx64(r[s], off); break;
                case 0xc7: r[d] >>= imm; break;
                case 0xcf: r[d] >>= r[s]; break;
                case 0xd7: r[d] = swap(r[d], imm); break;
                // ---- ALU32
                case 0x04: r[d] = ((int) r[d] + imm) & MASK; break;
                case 0x0c: r[d] = ((int) r[d] + (int) r[s]) & MASK; break;
                case 0x14: r[d] = ((int) r[d] - imm) & MASK; break;
                case 0x1c: r[d] = ((int) r[d] - (int) r[s]) & MASK; break;
                case 0x24: r[d] = ((int) r[d] * imm) & MASK; break;
                case 0x2c: r[d] = ((int) r[d] * (int) r[s]) & MASK; break;
                case 0x34: r[d] = div32((int) r[d], imm, off); break;
                case 0x3c: r[d] = div32((int) r[d], (int) r[s], off); break;
                case 0x44: r[d] = ((int) r[d] | imm) & MASK; break;
                case 0x4c: r[d] = ((int) r[d] | (int) r[s]) & MASK; break;
                case 0x54: r[d] = ((int) r[d] & imm) & MASK; break;
                case 0x5c: r[d] = ((int) r[d] & (int) r[s]) & MASK; break;
                case 0x64: r[d] = ((int) r[d] << imm) & MASK; break;
                case 0x6c: r[d] = ((int) r[d] << (int) r[s]) & MASK; break;
                case 0x74: r[d] = ((int) r[d] >>> imm) & MASK; break;
                case 0x7c: r[d] = ((int) r[d] >>> (int) r[s]) & MASK; break;
                case 0x84: r[d] = (-(int) r[d]) & MASK; break;
                case 0x94: r[d] = mod32((int) r[d], imm, off); break;
                case 0x9c: r[d] = mod32((int) r[d], (int) r[s], off); break;
                case 0xa4: r[d] = ((int) r[d] ^ imm) & MASK; break;
                case 0xac: r[d] = ((int) r[d] ^ (int) r[s]) & MASK; break;
                case 0xb4: r[d] = imm & MASK; break;
                case 0xbc: r[d] = movsx32(r[s], off); break;
                case 0xc4: r[d] = ((int) r[d] >> imm) & MASK; break;
                case 0xcc: r[d] = ((int) r[d] >> (int) r[s]) & MASK; break;
                case 0xd4: r[d] = toLe(r[d], imm); break;
                case 0xdc: r[d] = swap(r[d], imm); break;
                // ---- loads and stores
                case 0x18:
                    r[d] = s == 0 ? code.imm64[pc] : m.pseudo(s, imm, imms[pc + 1], pc);
                    next = pc + 2;
                    break;
                case 0x61: r[d] = mem.load(r[s] + off, 4, pc); break;
                case 0x69: r[d] = mem.load(r[s] + off, 2, pc); break;
                case 0x71: r[d] = mem.load(r[s] + off, 1, pc); break;
                case 0x79: r[d] = mem.load(r[s] + off, 8, pc); break;
                case 0x81: r[d] = (int) mem.load(r[s] + off, 4, pc); break;
                case 0x89: r[d] = (short) mem.load(r[s] + off, 2, pc); break;
                case 0x91: r[d] = (byte) mem.load(r[s] + off, 1, pc); break;
                case 0x62: mem.store(r[d] + off, 4, imm, pc); break;
                case 0x6a: mem.store(r[d] + off, 2, imm, pc); break;
                case 0x72: mem.store(r[d] + off, 1, imm, pc); break;
                case 0x7a: mem.store(r[d] + off, 8, imm, pc); break;
                case 0x63: mem.store(r[d] + off, 4, r[s], pc); break;
                case 0x6b: mem.store(r[d] + off, 2, r[s], pc); break;
                case 0x73: mem.store(r[d] + off, 1, r[s], pc); break;
                case 0x7b: mem.store(r[d] + off, 8, r[s], pc); break;
                case 0xc3: atomic(m, r, 4, d, s, off, imm, pc); break;
                case 0xdb: atomic(m, r, 8, d, s, off, imm, pc); break;
                case 0xcb: atomic(m, r, 2, d, s, off, imm, pc); break;
                case 0xd3: atomic(m, r, 1, d, s, off, imm, pc); break;
                case 0x20: case 0x28: case 0x30: case 0x40: case 0x48: case 0x50: {
                    int size = op == 0x20 || op == 0x40 ? 4 : op == 0x28 || op == 0x48 ? 2 : 1;
                    int at = op >= 0x40 ? (int) r[s] + imm : imm;
                    long v = m.context.packetLoad(at, size);
                    if (v < 0) {
                        m.stop(0);
                        if (tracing) {
                            step(pc, before, r);
                        }
                        return 0;
                    }
                    r[0] = v;
                    break;
                }
                // ---- jumps
                case 0x05: next += off; break;
                case 0x06: next += imm; break;
                case 0x15: if (r[d] == imm) next += off; break;
                case 0x1d: if (r[d] == r[s]) next += off; break;
                case 0x25: if (Long.compareUnsigned(r[d], imm) > 0) next += off; break;
                case 0x2d: if (Long.compareUnsigned(r[d], r[s]) > 0) next += off; break;
                case 0x35: if (Long.compareUnsigned(r[d], imm) >= 0) next += off; break;
                case 0x3d: if (Long.compareUnsigned(r[d], r[s]) >= 0) next += off; break;
                case 0x45: if ((r[d] & imm) != 0) next += off; break;
                case 0x4d: if ((r[d] & r[s]) != 0) next += off; break;
                case 0x55: if (r[d] != imm) next += off; break;
                case 0x5d: if (r[d] != r[s]) next += off; break;
                case 0x65: if (r[d] > imm) next += off; break;
                case 0x6d: if (r[d] > r[s]) next += off; break;
                case 0x75: if (r[d] >= imm) next += off; break;
                case 0x7d: if (r[d] >= r[s]) next += off; break;
                case 0xa5: if (Long.compareUnsigned(r[d], imm) < 0) next += off; break;
                case 0xad: if (Long.compareUnsigned(r[d], r[s]) < 0) next += off; break;
                case 0xb5: if (Long.compareUnsigned(r[d], imm) <= 0) next += off; break;
                case 0xbd: if (Long.compareUnsigned(r[d], r[s]) <= 0) next += off; break;
                case 0xc5: if (r[d] < imm) next += off; break;
                case 0xcd: if (r[d] < r[s]) next += off; break;
                case 0xd5: if (r[d] <= imm) next += off; break;
                case 0xdd: if (r[d] <= r[s]) next += off; break;
                case 0x16: if ((int) r[d] == imm) next += off; break;
                case 0x1e: if ((int) r[d] == (int) r[s]) next += off; break;
                case 0x26: if (Integer.compareUnsigned((int) r[d], imm) > 0) next += off; break;
                case 0x2e: if (Integer.compareUnsigned((int) r[d], (int) r[s]) > 0) next += off; break;
                case 0x36: if (Integer.compareUnsigned((int) r[d], imm) >= 0) next += off; break;
                case 0x3e: if (Integer.compareUnsigned((int) r[d], (int) r[s]) >= 0) next += off; break;
                case 0x46: if (((int) r[d] & imm) != 0) next += off; break;
                case 0x4e: if (((int) r[d] & (int) r[s]) != 0) next += off; break;
                case 0x56: if ((int) r[d] != imm) next += off; break;
                case 0x5e: if ((int) r[d] != (int) r[s]) next += off; break;
                case 0x66: if ((int) r[d] > imm) next += off; break;
                case 0x6e: if ((int) r[d] > (int) r[s]) next += off; break;
                case 0x76: if ((int) r[d] >= imm) next += off; break;
                case 0x7e: if ((int) r[d] >= (int) r[s]) next += off; break;
                case 0xa6: if (Integer.compareUnsigned((int) r[d], imm) < 0) next += off; break;
                case 0xae: if (Integer.compareUnsigned((int) r[d], (int) r[s]) < 0) next += off; break;
                case 0xb6: if (Integer.compareUnsigned((int) r[d], imm) <= 0) next += off; break;
                case 0xbe: if (Integer.compareUnsigned((int) r[d], (int) r[s]) <= 0) next += off; break;
                case 0xc6: if ((int) r[d] < imm) next += off; break;
                case 0xce: if ((int) r[d] < (int) r[s]) next += off; break;
                case 0xd6: if ((int) r[d] <= imm) next += off; break;
                case 0xde: if ((int) r[d] <= (int) r[s]) next += off; break;
                // ---- calls and exit
                case 0x85:
                    if (s == 1) {
                        int base = frames * 6;
                        saved[base] = r[6];
                        saved[base + 1] = r[7];
                        saved[base + 2] = r[8];
                        saved[base + 3] = r[9];
                        saved[base + 4] = r[10];
                        saved[base + 5] = next;
                        frames++;
                        r[10] = m.enterFrame(pc);
                        next = pc + 1 + imm;
                        break;
                    }
                    r[0] = m.callHelper(imm, r[1], r[2], r[3], r[4], r[5], pc);
                    if (m.unwinding) {
                        if (tracing) {
                            step(pc, before, r);
                        }
                        return r[0];
                    }
                    break;
                case 0x8d:
                    r[0] = m.callHelper(Machine.helperId(r[d]), r[1], r[2], r[3], r[4], r[5], pc);
                    if (m.unwinding) {
                        if (tracing) {
                            step(pc, before, r);
                        }
                        return r[0];
                    }
                    break;
                case 0x95:
                    if (frames == 0) {
                        if (tracing) {
                            step(pc, before, r);
                        }
                        return r[0];
                    }
                    frames--;
                    m.leaveFrame();
                    int base = frames * 6;
                    r[6] = saved[base];
                    r[7] = saved[base + 1];
                    r[8] = saved[base + 2];
                    r[9] = saved[base + 3];
                    r[10] = saved[base + 4];
                    next = (int) saved[base + 5];
                    break;
                default:
                    throw new IllegalStateException("opcode 0x" + Integer.toHexString(op) + " passed the check");
            }
            if (tracing) {
                step(pc, before, r);
            }
            pc = next;
        }
    }

    private static void atomic(Machine m, long[] r, int size, int d, int s, int off, int imm, int pc) {
        Memory mem = m.memory;
        switch (imm) {
            case 0x100: {
                long v = mem.load(r[s] + off, size, pc);
                r[d] = v;
                return;
            }
            case 0x110:
                mem.store(r[d] + off, size, r[s], pc);
                return;
            case 0xf1:
                r[0] = mem.atomic(r[d] + off, size, 0xf1, r[s], r[0], pc);
                return;
            case 0xe1:
                r[s] = mem.atomic(r[d] + off, size, 0xe1, r[s], 0, pc);
                return;
            default: {
                long old = mem.atomic(r[d] + off, size, imm & ~1, r[s], 0, pc);
                if ((imm & 1) != 0) {
                    r[s] = old;
                }
            }
        }
    }

    // ---- the arithmetic the ISA defines, shared with the JIT

    /** 64-bit division: unsigned ({@code off} 0) or signed (1); by zero gives 0. */
    public static long div64(long a, long b, int off) {
        if (b == 0) {
            return 0;
        }
        return off == 0 ? Long.divideUnsigned(a, b) : a / b;
    }

    /** 64-bit modulo: by zero leaves the dividend. */
    public static long mod64(long a, long b, int off) {
        if (b == 0) {
            return a;
        }
        return off == 0 ? Long.remainderUnsigned(a, b) : a % b;
    }

    /** 32-bit division, zero-extended. */
    public static long div32(int a, int b, int off) {
        if (b == 0) {
            return 0;
        }
        return (off == 0 ? Integer.divideUnsigned(a, b) : a / b) & MASK;
    }

    /** 32-bit modulo, zero-extended: by zero leaves the dividend's low 32 bits. */
    public static long mod32(int a, int b, int off) {
        if (b == 0) {
            return a & MASK;
        }
        return (off == 0 ? Integer.remainderUnsigned(a, b) : a % b) & MASK;
    }

    /** 64-bit move, sign-extending from {@code bits} (0 = plain move). */
    public static long movsx64(long v, int bits) {
        switch (bits) {
            case 8:
                return (byte) v;
            case 16:
                return (short) v;
            case 32:
                return (int) v;
            default:
                return v;
        }
    }

    /** 32-bit move, sign-extending from {@code bits} into 32 bits, then zero-extended. */
    public static long movsx32(long v, int bits) {
        switch (bits) {
            case 8:
                return ((int) (byte) v) & MASK;
            case 16:
                return ((int) (short) v) & MASK;
            default:
                return v & MASK;
        }
    }

    /** Byte swap of the low {@code bits} bits (to big endian, or {@code bswap}), zero-extended. */
    public static long swap(long v, int bits) {
        switch (bits) {
            case 16:
                return Short.reverseBytes((short) v) & 0xffffL;
            case 32:
                return Integer.reverseBytes((int) v) & MASK;
            default:
                return Long.reverseBytes(v);
        }
    }

    /** Conversion to little endian on a little-endian machine: truncation to {@code bits}. */
    public static long toLe(long v, int bits) {
        switch (bits) {
            case 16:
                return v & 0xffffL;
            case 32:
                return v & MASK;
            default:
                return v;
        }
    }
}
