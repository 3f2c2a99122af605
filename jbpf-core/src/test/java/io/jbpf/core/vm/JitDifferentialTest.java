package io.jbpf.core.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random programs on both engines: r0, memory, instruction count, or the fault (type,
 * index, message) must be the same. The programs terminate by construction: jumps go forward,
 * local calls go to later functions only. r9 holds the memory pointer and r10 the frame pointer;
 * nothing else is reserved, so the programs also do what no verifier would let them (read r1–r5
 * after a call, read a callee's uninitialised registers, divide by zero, touch memory out of
 * bounds).
 */
class JitDifferentialTest {
    private static final int MEM = 64;
    private static final int PROGRAMS = 3000;

    private static final int[] ALU = {0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0, 0xb0, 0xc0, 0xd0};
    private static final int[] JMP = {0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0};
    private static final int[] ATOMIC = {0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1, 0x100, 0x110};
    private static final int[] SIZES = {0x00, 0x08, 0x10, 0x18};

    private final Vm interp = vm(Engine.INTERPRETER);
    private final Vm jit = vm(Engine.JIT);

    /** A VM with a fixed clock (callx may reach bpf_ktime_get_ns) and helper 100. */
    static Vm vm(Engine e) {
        return Vm.builder().engine(e).clock(() -> 1234).helper(100, (c, r1, r2, r3, r4, r5) -> r1 * 3 + r2 - r5).build();
    }

    /** One instruction of a program being built; jumps and calls name their target item. */
    private record Item(int op, int dst, int src, int off, int imm, long imm64, int target) {}

    @Test
    void randomProgramsGiveTheSameResultsOnBothEngines() {
        Random rnd = new Random(20240605);
        int faults = 0;
        int completed = 0;
        for (int i = 0; i < PROGRAMS; i++) {
            long seed = rnd.nextLong();
            byte[] prog = generate(new Random(seed));
            byte[] memory = new byte[MEM];
            new Random(seed ^ 1).nextBytes(memory);
            Object a = outcome(interp, prog, memory);
            Object b = outcome(jit, prog, memory);
            assertThat(b).as("program %d (seed %d)", i, seed).isEqualTo(a);
            if (a instanceof String) {
                faults++;
            } else {
                completed++;
            }
        }
        // the generator must exercise both outcomes
        assertThat(completed).isGreaterThan(PROGRAMS / 3);
        assertThat(faults).isGreaterThan(10);
    }

    private static Object outcome(Vm vm, byte[] prog, byte[] memory) {
        try {
            RunResult r = vm.load("rnd", prog, List.of()).run(new MemoryContext(memory));
            return List.of(r.returnValue(), java.util.HexFormat.of().formatHex(r.data()), r.instructions());
        } catch (VmException e) {
            return e.getClass().getSimpleName() + " at " + e.insnIndex() + ": " + e.getMessage();
        }
    }

