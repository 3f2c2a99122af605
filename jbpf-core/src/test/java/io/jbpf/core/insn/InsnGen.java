package io.jbpf.core.insn;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Random valid instructions of every kind, from a seeded {@link Random} so that a failure names a
 * seed that reproduces it. Edge values (0, ±1, extremes) come up often on purpose. Shared by the
 * insn and asm property tests.
 */
public final class InsnGen {
    private static final int[] EDGE_IMMS = {0, -1, 1, Integer.MIN_VALUE, Integer.MAX_VALUE};

    private final Random random;

    public InsnGen(long seed) {
        this.random = new Random(seed);
    }

    public Random random() {
        return random;
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    @SafeVarargs
    private <T> T oneOf(Supplier<? extends T>... choices) {
        return choices[random.nextInt(choices.length)].get();
    }

    Reg reg() {
        return pick(Reg.values());
    }

    Width width() {
        return pick(Width.values());
    }

    int imm() {
        return random.nextInt(4) == 0 ? EDGE_IMMS[random.nextInt(EDGE_IMMS.length)] : random.nextInt();
    }

    int off16() {
        return random.nextInt(4) == 0 ? new int[] {0, -1, 1, Short.MIN_VALUE, Short.MAX_VALUE}[random.nextInt(5)]
                : random.nextInt(Short.MAX_VALUE - Short.MIN_VALUE + 1) + Short.MIN_VALUE;
    }

    Operand operand() {
        return random.nextBoolean() ? reg() : new Imm(imm());
    }

    Size anySize() {
        return pick(Size.values());
    }

    Size smallSize() {
        return pick(new Size[] {Size.B, Size.H, Size.W});
    }

    /** Any instruction that encodes (no symbolic map references, no raw words). */
    public Insn encodable() {
        return oneOf(
                () -> new Alu(width(), pick(AluOp.values()), reg(), operand()),
                () -> new Neg(width(), reg()),
                () -> {
                    Width w = width();
                    int bits = w == Width.W64 ? pick(new Integer[] {8, 16, 32}) : pick(new Integer[] {8, 16});
                    return new MovSx(w, reg(), reg(), bits);
                },
                () -> new ByteSwap(pick(SwapKind.values()), pick(new Integer[] {16, 32, 64}), reg()),
                () -> new Jump(width(), pick(JumpCond.values()), reg(), operand(), off16()),
                () -> oneOf(
                        () -> new Goto(off16()),
                        () -> new GotoLong(imm()),
                        () -> new CallHelper(imm()),
                        () -> new CallLocal(imm()),
                        () -> new CallKfunc(imm(), off16()),
                        () -> new CallReg(reg()),
                        Exit::new),
                () -> oneOf(
                        () -> new Load(anySize(), reg(), reg(), off16()),
                        () -> new LoadSx(smallSize(), reg(), reg(), off16()),
                        () -> new Store(anySize(), reg(), off16(), reg()),
                        () -> new StoreImm(anySize(), reg(), off16(), imm()),
                        () -> new Atomic(pick(new Size[] {Size.W, Size.DW}), pick(AtomicOp.values()), reg(), off16(), reg()),
                        () -> new LoadAbs(smallSize(), imm()),
                        () -> new LoadInd(smallSize(), reg(), imm())),
                () -> random.nextBoolean() ? new LoadImm64(reg(), random.nextLong())
                        : new LoadPseudo(reg(), pick(PseudoSource.values()), imm(), imm()));
    }

    /** A symbolic map reference with a name such as {@code .rodata} or {@code my_map2}. */
    public Insn mapRef() {
        String name;
        do {
            StringBuilder b = new StringBuilder();
            int len = 1 + random.nextInt(12);
            for (int i = 0; i < len; i++) {
                b.append("abcxyz_.019".charAt(random.nextInt(11)));
            }
            name = b.toString();
        } while (!LoadMapRef.isValidName(name));
        return random.nextBoolean() ? LoadMapRef.map(reg(), name) : LoadMapRef.value(reg(), name, imm());
    }

    /** A raw word with arbitrary fields. */
    public Insn raw() {
        return new RawInsn(random.nextInt(256), random.nextInt(16), random.nextInt(16), off16(), imm());
    }

    /** A program of up to 40 encodable instructions. */
    public List<Insn> program() {
        int n = random.nextInt(41);
        List<Insn> p = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            p.add(encodable());
        }
        return p;
    }
}
