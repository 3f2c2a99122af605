package io.jbpf.core.dsl.cbpf;

/**
 * One classic BPF instruction, {@code struct sock_filter} of {@code <linux/filter.h>}: a 16-bit
 * opcode, two 8-bit relative jump offsets and a 32-bit constant.
 *
 * <p>The opcode is made of the fields described by the nested enums, which carry the kernel's
 * numbers from {@code <linux/bpf_common.h>} and {@code <linux/filter.h>}: the class
 * ({@link OpClass}), and depending on the class a size ({@link Size}) and addressing mode
 * ({@link Mode}) for loads, an operation ({@link AluOp}, {@link JmpOp}, {@link MiscOp}) and an
 * operand source ({@link Src}) for ALU and jumps, or a return value source ({@link RetVal}).
 * The static factories build each valid instruction by name; any 16-bit code can be built with the
 * canonical constructor (whether the kernel accepts it is decided by {@link CbpfProgram#validate()}).
 *
 * @param code the opcode, 0..0xffff
 * @param jt for a conditional jump, how many instructions to skip when the condition holds, 0..255
 * @param jf for a conditional jump, how many instructions to skip when it does not, 0..255
 * @param k the constant (an offset, an immediate, a memory slot, a jump distance, a return value)
 */
public record CbpfInsn(int code, int jt, int jf, int k) {
    /** {@code BPF_MEMWORDS}: the number of scratch memory slots {@code M[0..15]}. */
    public static final int MEMWORDS = 16;
    /** {@code SKF_AD_OFF}: the base of the ancillary data offsets ({@code -0x1000}). */
    public static final int SKF_AD_OFF = -0x1000;
    /** {@code SKF_NET_OFF}: absolute loads from here are relative to the network header. */
    public static final int SKF_NET_OFF = -0x100000;
    /** {@code SKF_LL_OFF}: absolute loads from here are relative to the link-layer (MAC) header. */
    public static final int SKF_LL_OFF = -0x200000;

    /** Checks the field ranges. */
    public CbpfInsn {
        if (code < 0 || code > 0xFFFF) {
            throw new CbpfException("opcode 0x" + Integer.toHexString(code) + " does not fit 16 bits");
        }
        if (jt < 0 || jt > 0xFF || jf < 0 || jf > 0xFF) {
            throw new CbpfException("jump offsets jt " + jt + ", jf " + jf + " must be 0..255");
        }
    }

    /** The instruction class ({@code BPF_CLASS(code)}, the low 3 bits). */
    public enum OpClass {
        /** {@code BPF_LD}: load into A. */
        LD(0x00),
        /** {@code BPF_LDX}: load into X. */
        LDX(0x01),
        /** {@code BPF_ST}: store A into M[k]. */
        ST(0x02),
        /** {@code BPF_STX}: store X into M[k]. */
        STX(0x03),
        /** {@code BPF_ALU}: A = A op (K or X). */
        ALU(0x04),
        /** {@code BPF_JMP}: jumps. */
        JMP(0x05),
        /** {@code BPF_RET}: return (K or A). */
        RET(0x06),
        /** {@code BPF_MISC}: tax, txa. */
        MISC(0x07);

        private final int value;

        OpClass(int value) {
            this.value = value;
        }

        /** The kernel's number. */
        public int value() {
            return value;
        }

        /** The class of {@code code}. */
        public static OpClass of(int code) {
            return values()[code & 0x07];
        }
    }

    /** The load size ({@code BPF_SIZE(code)}). */
    public enum Size {
        /** {@code BPF_W}: 32 bits. */
        W(0x00, 4),
        /** {@code BPF_H}: 16 bits. */
        H(0x08, 2),
        /** {@code BPF_B}: 8 bits. */
        B(0x10, 1);

        private final int value;
        private final int bytes;

        Size(int value, int bytes) {
            this.value = value;
            this.bytes = bytes;
        }

        /** The kernel's number. */
        public int value() {
            return value;
        }

        /** The width in bytes. */
        public int bytes() {
            return bytes;
        }

        /** The size of {@code code}, or {@code null} for the reserved value {@code 0x18}. */
        public static Size of(int code) {
            switch (code & 0x18) {
                case 0x00:
                    return W;
                case 0x08:
                    return H;
                case 0x10:
                    return B;
                default:
                    return null;
            }
        }
    }