    static byte[] generate(Random rnd) {
        int functions = 1 + rnd.nextInt(3);
        List<List<Item>> bodies = new ArrayList<>();
        for (int f = 0; f < functions; f++) {
            bodies.add(function(rnd, f, functions, f == 0));
        }
        // layout: function f starts after the functions before it
        List<Item> all = new ArrayList<>();
        int[] start = new int[functions];
        for (int f = 0; f < functions; f++) {
            start[f] = all.size();
            for (Item it : bodies.get(f)) {
                // targets: within a function relative to its start; calls (op 0x85, src 1) name a function
                int t = it.target();
                if (t >= 0 && !(it.op() == 0x85)) {
                    t += start[f];
                }
                all.add(new Item(it.op(), it.dst(), it.src(), it.off(), it.imm(), it.imm64(), t));
            }
        }
        int[] slot = new int[all.size() + 1];
        for (int i = 0; i < all.size(); i++) {
            slot[i + 1] = slot[i] + (all.get(i).op() == 0x18 ? 2 : 1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < all.size(); i++) {
            Item it = all.get(i);
            int off = it.off();
            int imm = it.imm();
            if (it.op() == 0x85 && it.src() == 1) {
                imm = slot[start[it.target()]] - slot[i] - 1;
            } else if (it.op() == 0x06) {
                imm = slot[it.target()] - slot[i] - 1;
            } else if (it.target() >= 0) {
                off = slot[it.target()] - slot[i] - 1;
            }
            if (it.op() == 0x18) {
                emit(out, 0x18, it.dst(), 0, 0, (int) it.imm64());
                emit(out, 0, 0, 0, 0, (int) (it.imm64() >>> 32));
            } else {
                emit(out, it.op(), it.dst(), it.src(), off, imm);
            }
        }
        return out.toByteArray();
    }

    /** Appends one instruction, little-endian, as the kernel lays it out. */
    static void emit(ByteArrayOutputStream out, int op, int dst, int src, int off, int imm) {
        out.write(op);
        out.write(dst | src << 4);
        out.write(off);
        out.write(off >> 8);
        out.write(imm);
        out.write(imm >> 8);
        out.write(imm >> 16);
        out.write(imm >> 24);
    }

    private static int data(Random rnd) {
        return rnd.nextInt(9); // r0-r8: r9 is the memory pointer, r10 the frame
    }

    private static int imm(Random rnd) {
        switch (rnd.nextInt(6)) {
            case 0:
                return 0;
            case 1:
                return rnd.nextInt(5) - 2;
            case 2:
                return rnd.nextInt(70);
            case 3:
                return Integer.MIN_VALUE + rnd.nextInt(3);
            default:
                return rnd.nextInt();
        }
    }

    private static List<Item> function(Random rnd, int index, int functions, boolean main) {
        List<Item> body = new ArrayList<>();
        if (main) {
            body.add(new Item(0xbf, 9, 1, 0, 0, 0, -1)); // r9 = r1
        }
        // initialise some registers (others stay as the caller or the entry left them)
        for (int r = 0; r < 9; r++) {
            if (rnd.nextInt(4) != 0) {
                body.add(rnd.nextBoolean() ? new Item(0xb7, r, 0, 0, imm(rnd), 0, -1)
                        : new Item(0x18, r, 0, 0, 0, rnd.nextLong(), -1));
            }
        }
        int n = 5 + rnd.nextInt(40);
        int exitAt = body.size() + n;
        for (int i = 0; i < n; i++) {
            int here = body.size();
            body.add(random(rnd, here, exitAt, index, functions));
        }
        body.add(new Item(0x95, 0, 0, 0, 0, 0, -1));
        return body;
    }

    private static Item random(Random rnd, int here, int exitAt, int index, int functions) {
        int kind = rnd.nextInt(100);
        int d = data(rnd);
        int s = data(rnd);
        if (kind < 40) { // ALU64 / ALU32
            int code = ALU[rnd.nextInt(ALU.length)];
            boolean is64 = rnd.nextBoolean();
            boolean reg = rnd.nextBoolean();
            int off = 0;
            int imm = imm(rnd);
            if (code == 0x80) {
                reg = false;
            } else if (code == 0xd0) {
                imm = new int[] {16, 32, 64}[rnd.nextInt(3)];
                if (is64) {
                    reg = false;
                }
            } else if (code == 0x30 || code == 0x90) {
                off = rnd.nextInt(2);
            } else if (code == 0xb0 && reg && rnd.nextBoolean()) {
                off = is64 ? new int[] {8, 16, 32}[rnd.nextInt(3)] : new int[] {8, 16}[rnd.nextInt(2)];
            }
            if ((code == 0x60 || code == 0x70 || code == 0xc0) && !reg && rnd.nextBoolean()) {
                imm = rnd.nextInt(64);
            }
            return new Item(code | (reg ? 0x08 : 0) | (is64 ? 7 : 4), d, reg ? s : 0, off, (reg && code != 0xd0) || code == 0x80 ? 0 : imm, 0, -1);
        }
        if (kind < 55) { // conditional jump forward, or ja / gotol
            int target = here + 1 + rnd.nextInt(exitAt - here);
            if (rnd.nextInt(8) == 0) {
                return new Item(rnd.nextBoolean() ? 0x05 : 0x06, 0, 0, 0, 0, 0, target);
            }
            int code = JMP[rnd.nextInt(JMP.length)];
            boolean reg = rnd.nextBoolean();
            return new Item(code | (reg ? 0x08 : 0) | (rnd.nextBoolean() ? 5 : 6), d, reg ? s : 0, 0, reg ? 0 : imm(rnd), 0, target);
        }
        int size = SIZES[rnd.nextInt(4)];
        int bytes = size == 0 ? 4 : size == 0x08 ? 2 : size == 0x10 ? 1 : 8;
        boolean stack = rnd.nextBoolean();
        int base = stack ? 10 : 9;
        int off = stack ? -bytes * (1 + rnd.nextInt(64 / bytes)) : bytes * rnd.nextInt(MEM / bytes);
        if (rnd.nextInt(60) == 0) {
            off += rnd.nextBoolean() ? MEM : 3; // out of bounds, or misaligned for atomics
        }
        if (kind < 67) { // loads, some sign-extending
            boolean sx = size != 0x18 && rnd.nextInt(3) == 0;
            return new Item((sx ? 0x81 : 0x61) | size, d, base, off, 0, 0, -1);
        }
        if (kind < 77) { // stores of a register or an immediate
            return rnd.nextBoolean() ? new Item(0x63 | size, base, s, off, 0, 0, -1)
                    : new Item(0x62 | size, base, 0, off, imm(rnd), 0, -1);
        }
        if (kind < 87) { // atomics
            int op = ATOMIC[rnd.nextInt(ATOMIC.length)];
            if (op == 0x100 || op == 0x110) {
                return op == 0x100 ? new Item(0xc3 | size, d, base, off, op, 0, -1)
                        : new Item(0xc3 | size, base, s, off, op, 0, -1);
            }
            int sz = rnd.nextBoolean() ? 0x00 : 0x18;
            int w = sz == 0 ? 4 : 8;
            int aoff = stack ? -w * (1 + rnd.nextInt(64 / w)) : w * rnd.nextInt(MEM / w);
            if (rnd.nextInt(60) == 0) {
                aoff += 2;
            }
            return new Item(0xc3 | sz, base, s, aoff, op, 0, -1);
        }
        if (kind < 93 && index + 1 < functions) { // a local call to a later function
            return new Item(0x85, 0, 1, 0, 0, 0, index + 1 + rnd.nextInt(functions - index - 1));
        }
        if (kind < 97) { // a helper call, by number or callx
            if (rnd.nextBoolean()) {
                return new Item(0x85, 0, 0, 0, 100, 0, -1);
            }
            return new Item(0xb7, d, 0, 0, 100, 0, -1); // (callx below needs a register with 100)
        }
        if (kind < 99) {
            return new Item(0xb7, 8, 0, 0, 100, 0, -1);
        }
        return new Item(rnd.nextBoolean() ? 0x8d : 0x30, 8, 0, 0, rnd.nextInt(4), 0, -1); // callx r8, or LD_ABS
    }
}
