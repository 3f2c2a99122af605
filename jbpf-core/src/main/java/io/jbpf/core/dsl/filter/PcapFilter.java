package io.jbpf.core.dsl.filter;

import io.jbpf.core.dsl.CodePredicate;
import io.jbpf.core.dsl.cbpf.CbpfConverter;
import io.jbpf.core.dsl.cbpf.CbpfInsn;
import io.jbpf.core.dsl.cbpf.CbpfInterpreter;
import io.jbpf.core.dsl.cbpf.CbpfPacket;
import io.jbpf.core.dsl.cbpf.CbpfProgram;
import io.jbpf.core.dsl.cbpf.CbpfText;
import io.jbpf.core.dsl.filter.internal.Ast;
import io.jbpf.core.dsl.filter.internal.CodeGen;
import io.jbpf.core.dsl.filter.internal.Cond;
import io.jbpf.core.dsl.filter.internal.Factor;
import io.jbpf.core.dsl.filter.internal.FilterPredicate;
import io.jbpf.core.dsl.filter.internal.Linear;
import io.jbpf.core.dsl.filter.internal.Optimizer;
import io.jbpf.core.dsl.filter.internal.Parser;
import io.jbpf.core.insn.Insn;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A compiled pcap-filter (tcpdump) expression, with libpcap's meaning for Ethernet frames
 * (link type DLT_EN10MB).
 *
 * <pre>{@code
 * PcapFilter f = PcapFilter.compile("tcp dst port 80 and not net 10.0.0.0/8");
 * CbpfProgram classic = f.classic();        // what tcpdump -d shows, as a program
 * boolean hit = f.matches(frame, frame.length);
 * }</pre>
 *
 * <p>The language is that of {@code man 7 pcap-filter}: {@code host}/{@code net}/{@code port}/
 * {@code portrange}/{@code proto} with {@code src}/{@code dst}/{@code src or dst}/{@code src and dst};
 * {@code ether host/src/dst/proto/broadcast/multicast}; {@code ip}, {@code ip6}, {@code arp},
 * {@code rarp}, {@code tcp}, {@code udp}, {@code icmp}, {@code icmp6}, {@code sctp}, {@code igmp},
 * {@code pim}, {@code vrrp}, {@code ah}, {@code esp}; {@code vlan [id]} (which moves every later
 * offset by 4, as in libpcap); {@code broadcast}, {@code multicast}, {@code less}, {@code greater};
 * {@code proto[expr:size]} accessors with arithmetic and comparisons; named constants such as
 * {@code tcpflags} and {@code tcp-syn}; {@code and}/{@code &&}, {@code or}/{@code ||},
 * {@code not}/{@code !} (and and or of equal precedence, left to right) and qualifier inheritance
 * ({@code host a or b}). Compiling never makes a system call and never resolves a name: host
 * names are refused with a {@link PcapFilterException}; port and protocol names come from a
 * built-in table. Errors name the 1-based column.
 *
 * <p>Link-layer features that need another link type or the kernel's packet metadata
 * ({@code inbound}, {@code ifindex}, {@code mpls}, {@code pppoes}, {@code geneve}, 802.11, ATM, ...),
 * {@code protochain} and {@code gateway} are refused with a message saying so.
 */
public final class PcapFilter {
    /** What a matching packet makes the classic program return (tcpdump's default snap length). */
    public static final int MATCH = 262144;

    private final String expression;
    private final CbpfProgram classic;

    private PcapFilter(String expression, CbpfProgram classic) {
        this.expression = expression;
        this.classic = classic;
    }

    /**
     * Compiles {@code expression}; an empty (or blank) expression matches every packet, as in tcpdump.
     *
     * @throws PcapFilterSyntaxException if it does not parse
     * @throws PcapFilterException       if it parses but libpcap would refuse it too, or it uses a
     *                                   feature this compiler does not support, or a host name
     */
    public static PcapFilter compile(String expression) {
        Objects.requireNonNull(expression, "expression");
        Ast.Expr ast = Parser.parse(expression);
        Cond cond = Factor.apply(CodeGen.generate(ast));
        List<Linear.Ins> code = Optimizer.optimize(Linear.layout(cond, MATCH));
        return new PcapFilter(expression, CbpfProgram.of(encode(code)));
    }

    /** Like {@link #compile} but without the clean-ups: the code as generated, for comparison. */
    public static PcapFilter compileUnoptimized(String expression) {
        Objects.requireNonNull(expression, "expression");
        Cond cond = CodeGen.generate(Parser.parse(expression));
        return new PcapFilter(expression, CbpfProgram.of(encode(Linear.layout(cond, MATCH))));
    }

    /** The expression as given. */
    public String expression() {
        return expression;
    }

    /** The classic BPF program: returns {@link #MATCH} for a matching packet and 0 otherwise. */
    public CbpfProgram classic() {
        return classic;
    }

