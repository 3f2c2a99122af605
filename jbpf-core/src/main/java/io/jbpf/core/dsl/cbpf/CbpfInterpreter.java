package io.jbpf.core.dsl.cbpf;

import java.util.List;

/**
 * Runs a classic BPF program over a packet, with the kernel's semantics (as a filter attached with
 * {@code SO_ATTACH_FILTER} behaves) or libpcap's ({@code bpf_filter()}, which tcpdump uses on a
 * capture file).
 *
 * <p>Common to both: A and X are 32-bit and start at 0; packet loads read big-endian (network
 * order); a load that falls outside the packet ends the filter with 0; so does a division or
 * modulo by {@code X == 0}; {@code ld #len} gives {@link CbpfPacket#length()}; arithmetic wraps
 * at 32 bits and division, modulo, right shifts and comparisons are unsigned.
 *
 * <p>The two differ only where the kernel has Linux extensions or different corner cases:
 * <ul>
 *   <li>{@link Semantics#KERNEL}: a shift by {@code X >= 32} shifts by {@code X & 31} (what the
 *       kernel's eBPF translation does); an indirect offset {@code X + k} wraps at 32 bits and is
 *       read as a signed offset; absolute loads in {@code [SKF_AD_OFF, 0)} read the
 *       {@linkplain CbpfInsn.Ancillary ancillary} fields from {@link CbpfPacket#metadata()}
 *       (supported: proto, type, ifidx, mark, queue, hatype, rxhash, cpu, xor_x, vlan_tci, vlanp,
 *       vlan_tpid, random; {@code nla}, {@code nlan} and {@code poff} are refused with
 *       {@link CbpfException}); offsets from {@code SKF_NET_OFF} and {@code SKF_LL_OFF} read
 *       relative to the network and link-layer headers; any other negative offset fails.</li>
 *   <li>{@link Semantics#LIBPCAP}: a shift by {@code X >= 32} gives 0; offsets are unsigned and
 *       {@code X + k} must not pass 2^32, so every negative offset (ancillary ones included) is
 *       out of the packet.</li>
 * </ul>
 * The program is {@linkplain CbpfProgram#validate() validated} first (the kernel's rules), which
 * also guarantees termination: jumps only go forward.
 */
public final class CbpfInterpreter {
    /** Whose semantics to follow where the kernel and libpcap differ. */
    public enum Semantics {
        /** As the Linux kernel runs an attached classic filter. */
        KERNEL,
        /** As libpcap's {@code bpf_filter()} runs it (tcpdump reading a file). */
        LIBPCAP
    }

    private static final CbpfInterpreter KERNEL = new CbpfInterpreter(Semantics.KERNEL);
    private static final CbpfInterpreter LIBPCAP = new CbpfInterpreter(Semantics.LIBPCAP);

    private final Semantics semantics;

    private CbpfInterpreter(Semantics semantics) {
        this.semantics = semantics;
    }

    /** The interpreter with the kernel's semantics. */
    public static CbpfInterpreter kernel() {
        return KERNEL;
    }

    /** The interpreter with libpcap's semantics. */
    public static CbpfInterpreter libpcap() {
        return LIBPCAP;
    }

    /** Whose semantics this interpreter follows. */
    public Semantics semantics() {
        return semantics;
    }

    /** Runs {@code program} over a frame that starts at its link-layer header ({@link CbpfPacket#of}). */
    public int run(CbpfProgram program, byte[] frame) {
        return run(program, CbpfPacket.of(frame));
    }

    /** Whether {@code program} accepts the frame (returns non-zero). */
    public boolean matches(CbpfProgram program, byte[] frame) {
        return run(program, frame) != 0;
    }

    /** Whether {@code program} accepts the packet (returns non-zero). */
    public boolean matches(CbpfProgram program, CbpfPacket packet) {
        return run(program, packet) != 0;
    }

