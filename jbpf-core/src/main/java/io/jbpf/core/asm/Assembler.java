package io.jbpf.core.asm;

import io.jbpf.core.insn.Alu;
import io.jbpf.core.insn.AluOp;
import io.jbpf.core.insn.Atomic;
import io.jbpf.core.insn.AtomicOp;
import io.jbpf.core.insn.ByteSwap;
import io.jbpf.core.insn.CallHelper;
import io.jbpf.core.insn.CallKfunc;
import io.jbpf.core.insn.CallLocal;
import io.jbpf.core.insn.CallReg;
import io.jbpf.core.insn.Exit;
import io.jbpf.core.insn.Goto;
import io.jbpf.core.insn.GotoLong;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Imm;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.InvalidInstructionException;
import io.jbpf.core.insn.Jump;
import io.jbpf.core.insn.JumpCond;
import io.jbpf.core.insn.Load;
import io.jbpf.core.insn.LoadAbs;
import io.jbpf.core.insn.LoadImm64;
import io.jbpf.core.insn.LoadInd;
import io.jbpf.core.insn.LoadMapRef;
import io.jbpf.core.insn.LoadPseudo;
import io.jbpf.core.insn.LoadSx;
import io.jbpf.core.insn.MovSx;
import io.jbpf.core.insn.Neg;
import io.jbpf.core.insn.Operand;
import io.jbpf.core.insn.PseudoSource;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.insn.Size;
import io.jbpf.core.insn.Store;
import io.jbpf.core.insn.StoreImm;
import io.jbpf.core.insn.SwapKind;
import io.jbpf.core.insn.UnknownHelperException;
import io.jbpf.core.insn.Width;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Builds a program instruction by instruction, with labels for jumps and BPF-to-BPF calls.
 *
 * <pre>{@code
 * List<Insn> prog = new Assembler()
 *         .mov(R0, 0)
 *         .ldMap(R1, "counters")
 *         .jeq(R2, 0, "out")
 *         .call(Helper.MAP_LOOKUP_ELEM)
 *         .label("out")
 *         .exit()
 *         .build();
 * }</pre>
 *
 * <p>Methods without a suffix are 64-bit ({@code r} registers); the {@code 32} variants are 32-bit
 * ({@code w} registers). Jump offsets to labels are computed by {@link #build()}, in 8-byte slots.
 * Problems are {@link AssemblerException}s: an operand out of range (shift amounts must be below
 * the operation's width), a duplicate label (at once), an undefined label or a target too far for
 * the instruction's offset field (in {@code build()}). {@link #emit(Insn)} adds any instruction
 * as it is, without these friendly checks.
 */
public final class Assembler {
    private final List<Item> items = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();

    /** An empty program. */
    public Assembler() {}

    // ---- structure ---------------------------------------------------------------------------

    /** Adds an instruction as it is. */
    public Assembler emit(Insn insn) {
        if (insn == null) {
            throw new AssemblerException("instruction " + items.size() + " is null");
        }
        items.add(Item.of(insn));
        return this;
    }

    /** Adds instructions as they are. */
    public Assembler emit(List<? extends Insn> insns) {
        if (insns == null) {
            throw new AssemblerException("instruction list is null");
        }
        for (Insn insn : insns) {
            emit(insn);
        }
        return this;
    }

    /**
     * Marks the position of the next instruction with {@code name}.
     *
     * @throws AssemblerException if the label is already defined or is not a valid name (letters,
     *         digits, '_' and '.', not starting with a digit, not a register name)
     */
    public Assembler label(String name) {
        return label(name, 0, 0);
    }

    Assembler label(String name, int line, int column) {
        if (!isValidLabel(name)) {
            throw AssemblerException.forLabel(name, line, column, "'" + name
                    + "' is not a valid label (letters, digits, '_' and '.', not starting with a digit,"
                    + " not a register name)");
        }
        if (labels.putIfAbsent(name, items.size()) != null) {
            throw AssemblerException.forLabel(name, line, column, "label '" + name + "' is defined twice");
        }
        return this;
    }

    /** Whether {@code name} can be a label. */
    static boolean isValidLabel(String name) {
        return LoadMapRef.isValidName(name) && !name.matches("[rw](10|[0-9])");
    }

    /** Whether a label of that name has been defined so far. */
    public boolean hasLabel(String name) {
        return labels.containsKey(name);
    }

    /**
     * The program, with every label reference resolved.
     *
     * @throws AssemblerException for an undefined label, a label after the last instruction, or a
     *         target out of the instruction's range
     */
    public List<Insn> build() {
        return LabelResolver.resolve(items, labels);
    }

    Assembler add(Supplier<Insn> make, int line, int column) {
        Insn insn;
        try {
            insn = make.get();
        } catch (InvalidInstructionException e) {
            throw line > 0 ? AssemblerException.at(line, column, e.problem(), e)
                           : new AssemblerException(e.problem());
        }
        items.add(Item.of(insn));
        return this;
    }

    private Assembler add(Supplier<Insn> make) {
        return add(make, 0, 0);
    }

    Assembler ref(String label, IntFunction<Insn> make, int line, int column) {
        if (label == null) {
            throw AssemblerException.forLabel(null, line, column, "label is null");
        }
        try {
            make.apply(0);
        } catch (InvalidInstructionException e) {
            throw line > 0 ? AssemblerException.at(line, column, e.problem(), e)
                           : new AssemblerException(e.problem());
        }
        items.add(Item.pending(label, make, line, column));
        return this;
    }

    // ---- ALU ---------------------------------------------------------------------------------

    /** {@code dst op= src} of any width and operation. */
    public Assembler alu(Width width, AluOp op, Reg dst, Operand src) {
        if (op == AluOp.LSH || op == AluOp.RSH || op == AluOp.ARSH) {
            checkShift(width, src);
        }
        return add(() -> new Alu(width, op, dst, src));
    }

    private static void checkShift(Width width, Operand src) {
        int bits = width == Width.W64 ? 64 : 32;
        if (src instanceof Imm i && (i.value() < 0 || i.value() >= bits)) {
            throw new AssemblerException("shift by " + i.value() + " is outside 0.." + (bits - 1)
                    + " for a " + bits + "-bit shift");
        }
    }

    private Assembler alu64(AluOp op, Reg dst, Operand src) {
        return alu(Width.W64, op, dst, src);
    }

    private Assembler alu32(AluOp op, Reg dst, Operand src) {
        return alu(Width.W32, op, dst, src);
    }

    /** {@code dst = src}. */
    public Assembler mov(Reg dst, Reg src) {
        return alu64(AluOp.MOV, dst, src);
    }

    /** {@code dst = imm} (sign-extended to 64 bits). */
    public Assembler mov(Reg dst, int imm) {
        return alu64(AluOp.MOV, dst, Imm.of(imm));
    }

    /** {@code dst += src}. */
    public Assembler add(Reg dst, Reg src) {
        return alu64(AluOp.ADD, dst, src);
    }

    /** {@code dst += imm}. */
    public Assembler add(Reg dst, int imm) {
        return alu64(AluOp.ADD, dst, Imm.of(imm));
    }

    /** {@code dst -= src}. */
    public Assembler sub(Reg dst, Reg src) {
        return alu64(AluOp.SUB, dst, src);
    }

    /** {@code dst -= imm}. */
    public Assembler sub(Reg dst, int imm) {
        return alu64(AluOp.SUB, dst, Imm.of(imm));
    }

    /** {@code dst *= src}. */
    public Assembler mul(Reg dst, Reg src) {
        return alu64(AluOp.MUL, dst, src);
    }

    /** {@code dst *= imm}. */
    public Assembler mul(Reg dst, int imm) {
        return alu64(AluOp.MUL, dst, Imm.of(imm));
    }

    /** Unsigned {@code dst /= src}. */
    public Assembler div(Reg dst, Reg src) {
        return alu64(AluOp.DIV, dst, src);
    }

    /** Unsigned {@code dst /= imm}. */
    public Assembler div(Reg dst, int imm) {
        return alu64(AluOp.DIV, dst, Imm.of(imm));
    }

    /** Signed {@code dst s/= src} (ISA v4). */
    public Assembler sdiv(Reg dst, Reg src) {
        return alu64(AluOp.SDIV, dst, src);
    }

    /** Signed {@code dst s/= imm} (ISA v4). */
    public Assembler sdiv(Reg dst, int imm) {
        return alu64(AluOp.SDIV, dst, Imm.of(imm));
    }

    /** Unsigned {@code dst %= src}. */
    public Assembler mod(Reg dst, Reg src) {
        return alu64(AluOp.MOD, dst, src);
    }

    /** Unsigned {@code dst %= imm}. */
    public Assembler mod(Reg dst, int imm) {
        return alu64(AluOp.MOD, dst, Imm.of(imm));
    }

    /** Signed {@code dst s%= src} (ISA v4). */
    public Assembler smod(Reg dst, Reg src) {
        return alu64(AluOp.SMOD, dst, src);
    }

    /** Signed {@code dst s%= imm} (ISA v4). */
    public Assembler smod(Reg dst, int imm) {
        return alu64(AluOp.SMOD, dst, Imm.of(imm));
    }

    /** {@code dst |= src}. */
    public Assembler or(Reg dst, Reg src) {
        return alu64(AluOp.OR, dst, src);
    }

    /** {@code dst |= imm}. */
    public Assembler or(Reg dst, int imm) {
        return alu64(AluOp.OR, dst, Imm.of(imm));
    }

    /** {@code dst &= src}. */
    public Assembler and(Reg dst, Reg src) {
        return alu64(AluOp.AND, dst, src);
    }

    /** {@code dst &= imm}. */
    public Assembler and(Reg dst, int imm) {
        return alu64(AluOp.AND, dst, Imm.of(imm));
    }

    /** {@code dst ^= src}. */
    public Assembler xor(Reg dst, Reg src) {
        return alu64(AluOp.XOR, dst, src);
    }

    /** {@code dst ^= imm}. */
    public Assembler xor(Reg dst, int imm) {
        return alu64(AluOp.XOR, dst, Imm.of(imm));
    }

    /** {@code dst <<= src}. */
    public Assembler lsh(Reg dst, Reg src) {
        return alu64(AluOp.LSH, dst, src);
    }

    /** {@code dst <<= imm}, {@code 0 <= imm < 64}. */
    public Assembler lsh(Reg dst, int imm) {
        return alu64(AluOp.LSH, dst, Imm.of(imm));
    }

    /** Logical {@code dst >>= src}. */
    public Assembler rsh(Reg dst, Reg src) {
        return alu64(AluOp.RSH, dst, src);
    }

    /** Logical {@code dst >>= imm}, {@code 0 <= imm < 64}. */
    public Assembler rsh(Reg dst, int imm) {
        return alu64(AluOp.RSH, dst, Imm.of(imm));
    }

    /** Arithmetic {@code dst s>>= src}. */
    public Assembler arsh(Reg dst, Reg src) {
        return alu64(AluOp.ARSH, dst, src);
    }

    /** Arithmetic {@code dst s>>= imm}, {@code 0 <= imm < 64}. */
    public Assembler arsh(Reg dst, int imm) {
        return alu64(AluOp.ARSH, dst, Imm.of(imm));
    }

    /** {@code dst = -dst}. */
    public Assembler neg(Reg dst) {
        return add(() -> new Neg(Width.W64, dst));
    }

    /** {@code wdst = wsrc}. */
    public Assembler mov32(Reg dst, Reg src) {
        return alu32(AluOp.MOV, dst, src);
    }

    /** {@code wdst = imm} (zero-extended to 64 bits). */
    public Assembler mov32(Reg dst, int imm) {
        return alu32(AluOp.MOV, dst, Imm.of(imm));
    }

    /** {@code wdst += wsrc}. */
    public Assembler add32(Reg dst, Reg src) {
        return alu32(AluOp.ADD, dst, src);
    }

    /** {@code wdst += imm}. */
    public Assembler add32(Reg dst, int imm) {
        return alu32(AluOp.ADD, dst, Imm.of(imm));
    }

    /** {@code wdst -= wsrc}. */
    public Assembler sub32(Reg dst, Reg src) {
        return alu32(AluOp.SUB, dst, src);
    }

    /** {@code wdst -= imm}. */
    public Assembler sub32(Reg dst, int imm) {
        return alu32(AluOp.SUB, dst, Imm.of(imm));
    }

    /** {@code wdst *= wsrc}. */
    public Assembler mul32(Reg dst, Reg src) {
        return alu32(AluOp.MUL, dst, src);
    }

    /** {@code wdst *= imm}. */
    public Assembler mul32(Reg dst, int imm) {
        return alu32(AluOp.MUL, dst, Imm.of(imm));
    }

    /** Unsigned {@code wdst /= wsrc}. */
    public Assembler div32(Reg dst, Reg src) {
        return alu32(AluOp.DIV, dst, src);
    }

    /** Unsigned {@code wdst /= imm}. */
    public Assembler div32(Reg dst, int imm) {
        return alu32(AluOp.DIV, dst, Imm.of(imm));
    }

    /** Signed {@code wdst s/= wsrc} (ISA v4). */
    public Assembler sdiv32(Reg dst, Reg src) {
        return alu32(AluOp.SDIV, dst, src);
    }

    /** Signed {@code wdst s/= imm} (ISA v4). */
    public Assembler sdiv32(Reg dst, int imm) {
        return alu32(AluOp.SDIV, dst, Imm.of(imm));
    }

    /** Unsigned {@code wdst %= wsrc}. */
    public Assembler mod32(Reg dst, Reg src) {
        return alu32(AluOp.MOD, dst, src);
    }

    /** Unsigned {@code wdst %= imm}. */
    public Assembler mod32(Reg dst, int imm) {
        return alu32(AluOp.MOD, dst, Imm.of(imm));
    }

    /** Signed {@code wdst s%= wsrc} (ISA v4). */
    public Assembler smod32(Reg dst, Reg src) {
        return alu32(AluOp.SMOD, dst, src);
    }

    /** Signed {@code wdst s%= imm} (ISA v4). */
    public Assembler smod32(Reg dst, int imm) {
        return alu32(AluOp.SMOD, dst, Imm.of(imm));
    }

    /** {@code wdst |= wsrc}. */
    public Assembler or32(Reg dst, Reg src) {
        return alu32(AluOp.OR, dst, src);
    }

    /** {@code wdst |= imm}. */
    public Assembler or32(Reg dst, int imm) {
        return alu32(AluOp.OR, dst, Imm.of(imm));
    }

    /** {@code wdst &= wsrc}. */
    public Assembler and32(Reg dst, Reg src) {
        return alu32(AluOp.AND, dst, src);
    }

    /** {@code wdst &= imm}. */
    public Assembler and32(Reg dst, int imm) {
        return alu32(AluOp.AND, dst, Imm.of(imm));
    }

    /** {@code wdst ^= wsrc}. */
    public Assembler xor32(Reg dst, Reg src) {
        return alu32(AluOp.XOR, dst, src);
    }

    /** {@code wdst ^= imm}. */
    public Assembler xor32(Reg dst, int imm) {
        return alu32(AluOp.XOR, dst, Imm.of(imm));
    }

    /** {@code wdst <<= wsrc}. */
    public Assembler lsh32(Reg dst, Reg src) {
        return alu32(AluOp.LSH, dst, src);
    }

    /** {@code wdst <<= imm}, {@code 0 <= imm < 32}. */
    public Assembler lsh32(Reg dst, int imm) {
        return alu32(AluOp.LSH, dst, Imm.of(imm));
    }

    /** Logical {@code wdst >>= wsrc}. */
    public Assembler rsh32(Reg dst, Reg src) {
        return alu32(AluOp.RSH, dst, src);
    }

    /** Logical {@code wdst >>= imm}, {@code 0 <= imm < 32}. */
    public Assembler rsh32(Reg dst, int imm) {
        return alu32(AluOp.RSH, dst, Imm.of(imm));
    }

    /** Arithmetic {@code wdst s>>= wsrc}. */
    public Assembler arsh32(Reg dst, Reg src) {
        return alu32(AluOp.ARSH, dst, src);
    }

    /** Arithmetic {@code wdst s>>= imm}, {@code 0 <= imm < 32}. */
    public Assembler arsh32(Reg dst, int imm) {
        return alu32(AluOp.ARSH, dst, Imm.of(imm));
    }

    /** {@code wdst = -wdst}. */
    public Assembler neg32(Reg dst) {
        return add(() -> new Neg(Width.W32, dst));
    }

    /** {@code dst = (sN) src}: sign-extend the low 8, 16 or 32 bits into 64 (ISA v4). */
    public Assembler movsx(Reg dst, Reg src, int fromBits) {
        return add(() -> new MovSx(Width.W64, dst, src, fromBits));
    }

    /** {@code wdst = (sN) wsrc}: sign-extend the low 8 or 16 bits into 32 (ISA v4). */
    public Assembler movsx32(Reg dst, Reg src, int fromBits) {
        return add(() -> new MovSx(Width.W32, dst, src, fromBits));
    }

    /** {@code dst = beN dst}: host to big endian, N = 16, 32 or 64. */
    public Assembler toBe(Reg dst, int bits) {
        return add(() -> new ByteSwap(SwapKind.BE, bits, dst));
    }

    /** {@code dst = leN dst}: host to little endian, N = 16, 32 or 64. */
    public Assembler toLe(Reg dst, int bits) {
        return add(() -> new ByteSwap(SwapKind.LE, bits, dst));
    }

    /** {@code dst = bswapN dst}: unconditional swap, N = 16, 32 or 64 (ISA v4). */
    public Assembler bswap(Reg dst, int bits) {
        return add(() -> new ByteSwap(SwapKind.BSWAP, bits, dst));
    }

    // ---- memory ------------------------------------------------------------------------------

    /** {@code dst = *(size *)(src + offset)}, zero-extended. */
    public Assembler load(Size size, Reg dst, Reg src, int offset) {
        return add(() -> new Load(size, dst, src, offset));
    }

    /** {@code dst = *(sN *)(src + offset)}, sign-extended (ISA v4; size B, H or W). */
    public Assembler loadSx(Size size, Reg dst, Reg src, int offset) {
        return add(() -> new LoadSx(size, dst, src, offset));
    }

    /** {@code *(size *)(dst + offset) = src}. */
    public Assembler store(Size size, Reg dst, int offset, Reg src) {
        return add(() -> new Store(size, dst, offset, src));
    }

    /** {@code *(size *)(dst + offset) = imm}. */
    public Assembler store(Size size, Reg dst, int offset, int imm) {
        return add(() -> new StoreImm(size, dst, offset, imm));
    }

    /** An atomic operation on {@code *(size *)(dst + offset)} with {@code src} (size W or DW). */
    public Assembler atomic(Size size, AtomicOp op, Reg dst, int offset, Reg src) {
        return add(() -> new Atomic(size, op, dst, offset, src));
    }

    /** {@code lock *(size *)(dst + offset) += src}. */
    public Assembler atomicAdd(Size size, Reg dst, int offset, Reg src) {
        return atomic(size, AtomicOp.ADD, dst, offset, src);
    }

    /** {@code src = xchg(dst + offset, src)}. */
    public Assembler xchg(Size size, Reg dst, int offset, Reg src) {
        return atomic(size, AtomicOp.XCHG, dst, offset, src);
    }

    /** {@code r0 = cmpxchg(dst + offset, r0, src)}. */
    public Assembler cmpxchg(Size size, Reg dst, int offset, Reg src) {
        return atomic(size, AtomicOp.CMPXCHG, dst, offset, src);
    }

    /** Legacy {@code r0 = *(size *)skb[imm]}. */
    public Assembler loadAbs(Size size, int imm) {
        return add(() -> new LoadAbs(size, imm));
    }

    /** Legacy {@code r0 = *(size *)skb[src + imm]}. */
    public Assembler loadInd(Size size, Reg src, int imm) {
        return add(() -> new LoadInd(size, src, imm));
    }

    // ---- 64-bit immediates -------------------------------------------------------------------

    /** {@code dst = value ll}. */
    public Assembler ldImm64(Reg dst, long value) {
        return add(() -> new LoadImm64(dst, value));
    }

    /** {@code dst = map[name] ll}: the map called {@code name}, resolved at load. */
    public Assembler ldMap(Reg dst, String mapName) {
        return add(() -> LoadMapRef.map(dst, mapName));
    }

    /** {@code dst = map_value[name] + offset ll}: an address in the value of map {@code name}. */
    public Assembler ldMapValue(Reg dst, String mapName, int offset) {
        return add(() -> LoadMapRef.value(dst, mapName, offset));
    }

    /** {@code dst = map[fd:fd] ll}: the map with this fd. */
    public Assembler ldMapFd(Reg dst, int fd) {
        return add(() -> LoadPseudo.mapFd(dst, fd));
    }

    /** A 64-bit load with any pseudo source except {@link PseudoSource#FUNC} (see {@link #ldFunc}). */
    public Assembler ldPseudo(Reg dst, PseudoSource source, int imm, int nextImm) {
        return add(() -> new LoadPseudo(dst, source, imm, nextImm));
    }

    /** {@code dst = func[label] ll}: the address of the subprogram at {@code label}. */
    public Assembler ldFunc(Reg dst, String label) {
        return ref(label, off -> new LoadPseudo(dst, PseudoSource.FUNC, off, 0), 0, 0);
    }

    // ---- jumps -------------------------------------------------------------------------------

    /** {@code goto label}. */
    public Assembler ja(String label) {
        return ref(label, Goto::new, 0, 0);
    }

    /** {@code gotol label}: unconditional jump with a 32-bit offset (ISA v4). */
    public Assembler jaLong(String label) {
        return ref(label, GotoLong::new, 0, 0);
    }

    /** {@code if dst cond src goto label}, of any width. */
    public Assembler jump(Width width, JumpCond cond, Reg dst, Operand src, String label) {
        return ref(label, off -> new Jump(width, cond, dst, src, off), 0, 0);
    }

    /** 64-bit {@code if dst cond src goto label}. */
    public Assembler jump(JumpCond cond, Reg dst, Reg src, String label) {
        return jump(Width.W64, cond, dst, src, label);
    }

    /** 64-bit {@code if dst cond imm goto label}. */
    public Assembler jump(JumpCond cond, Reg dst, int imm, String label) {
        return jump(Width.W64, cond, dst, Imm.of(imm), label);
    }

    /** 32-bit {@code if wdst cond wsrc goto label}. */
    public Assembler jump32(JumpCond cond, Reg dst, Reg src, String label) {
        return jump(Width.W32, cond, dst, src, label);
    }

    /** 32-bit {@code if wdst cond imm goto label}. */
    public Assembler jump32(JumpCond cond, Reg dst, int imm, String label) {
        return jump(Width.W32, cond, dst, Imm.of(imm), label);
    }

    /** {@code if dst == src goto label}. */
    public Assembler jeq(Reg dst, Reg src, String label) {
        return jump(JumpCond.EQ, dst, src, label);
    }

    /** {@code if dst == imm goto label}. */
    public Assembler jeq(Reg dst, int imm, String label) {
        return jump(JumpCond.EQ, dst, imm, label);
    }

    /** {@code if dst != src goto label}. */
    public Assembler jne(Reg dst, Reg src, String label) {
        return jump(JumpCond.NE, dst, src, label);
    }

    /** {@code if dst != imm goto label}. */
    public Assembler jne(Reg dst, int imm, String label) {
        return jump(JumpCond.NE, dst, imm, label);
    }

    /** Unsigned {@code if dst > src goto label}. */
    public Assembler jgt(Reg dst, Reg src, String label) {
        return jump(JumpCond.GT, dst, src, label);
    }

    /** Unsigned {@code if dst > imm goto label}. */
    public Assembler jgt(Reg dst, int imm, String label) {
        return jump(JumpCond.GT, dst, imm, label);
    }

    /** Unsigned {@code if dst >= src goto label}. */
    public Assembler jge(Reg dst, Reg src, String label) {
        return jump(JumpCond.GE, dst, src, label);
    }

    /** Unsigned {@code if dst >= imm goto label}. */
    public Assembler jge(Reg dst, int imm, String label) {
        return jump(JumpCond.GE, dst, imm, label);
    }

    /** Unsigned {@code if dst < src goto label}. */
    public Assembler jlt(Reg dst, Reg src, String label) {
        return jump(JumpCond.LT, dst, src, label);
    }

    /** Unsigned {@code if dst < imm goto label}. */
    public Assembler jlt(Reg dst, int imm, String label) {
        return jump(JumpCond.LT, dst, imm, label);
    }

    /** Unsigned {@code if dst <= src goto label}. */
    public Assembler jle(Reg dst, Reg src, String label) {
        return jump(JumpCond.LE, dst, src, label);
    }

    /** Unsigned {@code if dst <= imm goto label}. */
    public Assembler jle(Reg dst, int imm, String label) {
        return jump(JumpCond.LE, dst, imm, label);
    }

    /** Signed {@code if dst s> src goto label}. */
    public Assembler jsgt(Reg dst, Reg src, String label) {
        return jump(JumpCond.SGT, dst, src, label);
    }

    /** Signed {@code if dst s> imm goto label}. */
    public Assembler jsgt(Reg dst, int imm, String label) {
        return jump(JumpCond.SGT, dst, imm, label);
    }

    /** Signed {@code if dst s>= src goto label}. */
    public Assembler jsge(Reg dst, Reg src, String label) {
        return jump(JumpCond.SGE, dst, src, label);
    }

    /** Signed {@code if dst s>= imm goto label}. */
    public Assembler jsge(Reg dst, int imm, String label) {
        return jump(JumpCond.SGE, dst, imm, label);
    }

    /** Signed {@code if dst s< src goto label}. */
    public Assembler jslt(Reg dst, Reg src, String label) {
        return jump(JumpCond.SLT, dst, src, label);
    }

    /** Signed {@code if dst s< imm goto label}. */
    public Assembler jslt(Reg dst, int imm, String label) {
        return jump(JumpCond.SLT, dst, imm, label);
    }

    /** Signed {@code if dst s<= src goto label}. */
    public Assembler jsle(Reg dst, Reg src, String label) {
        return jump(JumpCond.SLE, dst, src, label);
    }

    /** Signed {@code if dst s<= imm goto label}. */
    public Assembler jsle(Reg dst, int imm, String label) {
        return jump(JumpCond.SLE, dst, imm, label);
    }

    /** {@code if dst & src goto label}. */
    public Assembler jset(Reg dst, Reg src, String label) {
        return jump(JumpCond.SET, dst, src, label);
    }

    /** {@code if dst & imm goto label}. */
    public Assembler jset(Reg dst, int imm, String label) {
        return jump(JumpCond.SET, dst, imm, label);
    }

    // ---- calls -------------------------------------------------------------------------------

    /** Calls a helper. */
    public Assembler call(Helper helper) {
        return add(() -> CallHelper.of(helper));
    }

    /**
     * Calls a helper by name: {@code bpf_map_lookup_elem} or {@code map_lookup_elem}.
     *
     * @throws AssemblerException if no helper has that name (the message suggests a close one)
     */
    public Assembler call(String helperName) {
        Helper helper;
        try {
            helper = Helper.ofName(helperName);
        } catch (UnknownHelperException e) {
            throw new AssemblerException(e.getMessage());
        }
        return call(helper);
    }

    /** Calls helper number {@code helperId}, known to this version or not. */
    public Assembler call(int helperId) {
        return add(() -> new CallHelper(helperId));
    }

    /** BPF-to-BPF call of the subprogram at {@code label}. */
    public Assembler callLocal(String label) {
        return ref(label, CallLocal::new, 0, 0);
    }

    /** Calls a vmlinux kfunc by BTF id. */
    public Assembler callKfunc(int btfId) {
        return add(() -> CallKfunc.of(btfId));
    }

    /** Calls the address in {@code reg} ({@code callx}). */
    public Assembler callx(Reg reg) {
        return add(() -> new CallReg(reg));
    }

    /** Returns r0. */
    public Assembler exit() {
        return add(Exit::new);
    }
}