    /** The addressing mode of a load ({@code BPF_MODE(code)}). */
    public enum Mode {
        /** {@code BPF_IMM}: the constant k. */
        IMM(0x00),
        /** {@code BPF_ABS}: packet bytes at offset k. */
        ABS(0x20),
        /** {@code BPF_IND}: packet bytes at offset X + k. */
        IND(0x40),
        /** {@code BPF_MEM}: scratch slot M[k]. */
        MEM(0x60),
        /** {@code BPF_LEN}: the packet length. */
        LEN(0x80),
        /** {@code BPF_MSH}: {@code 4 * (P[k] & 0xf)}, the IPv4 header length. */
        MSH(0xa0);

        private final int value;

        Mode(int value) {
            this.value = value;
        }

        /** The kernel's number. */
        public int value() {
            return value;
        }

        /** The mode of {@code code}, or {@code null} for the reserved values. */
        public static Mode of(int code) {
            int m = code & 0xe0;
            for (Mode mode : values()) {
                if (mode.value == m) {
                    return mode;
                }
            }
            return null;
        }
    }

    /** An ALU operation ({@code BPF_OP(code)} in class ALU). */
    public enum AluOp {
        /** {@code BPF_ADD}. */
        ADD(0x00, "add"),
        /** {@code BPF_SUB}. */
        SUB(0x10, "sub"),
        /** {@code BPF_MUL}. */
        MUL(0x20, "mul"),
        /** {@code BPF_DIV}, unsigned. */
        DIV(0x30, "div"),
        /** {@code BPF_OR}. */
        OR(0x40, "or"),
        /** {@code BPF_AND}. */
        AND(0x50, "and"),
        /** {@code BPF_LSH}. */
        LSH(0x60, "lsh"),
        /** {@code BPF_RSH}, logical. */
        RSH(0x70, "rsh"),
        /** {@code BPF_NEG}. */
        NEG(0x80, "neg"),
        /** {@code BPF_MOD}, unsigned. */
        MOD(0x90, "mod"),
        /** {@code BPF_XOR}. */
        XOR(0xa0, "xor");

        private final int value;
        private final String mnemonic;

        AluOp(int value, String mnemonic) {
            this.value = value;
            this.mnemonic = mnemonic;
        }

        /** The kernel's number. */
        public int value() {
            return value;
        }

        /** The name libpcap prints ({@code add}, {@code lsh}, ...). */
        public String mnemonic() {
            return mnemonic;
        }

        /** The operation of {@code code}, or {@code null} for the reserved values. */
        public static AluOp of(int code) {
            int op = code & 0xf0;
            for (AluOp a : values()) {
                if (a.value == op) {
                    return a;
                }
            }
            return null;
        }
    }

    /** A jump operation ({@code BPF_OP(code)} in class JMP). */
    public enum JmpOp {
        /** {@code BPF_JA}: always, k instructions ahead. */
        JA(0x00, "ja"),
        /** {@code BPF_JEQ}: A == operand. */
        JEQ(0x10, "jeq"),
        /** {@code BPF_JGT}: A &gt; operand, unsigned. */
        JGT(0x20, "jgt"),
        /** {@code BPF_JGE}: A &gt;= operand, unsigned. */
        JGE(0x30, "jge"),
        /** {@code BPF_JSET}: (A &amp; operand) != 0. */
        JSET(0x40, "jset");

        private final int value;
        private final String mnemonic;

        JmpOp(int value, String mnemonic) {
            this.value = value;
            this.mnemonic = mnemonic;
        }

        /** The kernel's number. */
        public int value() {
            return value;
        }

        /** The name libpcap prints. */
        public String mnemonic() {
            return mnemonic;
        }

        /** The operation of {@code code}, or {@code null} for the reserved values. */
        public static JmpOp of(int code) {
            int op = code & 0xf0;
            for (JmpOp j : values()) {
                if (j.value == op) {
                    return j;
                }
            }
            return null;
        }
    }

    /** The operand source of ALU and jump instructions ({@code BPF_SRC(code)}). */
    public enum Src {
        /** {@code BPF_K}: the constant k. */
        K(0x00),
        /** {@code BPF_X}: register X. */
        X(0x08);

        private final int value;

        Src(int value) {
            this.value = value;
        }

