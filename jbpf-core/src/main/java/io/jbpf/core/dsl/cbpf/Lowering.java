package io.jbpf.core.dsl.cbpf;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.insn.AluOp;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Imm;
import io.jbpf.core.insn.JumpCond;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.insn.Size;
import io.jbpf.core.insn.Width;

/**
 * Translates a valid classic program into eBPF on an {@link Assembler}, in one of two styles:
 * {@link Style#LEGACY} (the kernel's socket-filter conversion: LD_ABS/LD_IND) or
 * {@link Style#DIRECT} (loads through data/data_end with the bounds checks the verifier wants).
 */
final class Lowering {
    enum Style { LEGACY, DIRECT }

    /** The program's context, for direct access and ancillary loads. */
    enum Ctx { SKB, XDP }

    // __sk_buff and xdp_md offsets
    private static final int SKB_LEN = 0;
    private static final int SKB_PKT_TYPE = 4;
    private static final int SKB_MARK = 8;
    private static final int SKB_QUEUE = 12;
    private static final int SKB_PROTOCOL = 16;
    private static final int SKB_VLAN_PRESENT = 20;
    private static final int SKB_VLAN_TCI = 24;
    private static final int SKB_VLAN_PROTO = 28;
    private static final int SKB_IFINDEX = 40;
    private static final int SKB_HASH = 68;
    static final int SKB_DATA = 76;
    static final int SKB_DATA_END = 80;
    static final int XDP_DATA = 0;
    static final int XDP_DATA_END = 4;
    private static final int XDP_INGRESS_IFINDEX = 12;
    private static final int XDP_RX_QUEUE = 16;

    private final CbpfProgram program;
    private final Style style;
    private final Ctx ctx;
    private final Assembler asm;
    private final String prefix;
    private final int memBase;
    private final String match;
    private final String noMatch;
    // registers
    private final Reg a;
    private final Reg x;
    private final Reg tmp;
    private final Reg ctxReg;
    private final Reg data;
    private final Reg dataEnd;
    private boolean usedMatch;
    private boolean usedNoMatch;
    private int uniq;

    /**
     * @param match in DIRECT style, where a non-zero return goes (null in LEGACY style, which exits
     *        with the classic return value)
     * @param memBase the stack offset of M[0] (M[k] at memBase + 4k, 64 bytes in all)
     */
    Lowering(CbpfProgram program, Style style, Ctx ctx, Assembler asm, String prefix, int memBase, String match,
            String noMatch) {
        this.program = program.validate();
        this.style = style;
        this.ctx = ctx;
        this.asm = asm;
        this.prefix = prefix;
        this.memBase = memBase;
        this.match = match;
        this.noMatch = noMatch;
        if (style == Style.LEGACY) {
            a = Reg.R0; // LD_ABS/LD_IND write r0 and clobber r1-r5
            x = Reg.R7;
            tmp = Reg.R8;
            ctxReg = Reg.R6;
            data = null;
            dataEnd = null;
        } else {
            a = Reg.R4;
            x = Reg.R5;
            tmp = Reg.R0;
            ctxReg = Reg.R1;
            data = Reg.R2;
            dataEnd = Reg.R3;
        }
    }

    boolean usedMatch() {
        return usedMatch;
    }

    boolean usedNoMatch() {
        return usedNoMatch;
    }

    /** Emits the translation. LEGACY: a whole program (expects the context in r1). DIRECT: the fragment body. */
    void emit() {
        Cfg cfg = style == Style.DIRECT ? Cfg.withBounds(program, this::constLength) : Cfg.of(program);
        if (style == Style.LEGACY) {
            asm.mov(ctxReg, Reg.R1);
        }
        asm.mov32(a, 0);
        asm.mov32(x, 0);
        for (int start = 0; start < cfg.n; start = cfg.endOf(start) + 1) {
            if (!cfg.reachable[start]) {
                continue;
            }
            asm.label(label(start));
            int end = cfg.endOf(start);
            if (style == Style.DIRECT && cfg.check[start] > 0) {
                if (cfg.check[start] == Cfg.IMPOSSIBLE) {
                    asm.ja(noMatch());
                    continue;
                }
                asm.mov(tmp, data);
                asm.add(tmp, cfg.check[start]);
                asm.jump(JumpCond.GT, tmp, dataEnd, noMatch());
            }
            for (int pc = start; pc <= end; pc++) {
                insn(pc, program.get(pc), pc == end && pc + 1 < cfg.n ? pc + 1 : -1);
            }
        }
    }

