package io.jbpf.netpolicy.conntrack;

import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R10;
import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R3;
import static io.jbpf.core.insn.Reg.R4;
import static io.jbpf.core.insn.Reg.R5;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.insn.Size;

/**
 * Emits the datapath's connection tracking: {@link #lookup} tells a packet's
 * {@link ConntrackResult} and refreshes the connection it belongs to; {@link #create} records a
 * connection after policy allowed its first packet.
 *
 * <h2>The question area</h2>
 * Both work on an area of {@value #AREA} bytes of the program's stack (8-aligned, at an offset
 * from {@code R10}) that {@link ConntrackTuple#emit} fills from a packet, or that the caller fills
 * itself (then every field up to {@code identity} but the scratch and {@code now}: the verifier
 * refuses reads of stack never written):
 * <pre>
 *   key        @0   16 bytes, a {@link ConntrackMap} key: the packet's tuple and the direction its hook sees it in
 *                   (for an ICMP error, the quoted packet's tuple and the direction it travelled in: the opposite)
 *   (scratch)  @16  16 bytes: the reversed key
 *   u32 length @32  the bytes to count (IPv4 total length), host order
 *   u8  flags  @36  the packet's TCP flags (0 for other protocols)
 *   u8  kind   @37  0 a packet of its own tuple, 1 an ICMP error quoting the key's packet
 *   u8  result @38  (used by {@link ConntrackBlock}: the lookup's result)
 *   u32 now    @40  written by {@link #lookup}: bpf_ktime_get_ns() / 10^9, read by {@link #create}
 *   u32 identity @44 the source identity {@link #create} stores ({@link ConntrackTuple} writes 0; the caller may overwrite it)
 *   (scratch)  @48  48 bytes: the value {@link #create} writes
 * </pre>
 *
 * <h2>What a lookup does</h2>
 * The key, then the reversed key (addresses and ports swapped, direction flipped), are looked up;
 * an entry whose lifetime has passed counts as absent.
 * <ul>
 *   <li>Key found: {@link ConntrackResult#ESTABLISHED}; the entry's tx counters, tx flags and
 *       lifetime are updated. A TCP SYN without ACK on an entry closed both ways is
 *       {@link ConntrackResult#NEW} instead (a reused port: policy judges it again, and
 *       {@link #create} starts the entry over).</li>
 *   <li>Reversed key found: {@link ConntrackResult#REPLY}; rx counters, flags and lifetime.</li>
 *   <li>For an ICMP error (kind 1), either found: {@link ConntrackResult#RELATED}, and the entry is
 *       left as it was (errors do not keep a connection alive).</li>
 *   <li>Otherwise {@link ConntrackResult#NEW}.</li>
 * </ul>
 * Lifetimes, as Cilium's: TCP gets {@link ConntrackTimeouts#tcpSyn()} until a packet without SYN
 * was seen, then {@link ConntrackTimeouts#tcpEstablished()}; a RST closes both directions, a FIN its
 * own; once both are closed the lifetime becomes {@link ConntrackTimeouts#tcpClose()} (set by the
 * FIN or RST that closed it) and later packets no longer refresh it. Other protocols get
 * {@link ConntrackTimeouts#other()} from every packet.
 *
 * <h2>Registers</h2>
 * Both steps clobber R0–R5 and leave R6–R9 alone except the result register the caller names;
 * they fall through at the end (no exit, no jump out).
 *
 * <h2>Plugging in</h2>
 * A hook of the datapath runs, with one area for the whole packet:
 * <pre>{@code
 * ConntrackTuple.emit(a, ip, end, hookDirection, area, "untracked", "tuple");
 * ConntrackStep.lookup(a, "ct", area, R9, "ct");     // R9: NEW 0, ESTABLISHED 1, REPLY 2, RELATED 3
 * a.jne(R9, 0, "pass");                               // what conntrack explains needs no policy
 * ... the policy step (PolicyLookup): deny → "drop" ...
 * a.store(Size.W, R10, area + ConntrackStep.IDENTITY, identityReg);
 * ConntrackStep.create(a, "ct", area, "ctnew");       // then pass
 * }</pre>
 * ({@code ConntrackNetnsTest} builds exactly that as a firewall on a veth.) In packet-DSL programs,
 * where R7–R9 belong to the DSL, use {@link ConntrackBlock}: it keeps the packet pointers in R4/R5
 * and the result in the area (spilling R7–R9 does not work: the verifier refuses to store a
 * register the DSL never set). {@code untracked} packets (later fragments, cut headers, bad IHL)
 * must not pass on conntrack's word: judge or drop them.
 */