        /** The kernel's number. */
        public int value() {
            return value;
        }

        /** The source of {@code code}. */
        public static Src of(int code) {
            return (code & 0x08) == 0 ? K : X;
        }
    }

    /** What a return instruction returns ({@code BPF_RVAL(code)}). */
    public enum RetVal {
        /** {@code BPF_K}: the constant k. */
        K(0x00),
        /** {@code BPF_X}: register X (libpcap only; the kernel refuses it). */
        X(0x08),
        /** {@code BPF_A}: register A. */
        A(0x10);

        private final int value;

        RetVal(int value) {
            this.value = value;
        }

        /** The kernel's number. */
        public int value() {
            return value;
        }
    }

    /** The operation of a MISC instruction ({@code BPF_MISCOP(code)}). */
    public enum MiscOp {
        /** {@code BPF_TAX}: X = A. */
        TAX(0x00),
        /** {@code BPF_TXA}: A = X. */
        TXA(0x80);

        private final int value;

        MiscOp(int value) {
            this.value = value;
        }

        /** The kernel's number. */
        public int value() {
            return value;
        }
    }

    /**
     * The Linux ancillary data ({@code SKF_AD_*}), read by an absolute load at
     * {@code SKF_AD_OFF + offset()}, with the names libpcap prints for them.
     */
    public enum Ancillary {
        /** {@code SKF_AD_PROTOCOL}: skb->protocol, host order (0x0800 for IPv4). */
        PROTOCOL(0, "proto"),
        /** {@code SKF_AD_PKTTYPE}: skb->pkt_type (PACKET_HOST 0, BROADCAST 1, MULTICAST 2, OTHERHOST 3, OUTGOING 4). */
        PKTTYPE(4, "type"),
        /** {@code SKF_AD_IFINDEX}: the receiving device's ifindex. */
        IFINDEX(8, "ifidx"),
        /** {@code SKF_AD_NLATTR}: netlink attribute search. */
        NLATTR(12, "nla"),
        /** {@code SKF_AD_NLATTR_NEST}: nested netlink attribute search. */
        NLATTR_NEST(16, "nlan"),
        /** {@code SKF_AD_MARK}: skb->mark. */
        MARK(20, "mark"),
        /** {@code SKF_AD_QUEUE}: skb->queue_mapping. */
        QUEUE(24, "queue"),
        /** {@code SKF_AD_HATYPE}: the device type (ARPHRD_*). */
        HATYPE(28, "hatype"),
        /** {@code SKF_AD_RXHASH}: skb->hash. */
        RXHASH(32, "rxhash"),
        /** {@code SKF_AD_CPU}: the current CPU. */
        CPU(36, "cpu"),
        /** {@code SKF_AD_ALU_XOR_X}: A ^= X. */
        ALU_XOR_X(40, "xor_x"),
        /** {@code SKF_AD_VLAN_TAG}: the offloaded VLAN TCI. */
        VLAN_TAG(44, "vlan_tci"),
        /** {@code SKF_AD_VLAN_TAG_PRESENT}: 1 when a VLAN tag was offloaded, else 0. */
        VLAN_TAG_PRESENT(48, "vlanp"),
        /** {@code SKF_AD_PAY_OFFSET}: the payload offset found by the flow dissector. */
        PAY_OFFSET(52, "poff"),
        /** {@code SKF_AD_RANDOM}: a random 32-bit number. */
        RANDOM(56, "random"),
        /** {@code SKF_AD_VLAN_TPID}: the offloaded VLAN's protocol, host order. */
        VLAN_TPID(60, "vlan_tpid");

        private final int offset;
        private final String label;

        Ancillary(int offset, String label) {
            this.offset = offset;
            this.label = label;
        }

        /** The offset from {@link #SKF_AD_OFF}. */
        public int offset() {
            return offset;
        }

        /** The load offset {@code k}: {@code SKF_AD_OFF + offset()}. */
        public int k() {
            return SKF_AD_OFF + offset;
        }

        /** The name libpcap's {@code bpf_image} prints in brackets ({@code ld [proto]}, {@code ld [vlanp]}). */
        public String label() {
            return label;
        }

        /** The ancillary field at load offset {@code k}, or {@code null} when none is there. */
        public static Ancillary ofK(int k) {
            for (Ancillary a : values()) {
                if (a.k() == k) {
                    return a;
                }
            }
            return null;
        }
    }