    private String label(int pc) {
        return prefix + "L" + pc;
    }

    private String noMatch() {
        usedNoMatch = true;
        return noMatch;
    }

    private String match() {
        usedMatch = true;
        return match;
    }

    private String fresh() {
        return prefix + "t" + (uniq++);
    }

    /** The packet length a constant-offset load needs in direct style; 0 for anything else. */
    int constLength(CbpfInsn in) {
        int k = in.k();
        boolean abs = in.opClass() == CbpfInsn.OpClass.LD && in.mode() == CbpfInsn.Mode.ABS;
        boolean msh = in.opClass() == CbpfInsn.OpClass.LDX && in.mode() == CbpfInsn.Mode.MSH;
        if (!abs && !msh) {
            return 0;
        }
        int size = msh ? 1 : in.size().bytes();
        if (abs && CbpfInsn.isAncillaryOffset(k)) {
            return 0;
        }
        long off = directOffset(k);
        if (off < 0 || off + size > Cfg.MAX_PACKET_OFF) {
            return Cfg.IMPOSSIBLE;
        }
        return (int) off + size;
    }

    /** A constant offset as a data offset in direct style: SKF_LL_OFF-relative ones are data-relative (data is the MAC header). */
    private long directOffset(int k) {
        if (k >= 0) {
            return k;
        }
        if (k >= CbpfInsn.SKF_LL_OFF && k < CbpfInsn.SKF_NET_OFF) {
            return (long) k - CbpfInsn.SKF_LL_OFF;
        }
        if (k >= CbpfInsn.SKF_NET_OFF && k < CbpfInsn.SKF_AD_OFF) {
            throw new CbpfException("SKF_NET_OFF loads need the network header offset, which direct packet access does not have");
        }
        return -1;
    }

    private void insn(int pc, CbpfInsn in, int fallthrough) {
        int k = in.k();
        switch (in.opClass()) {
            case LD:
                switch (in.mode()) {
                    case IMM:
                        asm.mov32(a, k);
                        break;
                    case LEN:
                        len(a);
                        break;
                    case MEM:
                        asm.load(Size.W, a, Reg.R10, memBase + 4 * k);
                        break;
                    case ABS:
                        if (CbpfInsn.isAncillaryOffset(k)) {
                            ancillary(pc, CbpfInsn.Ancillary.ofK(k));
                        } else {
                            loadAbs(in.size(), k, a);
                        }
                        break;
                    case IND:
                        loadInd(in.size(), k);
                        break;
                    default:
                        throw new CbpfException(pc, "cannot convert this load");
                }
                break;
            case LDX:
                switch (in.mode()) {
                    case IMM:
                        asm.mov32(x, k);
                        break;
                    case LEN:
                        len(x);
                        break;
                    case MEM:
                        asm.load(Size.W, x, Reg.R10, memBase + 4 * k);
                        break;
                    case MSH:
                        if (style == Style.LEGACY) {
                            asm.mov(tmp, a);
                            asm.loadAbs(Size.B, k);
                            asm.and32(a, 0xf);
                            asm.lsh32(a, 2);
                            asm.mov32(x, a);
                            asm.mov(a, tmp);
                        } else {
                            loadAbs(CbpfInsn.Size.B, k, x);
                            asm.and32(x, 0xf);
                            asm.lsh32(x, 2);
                        }
                        break;
                    default:
                        throw new CbpfException(pc, "cannot convert this load");
                }
                break;
            case ST:
                asm.store(Size.W, Reg.R10, memBase + 4 * k, a);
                break;
            case STX:
                asm.store(Size.W, Reg.R10, memBase + 4 * k, x);
                break;
            case ALU:
                alu(in);
                break;
            case JMP:
                jump(pc, in, fallthrough);
                break;
            case RET:
                ret((in.code() & 0x18) == CbpfInsn.RetVal.A.value(), k);
                break;
            case MISC:
                if ((in.code() & 0xf8) == CbpfInsn.MiscOp.TXA.value()) {
                    asm.mov32(a, x);
                } else {
                    asm.mov32(x, a);
                }
                break;
            default:
                throw new CbpfException(pc, "cannot convert this instruction");
        }
    }