    /** The kinds of eBPF program the filter converts to. */
    public enum Target {
        /**
         * A {@code SOCKET_FILTER} (or {@code SCHED_CLS}) program converted as the kernel converts
         * classic filters ({@code LD_ABS}/{@code LD_IND}); returns {@link #MATCH} or 0.
         */
        SOCKET_FILTER,
        /** An XDP program with direct packet access: {@code XDP_PASS} on a match, {@code XDP_DROP} otherwise. */
        XDP,
        /** A TC ({@code SCHED_CLS}) program with direct packet access: {@code TC_ACT_OK} on a match, {@code TC_ACT_SHOT} otherwise. */
        TC
    }

    /**
     * The filter as an eBPF program for {@code target}, converted from {@link #classic()} by
     * {@link CbpfConverter}. A packet load past the end, which ends the classic program with 0,
     * is "no match". The direct-access forms see the bytes the hook sees: {@code len} is the
     * length of those bytes (the whole frame), not a capture's original length.
     */
    public List<Insn> toEbpf(Target target) {
        switch (target) {
            case SOCKET_FILTER:
                return CbpfConverter.socketFilter(classic);
            case XDP:
                return CbpfConverter.xdp(classic);
            default:
                return CbpfConverter.tc(classic);
        }
    }

    /**
     * The filter as a predicate of the packet DSL ({@link io.jbpf.core.dsl.Dsl#code}), for XDP and
     * TC programs: the direct-access conversion of {@link #classic()} inlined where the predicate
     * is used ({@link CbpfConverter#emitFragment}), with 64 bytes of the program's stack for the
     * classic scratch memory. It combines with other matches and actions:
     *
     * <pre>{@code
     * PacketProgram p = PacketProgram.forTarget(Target.XDP)
     *         .when(code(PcapFilter.compile("tcp port 22").predicate())).then(countPerCpu("ssh"))
     *         .otherwise(pass())
     *         .build();
     * }</pre>
     *
     * A socket filter program refuses it with a {@link io.jbpf.core.dsl.DslException} when built.
     */
    public CodePredicate predicate() {
        return new FilterPredicate(classic, expression);
    }

    /** The classic program in {@code tcpdump -d} format. */
    public String classicListing() {
        return CbpfText.disassemble(classic);
    }

    /**
     * Whether the frame matches, running {@link #classic()} with libpcap's semantics (as tcpdump
     * does on a capture file).
     *
     * @param frame      the captured bytes, from the Ethernet header on
     * @param wireLength the packet's length on the wire ({@code len}), at least {@code frame.length}
     */
    public boolean matches(byte[] frame, int wireLength) {
        return CbpfInterpreter.libpcap().run(classic, CbpfPacket.of(frame).withLength(Math.max(wireLength, frame.length))) != 0;
    }

    @Override
    public String toString() {
        return "PcapFilter[" + expression + ", " + classic.size() + " classic instructions]";
    }

    /** Relative jump offsets, with a {@code ja} trampoline where a conditional target is over 255 away. */
    private static List<CbpfInsn> encode(List<Linear.Ins> code) {
        List<Linear.Ins> c = new ArrayList<>(code);
        boolean again = true;
        while (again) {
            again = false;
            for (int i = 0; i < c.size(); i++) {
                Linear.Ins in = c.get(i);
                boolean cond = (in.code & 0x07) == 0x05 && (in.code & 0xf0) != 0;
                if (!cond) {
                    continue;
                }
                boolean farT = in.jt - i - 1 > 255;
                boolean farF = in.jf - i - 1 > 255;
                if (!farT && !farF) {
                    continue;
                }
                int far = farT ? in.jt : in.jf;
                for (Linear.Ins o : c) {
                    boolean isJump = (o.code & 0x07) == 0x05;
                    if (isJump) {
                        if (o.jt > i) {
                            o.jt++;
                        }
                        if ((o.code & 0xf0) != 0 && o.jf > i) {
                            o.jf++;
                        }
                    }
                }
                Linear.Ins tramp = copyJa(far + 1);
                c.add(i + 1, tramp);
                if (farT) {
                    in.jt = i + 1;
                } else {
                    in.jf = i + 1;
                }
                again = true;
                break;
            }
        }
        List<CbpfInsn> out = new ArrayList<>(c.size());
        for (int i = 0; i < c.size(); i++) {
            Linear.Ins in = c.get(i);
            int cls = in.code & 0x07;
            if (cls == 0x05 && (in.code & 0xf0) == 0) {
                out.add(CbpfInsn.stmt(in.code, in.jt - i - 1));
            } else if (cls == 0x05) {
                out.add(CbpfInsn.jump(in.code, in.k, in.jt - i - 1, in.jf - i - 1));
            } else {
                out.add(CbpfInsn.stmt(in.code, in.k));
            }
        }
        return out;
    }

    private static Linear.Ins copyJa(int target) {
        return Linear.ja(target);
    }
}