public final class ConntrackStep {
    /** The size of the question area. */
    public static final int AREA = 96;
    /** Offsets in the question area. */
    public static final int KEY = 0, REVERSED_KEY = 16, LENGTH = 32, FLAGS = 36, KIND = 37, RESULT = 38, NOW = 40,
            IDENTITY = 44, VALUE = 48;
    /** The kinds of question. */
    public static final int KIND_PACKET = 0, KIND_ICMP_ERROR = 1;
    /** TCP flag bits. */
    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, ACK = 0x10;

    private static final int TCP = 6;

    private ConntrackStep() {}

    /** {@link #lookup(Assembler, String, int, Reg, ConntrackTimeouts, String)} with the default timeouts. */
    public static Assembler lookup(Assembler a, String mapName, int area, Reg result, String labels) {
        return lookup(a, mapName, area, result, ConntrackTimeouts.DEFAULTS, labels);
    }

    /**
     * Appends the lookup.
     *
     * @param a        the program being assembled
     * @param mapName  the conntrack map's name in the program
     * @param area     the question area's offset from R10 (negative, a multiple of 8, at least {@value #AREA} bytes from the top)
     * @param result   where the {@link ConntrackResult#code()} goes: one of R6–R9
     * @param timeouts the lifetimes refreshes give
     * @param labels   a prefix that makes this step's labels unique in the program
     * @return {@code a}
     */
    public static Assembler lookup(Assembler a, String mapName, int area, Reg result, ConntrackTimeouts timeouts,
            String labels) {
        checkResult(result);
        return lookup(a, mapName, area, code -> a.mov(result, code), timeouts, labels);
    }

    /**
     * The lookup leaving its result in the area's byte {@link #RESULT} instead of a register, for
     * code that has no register of R6–R9 to spare (a packet-DSL action).
     */
    static Assembler lookupToArea(Assembler a, String mapName, int area, ConntrackTimeouts timeouts, String labels) {
        return lookup(a, mapName, area, code -> a.store(Size.B, R10, area + RESULT, code), timeouts, labels);
    }

