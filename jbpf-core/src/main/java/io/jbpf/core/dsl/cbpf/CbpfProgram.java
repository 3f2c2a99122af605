package io.jbpf.core.dsl.cbpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A classic BPF program: a list of {@link CbpfInsn}, as given to {@code SO_ATTACH_FILTER} in a
 * {@code struct sock_fprog}.
 *
 * <p>{@link #of} checks the program with the kernel's rules ({@link #validate()}); {@link #unchecked}
 * keeps any list (to disassemble or inspect what someone else wrote). A program is a value:
 * {@link #equals} compares the instructions.
 */
public final class CbpfProgram {
    /** {@code BPF_MAXINSNS}: the most instructions the kernel accepts in a classic program. */
    public static final int MAX_INSNS = 4096;
    /** The size of one {@code struct sock_filter} in bytes. */
    public static final int INSN_BYTES = 8;

    private final List<CbpfInsn> insns;
    private volatile boolean valid;

    private CbpfProgram(List<CbpfInsn> insns, boolean valid) {
        this.insns = insns;
        this.valid = valid;
    }

    /** A checked program; throws {@link CbpfException} naming the first instruction the kernel would refuse. */
    public static CbpfProgram of(List<CbpfInsn> insns) {
        CbpfProgram p = unchecked(insns);
        p.validate();
        return p;
    }

    /** A checked program. */
    public static CbpfProgram of(CbpfInsn... insns) {
        return of(Arrays.asList(insns));
    }

    /** A program that is not checked until it is run, converted, attached or {@linkplain #validate() validated}. */
    public static CbpfProgram unchecked(List<CbpfInsn> insns) {
        List<CbpfInsn> copy = List.copyOf(insns);
        return new CbpfProgram(copy, false);
    }

    /** The instructions (unmodifiable). */
    public List<CbpfInsn> instructions() {
        return insns;
    }

    /** The number of instructions. */
    public int size() {
        return insns.size();
    }

    /** Instruction {@code i}. */
    public CbpfInsn get(int i) {
        return insns.get(i);
    }

    /** Whether the kernel's rules hold (see {@link #validate()}). */
    public boolean isValid() {
        if (valid) {
            return true;
        }
        try {
            validate();
            return true;
        } catch (CbpfException e) {
            return false;
        }
    }

    /**
     * Checks the program as the kernel does before it attaches a classic filter
     * ({@code bpf_check_classic} in {@code net/core/filter.c}), and throws {@link CbpfException}
     * naming the first offending instruction:
     * <ul>
     *   <li>1 to {@value #MAX_INSNS} instructions;</li>
     *   <li>every opcode is one the kernel knows (for example {@code ret x}, {@code ldh #k} and
     *       {@code ldxh} are refused);</li>
     *   <li>no division or modulo by the constant 0, no shift by a constant of 32 or more;</li>
     *   <li>scratch memory slots below {@value CbpfInsn#MEMWORDS};</li>
     *   <li>jumps stay inside the program (they can only go forward);</li>
     *   <li>an absolute load in the ancillary area {@code [SKF_AD_OFF, 0)} names a known
     *       {@link CbpfInsn.Ancillary} field;</li>
     *   <li>the last instruction is {@code ret #k} or {@code ret a};</li>
     *   <li>no scratch slot is read on a path where it has not been written.</li>
     * </ul>
     *
     * @return this program
     */
    public CbpfProgram validate() {
        if (valid) {
            return this;
        }
        int n = insns.size();
        if (n == 0 || n > MAX_INSNS) {
            throw new CbpfException("a program has 1.." + MAX_INSNS + " instructions, not " + n);
        }
        for (int pc = 0; pc < n; pc++) {
            checkInsn(pc, insns.get(pc), n);
        }
        CbpfInsn last = insns.get(n - 1);
        if (last.code() != CbpfInsn.ret(0).code() && last.code() != CbpfInsn.retA().code()) {
            throw new CbpfException(n - 1, "the last instruction must be a return (ret #k or ret a)");
        }
        checkMemoryInitialized(n);
        valid = true;
        return this;
    }

    private static void checkInsn(int pc, CbpfInsn in, int n) {
        int code = in.code();
        if (!Opcodes.allowed(code)) {
            throw new CbpfException(pc, "opcode 0x" + Integer.toHexString(code) + " is not a classic BPF instruction the kernel accepts");
        }
        long k = Integer.toUnsignedLong(in.k());
        switch (in.opClass()) {
            case ALU:
                if (in.src() == CbpfInsn.Src.K) {
                    CbpfInsn.AluOp op = in.aluOp();
                    if ((op == CbpfInsn.AluOp.DIV || op == CbpfInsn.AluOp.MOD) && k == 0) {
                        throw new CbpfException(pc, "division by the constant 0");
                    }
                    if ((op == CbpfInsn.AluOp.LSH || op == CbpfInsn.AluOp.RSH) && k >= 32) {
                        throw new CbpfException(pc, "shift by " + k + " (must be below 32)");
                    }
                }
                break;
            case LD:
            case LDX:
                if (in.mode() == CbpfInsn.Mode.MEM && k >= CbpfInsn.MEMWORDS) {
                    throw new CbpfException(pc, "scratch memory slot M[" + k + "] (there are " + CbpfInsn.MEMWORDS + ")");
                }
                if (in.opClass() == CbpfInsn.OpClass.LD && in.mode() == CbpfInsn.Mode.ABS
                        && CbpfInsn.isAncillaryOffset(in.k()) && CbpfInsn.Ancillary.ofK(in.k()) == null) {
                    throw new CbpfException(pc, "unknown ancillary offset SKF_AD_OFF+" + (in.k() - CbpfInsn.SKF_AD_OFF));
                }
                break;
            case ST:
            case STX:
                if (k >= CbpfInsn.MEMWORDS) {
                    throw new CbpfException(pc, "scratch memory slot M[" + k + "] (there are " + CbpfInsn.MEMWORDS + ")");
                }
                break;
            case JMP:
                if (!in.isConditionalJump()) {
                    if (k >= n - pc - 1) {
                        throw new CbpfException(pc, "ja " + k + " jumps past the end (" + (n - pc - 1) + " instructions follow)");
                    }
                } else if (pc + in.jt() + 1 >= n || pc + in.jf() + 1 >= n) {
                    throw new CbpfException(pc, "jump target jt " + in.jt() + " / jf " + in.jf() + " is past the end ("
                            + (n - pc - 1) + " instructions follow)");
                }
                break;
            default:
                break;
        }
    }

    // check_load_and_stores(): a slot read must have been written on every path to the read.
    private void checkMemoryInitialized(int n) {
        int[] masks = new int[n];
        Arrays.fill(masks, 0xFFFF);
        int memValid = 0;
        for (int pc = 0; pc < n; pc++) {
            memValid &= masks[pc];
            CbpfInsn in = insns.get(pc);
            switch (in.opClass()) {
                case ST:
                case STX:
                    memValid |= 1 << in.k();
                    break;
                case LD:
                case LDX:
                    if (in.mode() == CbpfInsn.Mode.MEM && (memValid & (1 << in.k())) == 0) {
                        throw new CbpfException(pc, "reads M[" + in.k() + "] before any store to it on some path");
                    }
                    break;
                case JMP:
                    if (in.isConditionalJump()) {
                        masks[pc + 1 + in.jt()] &= memValid;
                        masks[pc + 1 + in.jf()] &= memValid;
                    } else {
                        masks[pc + 1 + in.k()] &= memValid;
                    }
                    memValid = 0xFFFF;
                    break;
                default:
                    break;
            }
        }
    }

    /** The program as {@code struct sock_filter} bytes in {@code order} (the host's is {@link ByteOrder#nativeOrder()}). */
    public byte[] toBytes(ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(INSN_BYTES * insns.size()).order(order);
        for (CbpfInsn in : insns) {
            b.putShort((short) in.code()).put((byte) in.jt()).put((byte) in.jf()).putInt(in.k());
        }
        return b.array();
    }

    /** Reads {@code struct sock_filter} bytes in {@code order}; the result is unchecked. */
    public static CbpfProgram fromBytes(byte[] bytes, ByteOrder order) {
        if (bytes.length % INSN_BYTES != 0) {
            throw new CbpfException(bytes.length / INSN_BYTES, bytes.length + " bytes is not a whole number of "
                    + INSN_BYTES + "-byte instructions");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(order);
        List<CbpfInsn> out = new ArrayList<>(bytes.length / INSN_BYTES);
        while (b.hasRemaining()) {
            int code = Short.toUnsignedInt(b.getShort());
            int jt = Byte.toUnsignedInt(b.get());
            int jf = Byte.toUnsignedInt(b.get());
            out.add(new CbpfInsn(code, jt, jf, b.getInt()));
        }
        return unchecked(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CbpfProgram && ((CbpfProgram) o).insns.equals(insns);
    }

    @Override
    public int hashCode() {
        return insns.hashCode();
    }

    /** The program as {@code tcpdump -d} prints it. */
    @Override
    public String toString() {
        return CbpfText.disassemble(this);
    }
}