    /**
     * Runs {@code program} over {@code packet} and returns what it returns: the number of bytes to
     * keep (an unsigned 32-bit value in an int), 0 to reject.
     *
     * @throws CbpfException if the program is not valid, or reads an ancillary field that
     *         {@code packet} has no metadata for (or that is not modelled)
     */
    public int run(CbpfProgram program, CbpfPacket packet) {
        program.validate();
        List<CbpfInsn> insns = program.instructions();
        int a = 0;
        int x = 0;
        int[] mem = new int[CbpfInsn.MEMWORDS];
        int pc = 0;
        while (true) {
            CbpfInsn in = insns.get(pc);
            int k = in.k();
            switch (in.opClass()) {
                case LD:
                    switch (in.mode()) {
                        case IMM:
                            a = k;
                            break;
                        case LEN:
                            a = packet.length();
                            break;
                        case MEM:
                            a = mem[k];
                            break;
                        case ABS: {
                            if (semantics == Semantics.KERNEL && CbpfInsn.isAncillaryOffset(k)) {
                                a = ancillary(pc, in, packet, a, x);
                                break;
                            }
                            long v = load(packet, k, 0, k, in.size().bytes());
                            if (v < 0) {
                                return 0;
                            }
                            a = (int) v;
                            break;
                        }
                        case IND: {
                            long v = load(packet, x + k, x, k, in.size().bytes());
                            if (v < 0) {
                                return 0;
                            }
                            a = (int) v;
                            break;
                        }
                        default:
                            throw new CbpfException(pc, "unsupported load mode");
                    }
                    break;
                case LDX:
                    switch (in.mode()) {
                        case IMM:
                            x = k;
                            break;
                        case LEN:
                            x = packet.length();
                            break;
                        case MEM:
                            x = mem[k];
                            break;
                        case MSH: {
                            long v = load(packet, k, 0, k, 1);
                            if (v < 0) {
                                return 0;
                            }
                            x = (int) (v & 0xf) << 2;
                            break;
                        }
                        default:
                            throw new CbpfException(pc, "unsupported ldx mode");
                    }
                    break;
                case ST:
                    mem[k] = a;
                    break;
                case STX:
                    mem[k] = x;
                    break;
                case ALU: {
                    CbpfInsn.AluOp op = in.aluOp();
                    int operand = in.src() == CbpfInsn.Src.X ? x : k;
                    switch (op) {
                        case ADD:
                            a += operand;
                            break;
                        case SUB:
                            a -= operand;
                            break;
                        case MUL:
                            a *= operand;
                            break;
                        case DIV:
                            if (operand == 0) {
                                return 0;
                            }
                            a = Integer.divideUnsigned(a, operand);
                            break;
                        case MOD:
                            if (operand == 0) {
                                return 0;
                            }
                            a = Integer.remainderUnsigned(a, operand);
                            break;
                        case OR:
                            a |= operand;
                            break;
                        case AND:
                            a &= operand;
                            break;
                        case XOR:
                            a ^= operand;
                            break;
                        case LSH:
                            a = shiftAmountOk(operand) ? a << operand : 0;
                            break;
                        case RSH:
                            a = shiftAmountOk(operand) ? a >>> operand : 0;
                            break;
                        case NEG:
                            a = -a;
                            break;
                        default:
                            throw new CbpfException(pc, "unsupported ALU operation");
                    }
                    break;
                }
                case JMP: {
                    if (!in.isConditionalJump()) {
                        pc += 1 + k;
                        continue;
                    }
                    int operand = in.src() == CbpfInsn.Src.X ? x : k;
                    boolean taken;
                    switch (in.jmpOp()) {
                        case JEQ:
                            taken = a == operand;
                            break;
                        case JGT:
                            taken = Integer.compareUnsigned(a, operand) > 0;
                            break;
                        case JGE:
                            taken = Integer.compareUnsigned(a, operand) >= 0;
                            break;
                        case JSET:
                            taken = (a & operand) != 0;
                            break;
                        default:
                            throw new CbpfException(pc, "unsupported jump");
                    }
                    pc += 1 + (taken ? in.jt() : in.jf());
                    continue;
                }
                case RET:
                    return (in.code() & 0x18) == CbpfInsn.RetVal.A.value() ? a : k;
                case MISC:
                    if ((in.code() & 0xf8) == CbpfInsn.MiscOp.TXA.value()) {
                        a = x;
                    } else {
                        x = a;
                    }
                    break;
                default:
                    throw new CbpfException(pc, "unsupported instruction class");
            }
            pc++;
        }
    }

    private boolean shiftAmountOk(int amount) {
        // The kernel masks the amount to 5 bits (constant amounts are already below 32); libpcap gives 0.
        return semantics == Semantics.KERNEL || Integer.compareUnsigned(amount, 32) < 0;
    }

    /**
     * Loads {@code size} big-endian bytes at {@code off} (already X + k for indirect loads); returns
     * the unsigned value, or -1 when the load fails.
     */
    private long load(CbpfPacket p, int off, int x, int k, int size) {
        byte[] b = p.bytes();
        int at;
        if (semantics == Semantics.LIBPCAP) {
            // unsigned offsets: X + k must not wrap, and the bytes must be inside the capture
            long sum = Integer.toUnsignedLong(x) + Integer.toUnsignedLong(k);
            if (sum > Integer.MAX_VALUE || sum + size > p.available()) {
                return -1;
            }
            at = p.data() + (int) sum;
        } else if (off >= 0) {
            if ((long) off + size > p.available()) {
                return -1;
            }
            at = p.data() + off;
        } else {
            long base;
            if (off >= CbpfInsn.SKF_NET_OFF) {
                if (p.networkHeader() < 0) {
                    return -1;
                }
                base = (long) p.networkHeader() + off - CbpfInsn.SKF_NET_OFF;
            } else if (off >= CbpfInsn.SKF_LL_OFF) {
                if (p.macHeader() < 0) {
                    return -1;
                }
                base = (long) p.macHeader() + off - CbpfInsn.SKF_LL_OFF;
            } else {
                return -1;
            }
            if (base < 0 || base + size > b.length) {
                return -1;
            }
            at = (int) base;
        }
        long v = 0;
        for (int i = 0; i < size; i++) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }

    private static int ancillary(int pc, CbpfInsn in, CbpfPacket p, int a, int x) {
        CbpfInsn.Ancillary field = CbpfInsn.Ancillary.ofK(in.k());
        if (field == CbpfInsn.Ancillary.ALU_XOR_X) {
            return a ^ x;
        }
        CbpfPacket.Metadata m = p.metadata();
        if (m == null) {
            throw new CbpfException(pc, "ancillary load [" + field.label() + "] needs packet metadata (CbpfPacket.withMetadata)");
        }
        switch (field) {
            case PROTOCOL:
                return m.protocol() & 0xffff;
            case PKTTYPE:
                return m.pktType() & 0x7;
            case IFINDEX:
                return m.ifindex();
            case MARK:
                return m.mark();
            case QUEUE:
                return m.queue() & 0xffff;
            case HATYPE:
                return m.hatype() & 0xffff;
            case RXHASH:
                return m.rxhash();
            case CPU:
                return m.cpu();
            case VLAN_TAG:
                return m.vlanTci() & 0xffff;
            case VLAN_TAG_PRESENT:
                return m.vlanPresent() ? 1 : 0;
            case VLAN_TPID:
                return m.vlanTpid() & 0xffff;
            case RANDOM:
                return m.random();
            default:
                throw new CbpfException(pc, "ancillary load [" + field.label() + "] is not supported by the interpreter");
        }
    }
}