    private static Assembler lookup(Assembler a, String mapName, int area, java.util.function.IntConsumer result,
            ConntrackTimeouts timeouts, String labels) {
        checkArea(area);
        String tryReply = labels + "_try_reply";
        String done = labels + "_done";
        String related = labels + "_related";
        int key = area + KEY;
        int rkey = area + REVERSED_KEY;

        a.call(Helper.KTIME_GET_NS).div(R0, 1_000_000_000).store(Size.W, R10, area + NOW, R0);
        // the reversed key
        a.load(Size.W, R1, R10, key + ConntrackMap.SADDR).load(Size.W, R2, R10, key + ConntrackMap.DADDR)
                .store(Size.W, R10, rkey + ConntrackMap.SADDR, R2).store(Size.W, R10, rkey + ConntrackMap.DADDR, R1)
                .load(Size.H, R1, R10, key + ConntrackMap.SPORT).load(Size.H, R2, R10, key + ConntrackMap.DPORT)
                .store(Size.H, R10, rkey + ConntrackMap.SPORT, R2).store(Size.H, R10, rkey + ConntrackMap.DPORT, R1)
                .load(Size.W, R1, R10, key + ConntrackMap.PROTOCOL).store(Size.W, R10, rkey + ConntrackMap.PROTOCOL, R1)
                .load(Size.B, R1, R10, key + ConntrackMap.DIRECTION).xor(R1, 1)
                .store(Size.B, R10, rkey + ConntrackMap.DIRECTION, R1);
        result.accept(ConntrackResult.NEW.code());

        // the key: the packet's own direction
        lookupAlive(a, mapName, key, area, tryReply);
        a.load(Size.B, R2, R10, area + KIND).jeq(R2, KIND_ICMP_ERROR, related);
        // a SYN without ACK on a connection closed both ways opens a new one
        String update = labels + "_tx";
        a.load(Size.B, R2, R10, key + ConntrackMap.PROTOCOL).jne(R2, TCP, update)
                .load(Size.B, R2, R10, area + FLAGS).and(R2, SYN | ACK).jne(R2, SYN, update)
                .load(Size.B, R2, R0, ConntrackMap.STATE).and(R2, ConntrackMap.BOTH_CLOSING)
                .jeq(R2, ConntrackMap.BOTH_CLOSING, done)
                .label(update);
        a.mov(R1, R0);
        emitUpdate(a, R1, area, true, true, timeouts, labels + "_tx");
        result.accept(ConntrackResult.ESTABLISHED.code());
        a.ja(done);

        // the reversed key: a reply
        a.label(tryReply);
        lookupAlive(a, mapName, rkey, area, done);
        a.load(Size.B, R2, R10, area + KIND).jeq(R2, KIND_ICMP_ERROR, related);
        a.mov(R1, R0);
        emitUpdate(a, R1, area, false, true, timeouts, labels + "_rx");
        result.accept(ConntrackResult.REPLY.code());
        a.ja(done);

        a.label(related);
        result.accept(ConntrackResult.RELATED.code());
        a.label(done);
        return a;
    }