    // ---------------------------------------------------------------- factories

    /** {@code BPF_STMT(code, k)}: a non-jump instruction. */
    public static CbpfInsn stmt(int code, int k) {
        return new CbpfInsn(code, 0, 0, k);
    }

    /** {@code BPF_JUMP(code, k, jt, jf)}. */
    public static CbpfInsn jump(int code, int k, int jt, int jf) {
        return new CbpfInsn(code, jt, jf, k);
    }

    /** {@code ld/ldh/ldb [k]}: A = packet bytes at offset k, in network byte order. */
    public static CbpfInsn ldAbs(Size size, int k) {
        return stmt(OpClass.LD.value | size.value | Mode.ABS.value, k);
    }

    /** {@code ld/ldh/ldb [x + k]}: A = packet bytes at offset X + k. */
    public static CbpfInsn ldInd(Size size, int k) {
        return stmt(OpClass.LD.value | size.value | Mode.IND.value, k);
    }

    /** {@code ld #k}. */
    public static CbpfInsn ldImm(int k) {
        return stmt(OpClass.LD.value | Mode.IMM.value, k);
    }

    /** {@code ld #len}: A = the packet length. */
    public static CbpfInsn ldLen() {
        return stmt(OpClass.LD.value | Size.W.value | Mode.LEN.value, 0);
    }

    /** {@code ld M[k]}. */
    public static CbpfInsn ldMem(int k) {
        return stmt(OpClass.LD.value | Mode.MEM.value, k);
    }

    /** {@code ld} of an ancillary field (an absolute word load at {@code SKF_AD_OFF + offset}). */
    public static CbpfInsn ldAncillary(Ancillary field) {
        return ldAbs(Size.W, field.k());
    }

    /** {@code ldx #k}. */
    public static CbpfInsn ldxImm(int k) {
        return stmt(OpClass.LDX.value | Mode.IMM.value, k);
    }

    /** {@code ldx #len}. */
    public static CbpfInsn ldxLen() {
        return stmt(OpClass.LDX.value | Size.W.value | Mode.LEN.value, 0);
    }

    /** {@code ldx M[k]}. */
    public static CbpfInsn ldxMem(int k) {
        return stmt(OpClass.LDX.value | Mode.MEM.value, k);
    }

    /** {@code ldxb 4*([k]&0xf)}: X = four times the low nibble of the packet byte at k. */
    public static CbpfInsn ldxMsh(int k) {
        return stmt(OpClass.LDX.value | Size.B.value | Mode.MSH.value, k);
    }

    /** {@code st M[k]}: M[k] = A. */
    public static CbpfInsn st(int k) {
        return stmt(OpClass.ST.value, k);
    }

    /** {@code stx M[k]}: M[k] = X. */
    public static CbpfInsn stx(int k) {
        return stmt(OpClass.STX.value, k);
    }

    /** {@code op #k}: A = A op k (not for {@link AluOp#NEG}). */
    public static CbpfInsn alu(AluOp op, int k) {
        return stmt(OpClass.ALU.value | op.value | Src.K.value, k);
    }

    /** {@code op x}: A = A op X (not for {@link AluOp#NEG}). */
    public static CbpfInsn aluX(AluOp op) {
        return stmt(OpClass.ALU.value | op.value | Src.X.value, 0);
    }

    /** {@code neg}: A = -A. */
    public static CbpfInsn neg() {
        return stmt(OpClass.ALU.value | AluOp.NEG.value, 0);
    }

    /** {@code ja k}: skip k instructions. */
    public static CbpfInsn ja(int k) {
        return stmt(OpClass.JMP.value | JmpOp.JA.value, k);
    }

    /** {@code jxx #k jt jf}: a conditional jump comparing A with k. */
    public static CbpfInsn jmp(JmpOp op, int k, int jt, int jf) {
        if (op == JmpOp.JA) {
            throw new CbpfException("ja is not conditional: use CbpfInsn.ja(k)");
        }
        return jump(OpClass.JMP.value | op.value | Src.K.value, k, jt, jf);
    }

    /** {@code jxx x jt jf}: a conditional jump comparing A with X. */
    public static CbpfInsn jmpX(JmpOp op, int jt, int jf) {
        if (op == JmpOp.JA) {
            throw new CbpfException("ja is not conditional: use CbpfInsn.ja(k)");
        }
        return jump(OpClass.JMP.value | op.value | Src.X.value, 0, jt, jf);
    }