    private void len(Reg dst) {
        if (ctx == Ctx.XDP) {
            asm.mov(dst, dataEnd);
            asm.sub(dst, data);
            asm.mov32(dst, dst);
        } else {
            asm.load(Size.W, dst, ctxReg, SKB_LEN);
        }
    }

    /** dst = the big-endian value of {@code size} bytes at constant offset k (already bounds-checked in direct style). */
    private void loadAbs(CbpfInsn.Size size, int k, Reg dst) {
        if (style == Style.LEGACY) {
            asm.loadAbs(ebpfSize(size), k);
            if (dst != Reg.R0) {
                asm.mov32(dst, Reg.R0);
            }
            return;
        }
        long off = directOffset(k);
        // constLength() made the block's check cover [0, off + size); an impossible one never gets here
        if (off <= Short.MAX_VALUE) {
            asm.load(ebpfSize(size), dst, data, (int) off);
        } else {
            asm.mov(tmp, data);
            asm.add(tmp, (int) off);
            asm.load(ebpfSize(size), dst, tmp, 0);
        }
        swap(dst, size);
    }

    private void swap(Reg r, CbpfInsn.Size size) {
        if (size != CbpfInsn.Size.B) {
            asm.toBe(r, size.bytes() * 8);
        }
    }

    private void loadInd(CbpfInsn.Size size, int k) {
        if (style == Style.LEGACY) {
            asm.loadInd(ebpfSize(size), x, k);
            return;
        }
        int s = size.bytes();
        asm.mov32(tmp, x);
        if (k != 0) {
            asm.add32(tmp, k); // wraps at 32 bits like classic X + k; a "negative" offset is huge and fails below
        }
        asm.jump(JumpCond.GT, tmp, Cfg.MAX_PACKET_OFF - s, noMatch()); // also bounds the offset for the verifier
        asm.add(tmp, data);
        asm.mov(a, tmp); // A is about to be overwritten: use it as the end pointer
        asm.add(a, s);
        asm.jump(JumpCond.GT, a, dataEnd, noMatch());
        asm.load(ebpfSize(size), a, tmp, 0);
        swap(a, size);
    }

    private static Size ebpfSize(CbpfInsn.Size size) {
        switch (size) {
            case W:
                return Size.W;
            case H:
                return Size.H;
            default:
                return Size.B;
        }
    }

    private void ancillary(int pc, CbpfInsn.Ancillary field) {
        if (field == CbpfInsn.Ancillary.ALU_XOR_X) {
            asm.xor32(a, x);
            return;
        }
        if (ctx == Ctx.XDP) {
            switch (field) {
                case IFINDEX:
                    asm.load(Size.W, a, ctxReg, XDP_INGRESS_IFINDEX);
                    return;
                case QUEUE:
                    asm.load(Size.W, a, ctxReg, XDP_RX_QUEUE);
                    return;
                default:
                    throw new CbpfException(pc, "ancillary load [" + field.label() + "] has no XDP equivalent");
            }
        }
        switch (field) {
            case PROTOCOL:
                asm.load(Size.W, a, ctxReg, SKB_PROTOCOL);
                asm.toBe(a, 16);
                return;
            case PKTTYPE:
                asm.load(Size.W, a, ctxReg, SKB_PKT_TYPE);
                return;
            case IFINDEX:
                asm.load(Size.W, a, ctxReg, SKB_IFINDEX);
                return;
            case MARK:
                asm.load(Size.W, a, ctxReg, SKB_MARK);
                return;
            case QUEUE:
                asm.load(Size.W, a, ctxReg, SKB_QUEUE);
                return;
            case RXHASH:
                asm.load(Size.W, a, ctxReg, SKB_HASH);
                return;
            case VLAN_TAG:
                asm.load(Size.W, a, ctxReg, SKB_VLAN_TCI);
                return;
            case VLAN_TAG_PRESENT:
                asm.load(Size.W, a, ctxReg, SKB_VLAN_PRESENT);
                return;
            case VLAN_TPID:
                asm.load(Size.W, a, ctxReg, SKB_VLAN_PROTO);
                asm.toBe(a, 16);
                return;
            case CPU:
            case RANDOM:
                if (style == Style.DIRECT) {
                    throw new CbpfException(pc, "ancillary load [" + field.label()
                            + "] needs a helper call, which would clobber the direct-access registers");
                }
                asm.call(field == CbpfInsn.Ancillary.CPU ? Helper.GET_SMP_PROCESSOR_ID : Helper.GET_PRANDOM_U32);
                return;
            default:
                throw new CbpfException(pc, "ancillary load [" + field.label() + "] cannot be converted to eBPF");
        }
    }