    /** {@code R0} = the live entry of the key at {@code keyOffset}, or a jump to {@code absent}. */
    private static void lookupAlive(Assembler a, String mapName, int keyOffset, int area, String absent) {
        a.ldMap(R1, mapName).mov(R2, R10).add(R2, keyOffset).call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, absent)
                .load(Size.W, R1, R0, ConntrackMap.LIFETIME).load(Size.W, R2, R10, area + NOW)
                .jlt(R1, R2, absent);
    }

    /** {@link #create(Assembler, String, int, ConntrackTimeouts, String)} with the default timeouts. */
    public static Assembler create(Assembler a, String mapName, int area, String labels) {
        return create(a, mapName, area, ConntrackTimeouts.DEFAULTS, labels);
    }

    /**
     * Appends the creation of the entry for the question's key (run after {@link #lookup} gave
     * {@link ConntrackResult#NEW} and policy allowed the packet): the packet is counted in the tx
     * direction, its flags recorded, the lifetime set as a refresh would, the area's identity stored;
     * the entry replaces any older one of the key. For an ICMP error (kind 1) nothing is created.
     * {@code R0} is left with {@code bpf_map_update_elem}'s return (0, or a negative error), 0 for an ICMP error.
     *
     * @param area the question area {@link #lookup} ran on (its {@code now} is used)
     */
    public static Assembler create(Assembler a, String mapName, int area, ConntrackTimeouts timeouts, String labels) {
        checkArea(area);
        String done = labels + "_done";
        int value = area + VALUE;
        a.mov(R0, 0).load(Size.B, R1, R10, area + KIND).jeq(R1, KIND_ICMP_ERROR, done);
        for (int i = 0; i < ConntrackMap.VALUE_SIZE; i += 8) {
            a.store(Size.DW, R10, value + i, 0);
        }
        a.load(Size.W, R1, R10, area + NOW).store(Size.W, R10, value + ConntrackMap.CREATED, R1)
                .load(Size.W, R1, R10, area + IDENTITY).store(Size.W, R10, value + ConntrackMap.SOURCE_IDENTITY, R1)
                .mov(R1, R10).add(R1, value);
        emitUpdate(a, R1, area, true, false, timeouts, labels + "_new");
        a.ldMap(R1, mapName).mov(R2, R10).add(R2, area + KEY).mov(R3, R10).add(R3, value).mov(R4, 0)
                .call(Helper.MAP_UPDATE_ELEM)
                .label(done);
        return a;
    }

    /**
     * Counts the packet and refreshes the entry {@code entry} points at (a map value, or the value
     * being built on the stack). Uses R2–R5; {@code entry} is R1.
     */
    private static void emitUpdate(Assembler a, Reg entry, int area, boolean tx, boolean atomic,
            ConntrackTimeouts t, String labels) {
        int packets = tx ? ConntrackMap.TX_PACKETS : ConntrackMap.RX_PACKETS;
        int bytes = tx ? ConntrackMap.TX_BYTES : ConntrackMap.RX_BYTES;
        int flagsSeen = tx ? ConntrackMap.TX_FLAGS_SEEN : ConntrackMap.RX_FLAGS_SEEN;
        int closing = tx ? ConntrackMap.TX_CLOSING : ConntrackMap.RX_CLOSING;
        String other = labels + "_other";
        String closeCheck = labels + "_close";
        String established = labels + "_est";
        String setLife = labels + "_life";
        String end = labels + "_end";

        a.mov(R2, 1);
        add(a, entry, packets, R2, atomic);
        a.load(Size.W, R2, R10, area + LENGTH);
        add(a, entry, bytes, R2, atomic);
        a.load(Size.B, R3, R10, area + FLAGS)
                .load(Size.B, R2, entry, flagsSeen).or(R2, R3).store(Size.B, entry, flagsSeen, R2)
                .load(Size.W, R5, R10, area + NOW)
                .load(Size.B, R2, R10, area + KEY + ConntrackMap.PROTOCOL).jne(R2, TCP, other);
        // TCP: R3 packet flags, R4 state, R5 now
        a.load(Size.B, R4, entry, ConntrackMap.STATE)
                .mov(R2, R4).and(R2, ConntrackMap.BOTH_CLOSING).jeq(R2, ConntrackMap.BOTH_CLOSING, closeCheck)
                // alive: refresh
                .jset(R3, SYN, labels + "_syn").or(R4, ConntrackMap.SEEN_NON_SYN).label(labels + "_syn")
                .mov(R2, R5).jset(R4, ConntrackMap.SEEN_NON_SYN, established)
                .add(R2, t.tcpSyn()).ja(setLife)
                .label(established).add(R2, t.tcpEstablished())
                .label(setLife).store(Size.W, entry, ConntrackMap.LIFETIME, R2)
                .label(closeCheck)
                .jset(R3, RST, labels + "_rst")
                .jset(R3, FIN, labels + "_fin")
                .ja(labels + "_state")
                .label(labels + "_rst").or(R4, ConntrackMap.BOTH_CLOSING).ja(labels + "_closed")
                .label(labels + "_fin").or(R4, closing)
                .label(labels + "_closed")
                // a FIN or RST that leaves both directions closed starts the short close lifetime
                .mov(R2, R4).and(R2, ConntrackMap.BOTH_CLOSING).jne(R2, ConntrackMap.BOTH_CLOSING, labels + "_state")
                .mov(R2, R5).add(R2, t.tcpClose()).store(Size.W, entry, ConntrackMap.LIFETIME, R2)
                .label(labels + "_state").store(Size.B, entry, ConntrackMap.STATE, R4).ja(end)
                .label(other).add(R5, t.other()).store(Size.W, entry, ConntrackMap.LIFETIME, R5)
                .label(end);
    }

    private static void add(Assembler a, Reg entry, int offset, Reg value, boolean atomic) {
        if (atomic) {
            a.atomicAdd(Size.DW, entry, offset, value);
        } else {
            a.load(Size.DW, R4, entry, offset).add(R4, value).store(Size.DW, entry, offset, R4);
        }
    }

    private static void checkResult(Reg result) {
        if (result.ordinal() < Reg.R6.ordinal() || result == Reg.R10) {
            throw new IllegalArgumentException("the result must be in R6-R9 (helper calls clobber R0-R5), not " + result);
        }
    }

    static void checkArea(int area) {
        if (area > -AREA || area % 8 != 0 || area < -512) {
            throw new IllegalArgumentException("question area offset " + area + " must be a multiple of 8 in -512..-" + AREA);
        }
    }
}
