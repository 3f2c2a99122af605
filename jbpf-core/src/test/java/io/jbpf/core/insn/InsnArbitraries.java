package io.jbpf.core.insn;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators of valid instructions of every kind; shared by the insn and asm tests. */
public final class InsnArbitraries {
    private InsnArbitraries() {}

    static Arbitrary<Reg> reg() {
        return Arbitraries.of(Reg.class);
    }

    static Arbitrary<Width> width() {
        return Arbitraries.of(Width.class);
    }

    static Arbitrary<Integer> imm() {
        return Arbitraries.integers().edgeCases(c -> c.includeOnly(0, -1, 1, Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    static Arbitrary<Integer> off16() {
        return Arbitraries.integers().between(Short.MIN_VALUE, Short.MAX_VALUE);
    }

    static Arbitrary<Operand> operand() {
        return Arbitraries.oneOf(reg(), imm().map(Imm::new));
    }

    static Arbitrary<Size> anySize() {
        return Arbitraries.of(Size.class);
    }

    static Arbitrary<Size> smallSize() {
        return Arbitraries.of(Size.B, Size.H, Size.W);
    }

    /** Any instruction that encodes (no symbolic map references, no raw words). */
    public static Arbitrary<Insn> encodable() {
        Arbitrary<Insn> binary = Combinators.combine(width(), Arbitraries.of(AluOp.class), reg(), operand())
                .as(Alu::new);
        Arbitrary<Insn> neg = Combinators.combine(width(), reg()).as(Neg::new);
        Arbitrary<Insn> movsx = width().flatMap(w -> Combinators.combine(reg(), reg(),
                        w == Width.W64 ? Arbitraries.of(8, 16, 32) : Arbitraries.of(8, 16))
                .as((d, s, b) -> (Insn) new MovSx(w, d, s, b)));
        Arbitrary<Insn> swap = Combinators.combine(Arbitraries.of(SwapKind.class), Arbitraries.of(16, 32, 64), reg())
                .as(ByteSwap::new);
        Arbitrary<Insn> jump = Combinators.combine(width(), Arbitraries.of(JumpCond.class), reg(), operand(), off16())
                .as(Jump::new);
        Arbitrary<Insn> control = Arbitraries.oneOf(
                off16().map(Goto::new),
                imm().map(GotoLong::new),
                imm().map(CallHelper::new),
                imm().map(CallLocal::new),
                Combinators.combine(imm(), off16()).as(CallKfunc::new),
                reg().map(CallReg::new),
                Arbitraries.just(new Exit()));
        Arbitrary<Insn> memory = Arbitraries.oneOf(
                Combinators.combine(anySize(), reg(), reg(), off16()).as(Load::new),
                Combinators.combine(smallSize(), reg(), reg(), off16()).as(LoadSx::new),
                Combinators.combine(anySize(), reg(), off16(), reg()).as(Store::new),
                Combinators.combine(anySize(), reg(), off16(), imm()).as(StoreImm::new),
                Combinators.combine(Arbitraries.of(Size.W, Size.DW), Arbitraries.of(AtomicOp.class), reg(), off16(), reg())
                        .as(Atomic::new),
                Combinators.combine(smallSize(), imm()).as(LoadAbs::new),
                Combinators.combine(smallSize(), reg(), imm()).as(LoadInd::new));
        Arbitrary<Insn> wide = Arbitraries.oneOf(
                Combinators.combine(reg(), Arbitraries.longs()).as(LoadImm64::new),
                Combinators.combine(reg(), Arbitraries.of(PseudoSource.class), imm(), imm()).as(LoadPseudo::new));
        return Arbitraries.oneOf(binary, neg, movsx, swap, jump, control, memory, wide);
    }

    /** Symbolic map references with names such as {@code .rodata} or {@code my_map2}. */
    public static Arbitrary<Insn> mapRef() {
        Arbitrary<String> name = Arbitraries.strings().withChars("abcxyz_.019").ofMinLength(1).ofMaxLength(12)
                .filter(LoadMapRef::isValidName);
        Arbitrary<Insn> map = Combinators.combine(reg(), name).as(LoadMapRef::map);
        Arbitrary<Insn> value = Combinators.combine(reg(), name, imm()).as(LoadMapRef::value);
        return Arbitraries.oneOf(map, value);
    }

    /** Raw words with arbitrary fields. */
    public static Arbitrary<Insn> raw() {
        return Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 15),
                Arbitraries.integers().between(0, 15), off16(), imm()).as(RawInsn::new);
    }

    /** Programs of encodable instructions. */
    public static Arbitrary<List<Insn>> program() {
        return encodable().list().ofMaxSize(40);
    }
}