    private void alu(CbpfInsn in) {
        CbpfInsn.AluOp op = in.aluOp();
        if (op == CbpfInsn.AluOp.NEG) {
            asm.neg32(a);
            return;
        }
        boolean byX = in.src() == CbpfInsn.Src.X;
        if (byX && (op == CbpfInsn.AluOp.DIV || op == CbpfInsn.AluOp.MOD)) {
            if (style == Style.DIRECT) {
                asm.jump32(JumpCond.EQ, x, 0, noMatch());
            } else {
                String ok = fresh();
                asm.jump32(JumpCond.NE, x, 0, ok);
                asm.mov32(Reg.R0, 0);
                asm.exit();
                asm.label(ok);
            }
        }
        AluOp ebpf = AluOp.valueOf(op.name());
        if (byX && (op == CbpfInsn.AluOp.LSH || op == CbpfInsn.AluOp.RSH)) {
            // the kernel shifts by X & 31 (its JITs and interpreter mask the amount); make that explicit
            asm.mov32(tmp, x);
            asm.and32(tmp, 31);
            asm.alu(Width.W32, ebpf, a, tmp);
            return;
        }
        asm.alu(Width.W32, ebpf, a, byX ? x : Imm.of(in.k()));
    }

    private void jump(int pc, CbpfInsn in, int next) {
        if (!in.isConditionalJump()) {
            int t = pc + 1 + in.k();
            if (t != next) {
                asm.ja(label(t));
            }
            return;
        }
        int t = pc + 1 + in.jt();
        int f = pc + 1 + in.jf();
        if (t == f) {
            if (t != next) {
                asm.ja(label(t));
            }
            return;
        }
        JumpCond cond;
        JumpCond negated;
        switch (in.jmpOp()) {
            case JEQ:
                cond = JumpCond.EQ;
                negated = JumpCond.NE;
                break;
            case JGT:
                cond = JumpCond.GT;
                negated = JumpCond.LE;
                break;
            case JGE:
                cond = JumpCond.GE;
                negated = JumpCond.LT;
                break;
            default:
                cond = JumpCond.SET;
                negated = null;
        }
        boolean byX = in.src() == CbpfInsn.Src.X;
        if (t == next && negated != null) {
            cond(negated, byX, in.k(), label(f));
            return;
        }
        cond(cond, byX, in.k(), label(t));
        if (f != next) {
            asm.ja(label(f));
        }
    }

    private void cond(JumpCond c, boolean byX, int k, String target) {
        if (byX) {
            asm.jump32(c, a, x, target);
        } else {
            asm.jump32(c, a, k, target);
        }
    }

    private void ret(boolean retA, int k) {
        if (style == Style.LEGACY) {
            if (!retA) {
                asm.mov32(Reg.R0, k);
            }
            asm.exit();
            return;
        }
        if (retA) {
            asm.jump32(JumpCond.NE, a, 0, match());
            asm.ja(noMatch());
        } else {
            asm.ja(k != 0 ? match() : noMatch());
        }
    }
}
