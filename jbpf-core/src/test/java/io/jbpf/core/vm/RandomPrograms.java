package io.jbpf.core.vm;

import io.jbpf.core.insn.Alu;
import io.jbpf.core.insn.AluOp;
import io.jbpf.core.insn.Atomic;
import io.jbpf.core.insn.AtomicOp;
import io.jbpf.core.insn.ByteSwap;
import io.jbpf.core.insn.CallHelper;
import io.jbpf.core.insn.Exit;
import io.jbpf.core.insn.Imm;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.Jump;
import io.jbpf.core.insn.JumpCond;
import io.jbpf.core.insn.Load;
import io.jbpf.core.insn.LoadImm64;
import io.jbpf.core.insn.LoadMapRef;
import io.jbpf.core.insn.LoadSx;
import io.jbpf.core.insn.MovSx;
import io.jbpf.core.insn.Neg;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.insn.Size;
import io.jbpf.core.insn.Store;
import io.jbpf.core.insn.StoreImm;
import io.jbpf.core.insn.SwapKind;
import io.jbpf.core.insn.Width;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random straight-line-with-forward-jumps programs that the verifier accepts: registers start as
 * random constants, then random ALU, byte-swap, stack and atomic operations and forward jumps
 * run, and at the end every register and the scratch stack are copied into element 0 of the
 * array map {@value #MAP} (value of {@value #VALUE_SIZE} bytes), so that two engines can be
 * compared on all 64 bits of every register.
 */
final class RandomPrograms {
    static final String MAP = "out";
    static final int SLOTS = 8;
    static final int VALUE_SIZE = 8 * (10 + SLOTS);

    private static final long[] EDGES = {0, 1, -1, 2, 0x7fffffffL, 0x80000000L, 0xffffffffL, Long.MIN_VALUE,
            Long.MAX_VALUE, 0x100000000L, -2, 63, 64, 31, 32};
    private static final Reg[] REGS = {Reg.R0, Reg.R1, Reg.R2, Reg.R3, Reg.R4, Reg.R5, Reg.R6, Reg.R7, Reg.R8, Reg.R9};
    private static final AluOp[] OPS = AluOp.values();
    private static final JumpCond[] CONDS = JumpCond.values();
    private static final AtomicOp[] ATOMICS = AtomicOp.values();

    private final Random rnd;

    RandomPrograms(long seed) {
        this.rnd = new Random(seed);
    }

    private long constant() {
        return rnd.nextInt(3) == 0 ? EDGES[rnd.nextInt(EDGES.length)] : rnd.nextLong() >> rnd.nextInt(64);
    }

    private Reg reg() {
        return REGS[rnd.nextInt(REGS.length)];
    }

    private static int slot(int i) {
        return -16 - 8 * i;
    }

    /** A program of {@code body} random instructions plus the prologue and epilogue. */
    List<Insn> program(int body) {
        List<Insn> out = new ArrayList<>();
        for (Reg r : REGS) {
            out.add(new LoadImm64(r, constant()));
        }
        for (int i = 0; i < SLOTS; i++) {
            out.add(new StoreImm(Size.DW, Reg.R10, slot(i), (int) constant()));
        }
        List<Insn> middle = new ArrayList<>();
        for (int i = 0; i < body; i++) {
            middle.add(one());
        }
        // forward jumps: placed now that the body's length is known, they skip within it
        for (int i = 0; i < body / 6; i++) {
            int at = rnd.nextInt(middle.size());
            int skip = rnd.nextInt(Math.max(1, Math.min(8, middle.size() - at)));
            Width w = rnd.nextBoolean() ? Width.W64 : Width.W32;
            JumpCond c = CONDS[rnd.nextInt(CONDS.length)];
            boolean imm = rnd.nextBoolean();
            middle.add(at, new Jump(w, c, reg(), imm ? Imm.of((int) constant()) : reg(), skip));
        }
        out.addAll(middle);
        // epilogue: registers to the stack, then stack to the map value
        int save = slot(SLOTS);
        for (int i = 0; i < 10; i++) {
            out.add(new Store(Size.DW, Reg.R10, save - 8 * i, REGS[i]));
        }
        out.add(new StoreImm(Size.W, Reg.R10, -4, 0));
        out.add(new Alu(Width.W64, AluOp.MOV, Reg.R2, Reg.R10));
        out.add(new Alu(Width.W64, AluOp.ADD, Reg.R2, Imm.of(-4)));
        out.add(LoadMapRef.map(Reg.R1, MAP));
        out.add(new CallHelper(1));
        out.add(new Jump(Width.W64, JumpCond.NE, Reg.R0, Imm.of(0), 1));
        out.add(new Exit());
        for (int i = 0; i < 10; i++) {
            out.add(new Load(Size.DW, Reg.R1, Reg.R10, save - 8 * i));
            out.add(new Store(Size.DW, Reg.R0, 8 * i, Reg.R1));
        }
        for (int i = 0; i < SLOTS; i++) {
            out.add(new Load(Size.DW, Reg.R1, Reg.R10, slot(i)));
            out.add(new Store(Size.DW, Reg.R0, 80 + 8 * i, Reg.R1));
        }
        out.add(new Load(Size.DW, Reg.R0, Reg.R10, save));
        out.add(new Exit());
        return out;
    }

    private Insn one() {
        int kind = rnd.nextInt(20);
        Width w = rnd.nextBoolean() ? Width.W64 : Width.W32;
        int bits = w == Width.W64 ? 64 : 32;
        if (kind < 11) {
            AluOp op = OPS[rnd.nextInt(OPS.length)];
            boolean imm = rnd.nextBoolean();
            if (op == AluOp.LSH || op == AluOp.RSH || op == AluOp.ARSH) {
                return new Alu(w, op, reg(), imm ? Imm.of(rnd.nextInt(bits)) : reg());
            }
            if (imm && (op == AluOp.DIV || op == AluOp.SDIV || op == AluOp.MOD || op == AluOp.SMOD)) {
                int v = (int) constant();
                return new Alu(w, op, reg(), Imm.of(v == 0 ? 7 : v));
            }
            return new Alu(w, op, reg(), imm ? Imm.of((int) constant()) : reg());
        }
        switch (kind) {
            case 11:
                return new Neg(w, reg());
            case 12: {
                int[] from = w == Width.W64 ? new int[] {8, 16, 32} : new int[] {8, 16};
                return new MovSx(w, reg(), reg(), from[rnd.nextInt(from.length)]);
            }
            case 13: {
                SwapKind k = SwapKind.values()[rnd.nextInt(3)];
                return new ByteSwap(k, new int[] {16, 32, 64}[rnd.nextInt(3)], reg());
            }
            case 14: {
                Size s = Size.values()[rnd.nextInt(4)];
                return new Store(s, Reg.R10, slot(rnd.nextInt(SLOTS)) + rnd.nextInt(8 / s.bytes()) * s.bytes(), reg());
            }
            case 15: {
                Size s = Size.values()[rnd.nextInt(4)];
                int off = slot(rnd.nextInt(SLOTS)) + rnd.nextInt(8 / s.bytes()) * s.bytes();
                if (s != Size.DW && rnd.nextBoolean()) {
                    return new LoadSx(s, reg(), Reg.R10, off);
                }
                return new Load(s, reg(), Reg.R10, off);
            }
            case 16: {
                Size s = Size.values()[rnd.nextInt(4)];
                return new StoreImm(s, Reg.R10, slot(rnd.nextInt(SLOTS)) + rnd.nextInt(8 / s.bytes()) * s.bytes(),
                        (int) constant());
            }
            default: {
                Size s = rnd.nextBoolean() ? Size.DW : Size.W;
                int off = slot(rnd.nextInt(SLOTS)) + (s == Size.W ? 4 * rnd.nextInt(2) : 0);
                return new Atomic(s, ATOMICS[rnd.nextInt(ATOMICS.length)], Reg.R10, off, REGS[1 + rnd.nextInt(9)]);
            }
        }
    }
}