    /** {@code ret #k}: accept k bytes (0 rejects). */
    public static CbpfInsn ret(int k) {
        return stmt(OpClass.RET.value | RetVal.K.value, k);
    }

    /** {@code ret a}. */
    public static CbpfInsn retA() {
        return stmt(OpClass.RET.value | RetVal.A.value, 0);
    }

    /** {@code tax}: X = A. */
    public static CbpfInsn tax() {
        return stmt(OpClass.MISC.value | MiscOp.TAX.value, 0);
    }

    /** {@code txa}: A = X. */
    public static CbpfInsn txa() {
        return stmt(OpClass.MISC.value | MiscOp.TXA.value, 0);
    }

    /**
     * This instruction with the fields its opcode does not read set to 0: jt and jf outside
     * conditional jumps, k where the operand is X or A or absent ({@code tax}, {@code txa},
     * {@code neg}, {@code ret a}, {@code add x}, {@code jeq x}, {@code ld #len}). The text forms
     * do not show such fields (libpcap sometimes leaves values in them), so two instructions that
     * print the same have the same canonical form.
     */
    public CbpfInsn canonical() {
        boolean cond = isConditionalJump();
        boolean usesK;
        switch (opClass()) {
            case ALU:
                usesK = src() == Src.K && (code & 0xf0) != AluOp.NEG.value;
                break;
            case JMP:
                usesK = !cond || src() == Src.K;
                break;
            case RET:
                usesK = (code & 0x18) == RetVal.K.value;
                break;
            case MISC:
                usesK = false;
                break;
            case LD:
            case LDX:
                usesK = mode() != Mode.LEN;
                break;
            default:
                usesK = true;
        }
        return new CbpfInsn(code, cond ? jt : 0, cond ? jf : 0, usesK ? k : 0);
    }

    // ---------------------------------------------------------------- fields

    /** The class. */
    public OpClass opClass() {
        return OpClass.of(code);
    }

    /** The size field (meaningful for loads), or {@code null} if reserved. */
    public Size size() {
        return Size.of(code);
    }

    /** The mode field (meaningful for loads), or {@code null} if reserved. */
    public Mode mode() {
        return Mode.of(code);
    }

    /** The ALU operation (meaningful in class ALU), or {@code null} if reserved. */
    public AluOp aluOp() {
        return AluOp.of(code);
    }

    /** The jump operation (meaningful in class JMP), or {@code null} if reserved. */
    public JmpOp jmpOp() {
        return JmpOp.of(code);
    }

    /** The operand source (meaningful for ALU and jumps). */
    public Src src() {
        return Src.of(code);
    }

    /** Whether this is a jump (class JMP), conditional or not. */
    public boolean isJump() {
        return opClass() == OpClass.JMP;
    }

    /** Whether this is a conditional jump (class JMP other than {@code ja}), which uses jt and jf. */
    public boolean isConditionalJump() {
        return opClass() == OpClass.JMP && (code & 0xf0) != JmpOp.JA.value;
    }

    /** Whether this is a return. */
    public boolean isReturn() {
        return opClass() == OpClass.RET;
    }

    /** The ancillary field this absolute load reads, or {@code null} if it is not such a load. */
    public Ancillary ancillary() {
        if (opClass() != OpClass.LD || mode() != Mode.ABS || !isAncillaryOffset(k)) {
            return null;
        }
        return Ancillary.ofK(k);
    }

    /** Whether {@code k}, as an absolute load offset, falls in the ancillary area {@code [SKF_AD_OFF, 0)}. */
    static boolean isAncillaryOffset(int k) {
        return k < 0 && k >= SKF_AD_OFF;
    }

    /** This instruction as {@code tcpdump -d} prints it, without the {@code (NNN)} prefix (jumps shown relative to {@code pc}). */
    public String toString(int pc) {
        return CbpfText.image(this, pc);
    }

    /** This instruction as {@code tcpdump -dd} prints it: {@code { 0x28, 0, 0, 0x0000000c }}. */
    @Override
    public String toString() {
        return String.format("{ 0x%x, %d, %d, 0x%08x }", code, jt, jf, k);
    }
}
