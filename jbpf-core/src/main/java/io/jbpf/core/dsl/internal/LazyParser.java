package io.jbpf.core.dsl.internal;

import static io.jbpf.core.dsl.Layer.ARP;
import static io.jbpf.core.dsl.Layer.ETHERNET;
import static io.jbpf.core.dsl.Layer.ICMP;
import static io.jbpf.core.dsl.Layer.ICMPV6;
import static io.jbpf.core.dsl.Layer.IPV4;
import static io.jbpf.core.dsl.Layer.IPV6;
import static io.jbpf.core.dsl.Layer.IPV6_FRAGMENT;
import static io.jbpf.core.dsl.Layer.VLAN;
import static io.jbpf.core.dsl.Layer.VLAN_INNER;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.dsl.Layer;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.insn.Size;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The parser of direct-access programs that parses a header only where a match needs it, just
 * before the first test of one of its fields, and jumps straight to the test's false branch when
 * the packet does not have it: no header is parsed that no test on the packet's way reads.
 *
 * <p>Each header gets a home where a pointer to it, checked for {@link Layer#minLength()} bytes,
 * is kept once found: R7 and R8 for the two most read, a stack slot for the others (the verifier
 * keeps the range of spilled packet pointers). R9 holds {@code data_end} for the whole program.
 * What the code knows at a point — the headers whose homes hold their pointer on every way there —
 * is tracked while emitting: branches that join again go back to what was known where they split
 * (the split dominates the join), so a header found inside an {@code or} is looked for again after
 * it. Parsing code uses R0–R5 and writes only the home of the header it looks for.
 *
 * <p>The way each header is found is the eager {@link Parser}'s, so both give the same answers:
 * up to two VLAN tags, IPv4 through IHL and only in first fragments, the IPv6 extension header walk
 * with its limit.
 */
final class LazyParser {
    private static final int[] TPIDS = {0x8100, 0x88a8, 0x9100};
    private static final int[] IPV6_EXT = {0, 43, 60};
    private static final int IPV6_FRAG = 44;
    private static final int IPV6_AH = 51;

    private final Gen g;
    private final Assembler a;
    private final Map<Layer, Reg> registers = new EnumMap<>(Layer.class);
    private final Map<Layer, Integer> slots = new EnumMap<>(Layer.class);
    private EnumSet<Layer> known = EnumSet.noneOf(Layer.class);

    /** {@code uses}: how many reads of each header the program has, to give the most read registers. */
    LazyParser(Gen gen, Map<Layer, Integer> uses) {
        this.g = gen;
        this.a = gen.asm;
        List<Layer> order = new ArrayList<>(uses.keySet());
        // the most read first; among equals the deeper header (it is reached through the others)
        order.sort(Comparator.comparing((Layer l) -> -uses.get(l)).thenComparing(l -> -l.ordinal()));
        Reg[] regs = {Reg.R7, Reg.R8};
        for (int i = 0; i < order.size(); i++) {
            if (i < regs.length) {
                registers.put(order.get(i), regs[i]);
            } else {
                slots.put(order.get(i), gen.stack(8));
            }
        }
    }

    // ---- what is known ----

    /** The headers known to be in their homes here. */
    Set<Layer> known() {
        return EnumSet.copyOf(known);
    }

    /** Goes back to what was known at an earlier point that dominates this one. */
    void restore(Set<Layer> earlier) {
        known = earlier.isEmpty() ? EnumSet.noneOf(Layer.class) : EnumSet.copyOf(earlier);
    }

    /** Nothing is known any more (a new rule, or after code that may have used R7/R8). */
    void forget() {
        known = EnumSet.noneOf(Layer.class);
    }

    boolean isKnown(Layer l) {
        return known.contains(l);
    }

    /** R9 = data_end, once at the start of the program. */
    void loadEnd() {
        g.loadPacketEnd(Reg.R9);
    }

    /** Where a field of {@code layer} (ensured before) is read from: its home register, or {@code scratch} loaded from its slot. */
    Gen.Access access(Layer layer, Reg scratch) {
        Reg r = registers.get(layer);
        if (r != null) {
            return new Gen.Access(r, 0);
        }
        a.load(Size.DW, scratch, Reg.R10, slot(layer));
        return new Gen.Access(scratch, 0);
    }

    private int slot(Layer l) {
        Integer s = slots.get(l);
        if (s == null) {
            throw new IllegalStateException("no home for " + l);
        }
        return s;
    }

    // ---- finding headers ----

    /**
     * Falls through with {@code layer} in its home (found now or before), or jumps to
     * {@code absent} when the packet does not have it.
     */
    void ensure(Layer layer, String absent) {
        if (known.contains(layer)) {
            return;
        }
        Reg p = registers.getOrDefault(layer, Reg.R5);
        switch (layer) {
            case ETHERNET:
                loadData();
                check(Reg.R2, 14, absent);
                a.mov(p, Reg.R2);
                break;
            case VLAN:
            case VLAN_INNER:
                tags(layer == VLAN ? 1 : 2, p, absent);
                break;
            case ARP:
            case IPV4:
            case IPV6:
                network(List.of(layer), p, absent, l -> {});
                break;
            case IPV6_FRAGMENT:
                if (known.contains(IPV6)) {
                    fromHome(IPV6, Reg.R5);
                    loadData();
                } else {
                    network(List.of(IPV6), Reg.R5, absent, n -> {});
                }
                fragmentWalk(absent);
                known.add(IPV6_FRAGMENT);
                return;
            default:
                transport(layer, p, absent);
                break;
        }
        record(layer, p);
    }

    private void record(Layer layer, Reg p) {
        Reg home = registers.get(layer);
        if (home == null) {
            a.store(Size.DW, Reg.R10, slot(layer), p);
        } else if (home != p) {
            a.mov(home, p);
        }
        known.add(layer);
    }

    /** {@code p} = the home of a known header. */
    private void fromHome(Layer layer, Reg p) {
        Reg home = registers.get(layer);
        if (home == null) {
            a.load(Size.DW, p, Reg.R10, slot(layer));
        } else if (home != p) {
            a.mov(p, home);
        }
    }

    private void loadData() {
        g.loadPacketStart(Reg.R2);
    }

    /** Jumps to {@code absent} unless {@code len} bytes from {@code base} are in the packet. */
    private void check(Reg base, int len, String absent) {
        a.mov(Reg.R1, base);
        a.add(Reg.R1, len);
        a.jgt(Reg.R1, Reg.R9, absent);
    }

    private static int be16(int v) {
        return Short.reverseBytes((short) v) & 0xffff;
    }

    private void jumpIfTag(String label) {
        for (int tpid : TPIDS) {
            a.jeq(Reg.R3, be16(tpid), label);
        }
    }

    private void jumpUnlessTag(String absent) {
        String tag = g.label("tag");
        a.jeq(Reg.R3, be16(TPIDS[0]), tag);
        a.jeq(Reg.R3, be16(TPIDS[1]), tag);
        a.jne(Reg.R3, be16(TPIDS[2]), absent);
        a.label(tag);
    }

    /** The outer (depth 1) or inner (2) VLAN tag: p = data + 14 or + 18. */
    private void tags(int depth, Reg p, String absent) {
        loadData();
        check(Reg.R2, 14 + 4 * depth, absent);
        a.load(Size.H, Reg.R3, Reg.R2, 12);
        jumpUnlessTag(absent);
        if (depth == 2) {
            a.load(Size.H, Reg.R3, Reg.R2, 16);
            jumpUnlessTag(absent);
        }
        a.mov(p, Reg.R2);
        a.add(p, 10 + 4 * depth);
    }

    private static int etherType(Layer l) {
        return l == IPV4 ? 0x0800 : l == IPV6 ? 0x86dd : 0x0806;
    }

    /**
     * Finds whichever of {@code nets} the packet has behind up to two VLAN tags and emits
     * {@code body} for it with {@code p} pointing at it, checked for its length; the bodies fall
     * through to the end, absent jumps to {@code absent}. R2 keeps {@code data}.
     */
    private void network(List<Layer> nets, Reg p, String absent, Consumer<Layer> body) {
        int min = nets.stream().mapToInt(Layer::minLength).min().orElseThrow();
        String end = g.label("l3_end");
        Map<Layer, String[]> found = new EnumMap<>(Layer.class);
        for (Layer n : nets) {
            found.put(n, new String[] {g.label("l3_at14"), g.label("l3_at18"), g.label("l3_at22")});
        }
        loadData();
        // one check covers the Ethernet header and the shortest network header right after it
        check(Reg.R2, 14 + min, absent);
        a.load(Size.H, Reg.R3, Reg.R2, 12);
        for (Layer n : nets) {
            a.jeq(Reg.R3, be16(etherType(n)), found.get(n)[0]);
        }
        String tag1 = g.label("vlan");
        String tag2 = g.label("qinq");
        jumpIfTag(tag1);
        a.ja(absent);
        a.label(tag1);
        check(Reg.R2, 18 + min, absent);
        a.load(Size.H, Reg.R3, Reg.R2, 16);
        for (Layer n : nets) {
            a.jeq(Reg.R3, be16(etherType(n)), found.get(n)[1]);
        }
        jumpIfTag(tag2);
        a.ja(absent);
        a.label(tag2);
        check(Reg.R2, 22 + min, absent);
        a.load(Size.H, Reg.R3, Reg.R2, 20);
        Layer last = nets.get(nets.size() - 1);
        for (Layer n : nets) {
            if (n != last) {
                a.jeq(Reg.R3, be16(etherType(n)), found.get(n)[2]);
            }
        }
        a.jne(Reg.R3, be16(etherType(last)), absent);
        List<Layer> blocks = new ArrayList<>(nets);
        java.util.Collections.reverse(blocks); // the last one's first block is where the last test falls
        for (int i = 0; i < blocks.size(); i++) {
            Layer n = blocks.get(i);
            String[] at = found.get(n);
            String bodyLabel = g.label("l3_body");
            for (int level = 2; level >= 0; level--) {
                a.label(at[level]);
                a.mov(p, Reg.R2);
                a.add(p, 14 + 4 * level);
                if (level > 0) {
                    a.ja(bodyLabel);
                }
            }
            a.label(bodyLabel);
            if (n.minLength() > min) {
                check(p, n.minLength(), absent);
            }
            body.accept(n);
            if (i < blocks.size() - 1) {
                a.ja(end);
            }
        }
        a.label(end);
    }

    private static int protocolNumber(Layer l) {
        switch (l) {
            case TCP:
                return 6;
            case UDP:
                return 17;
            case ICMP:
                return 1;
            case ICMPV6:
                return 58;
            default:
                return 132;
        }
    }

    /** A transport header: through the IPv4 or IPv6 header known, else through whichever the packet has. */
    private void transport(Layer t, Reg p, String absent) {
        boolean overV4 = t != ICMPV6;
        boolean overV6 = t != ICMP;
        if (overV4 && known.contains(IPV4)) {
            fromHome(IPV4, p);
            afterIpv4(t, p, absent);
        } else if (overV6 && known.contains(IPV6)) {
            fromHome(IPV6, p);
            loadData();
            afterIpv6(t, p, absent);
        } else {
            List<Layer> nets = overV4 && overV6 ? List.of(IPV4, IPV6) : List.of(overV4 ? IPV4 : IPV6);
            network(nets, p, absent, n -> {
                if (n == IPV4) {
                    afterIpv4(t, p, absent);
                } else {
                    afterIpv6(t, p, absent);
                }
            });
        }
        check(p, t.minLength(), absent);
    }

    /** p: the IPv4 header → the transport header of protocol {@code t} (not yet checked). */
    private void afterIpv4(Layer t, Reg p, String absent) {
        a.load(Size.B, Reg.R1, p, 9);
        a.jne(Reg.R1, protocolNumber(t), absent);
        a.load(Size.H, Reg.R1, p, 6);
        a.and(Reg.R1, be16(0x1fff));
        a.jne(Reg.R1, 0, absent); // not the first fragment: no transport header
        a.load(Size.B, Reg.R1, p, 0);
        a.and(Reg.R1, 0x0f);
        a.jlt(Reg.R1, 5, absent); // a header shorter than 20 bytes: no transport header
        a.lsh(Reg.R1, 2);
        a.add(p, Reg.R1);
    }

    /** p: the IPv6 header → the transport header of protocol {@code t} after the extension headers (not yet checked). R2 = data. */
    private void afterIpv6(Layer t, Reg p, String absent) {
        a.load(Size.B, Reg.R4, p, 6);
        a.add(p, 40);
        String done = g.label("l4v6");
        int proto = protocolNumber(t);
        for (int i = 0; i < g.ipv6Headers; i++) {
            a.jeq(Reg.R4, proto, done);
            extensionStep(p, absent, false);
        }
        a.jne(Reg.R4, proto, absent); // not it, or more extension headers than the walk allows
        a.label(done);
    }

    /**
     * One step of the extension header walk from p, the next header in R4: an extension header is
     * skipped, anything else jumps to {@code stop}; so does a truncated header or a later fragment.
     * With {@code recordFragment} a fragment header's pointer goes to its home.
     */
    private void extensionStep(Reg p, String stop, boolean recordFragment) {
        String ext = g.label("ext");
        String ah = g.label("ah");
        String frag = g.label("frag");
        String next = g.label("next");
        for (int type : IPV6_EXT) {
            a.jeq(Reg.R4, type, ext);
        }
        a.jeq(Reg.R4, IPV6_FRAG, frag);
        a.jne(Reg.R4, IPV6_AH, stop);
        // AH: (hdr[1] + 2) << 2 bytes
        skip(p, stop, 2, 2);
        a.ja(next);
        a.label(ext);
        skip(p, stop, 1, 3);
        a.ja(next);
        a.label(frag);
        check(p, 8, stop);
        if (recordFragment) {
            record(IPV6_FRAGMENT, p);
            known.remove(IPV6_FRAGMENT);
        }
        a.load(Size.H, Reg.R1, p, 2);
        a.and(Reg.R1, be16(0xfff8));
        a.load(Size.B, Reg.R4, p, 0);
        a.jne(Reg.R1, 0, stop); // not the first fragment: no transport header
        a.add(p, 8);
        launder(p);
        a.label(next);
    }

    /** An extension header of {@code (hdr[1] + plus) << shift} bytes. */
    private void skip(Reg p, String stop, int plus, int shift) {
        check(p, 8, stop);
        a.load(Size.B, Reg.R4, p, 0);
        a.load(Size.B, Reg.R1, p, 1);
        a.add(Reg.R1, plus);
        a.lsh(Reg.R1, shift);
        a.add(p, Reg.R1);
        launder(p);
    }

    /**
     * Makes the verifier forget how the walk got to the current position, so that every way
     * through the extension headers reaches the next step in the same state and is pruned:
     * {@code p = data + ((p - data) & 0x7fff)} (as the eager parser does).
     */
    private void launder(Reg p) {
        a.mov(Reg.R1, p);
        a.sub(Reg.R1, Reg.R2);
        a.and(Reg.R1, 0x7fff);
        a.mov(p, Reg.R2);
        a.add(p, Reg.R1);
    }

    /**
     * The whole walk from the IPv6 header in R5, recording the last fragment header met in its
     * home (cleared first); absent when the walk met none.
     */
    private void fragmentWalk(String absent) {
        Reg p = Reg.R5;
        Reg home = registers.get(IPV6_FRAGMENT);
        if (home == null) {
            a.store(Size.DW, Reg.R10, slot(IPV6_FRAGMENT), 0);
        } else {
            a.mov(home, 0);
        }
        String end = g.label("walk_end");
        a.load(Size.B, Reg.R4, p, 6);
        a.add(p, 40);
        for (int i = 0; i < g.ipv6Headers; i++) {
            extensionStep(p, end, true);
        }
        a.label(end);
        if (home == null) {
            a.load(Size.DW, Reg.R1, Reg.R10, slot(IPV6_FRAGMENT));
            a.jeq(Reg.R1, 0, absent);
        } else {
            a.jeq(home, 0, absent);
        }
    }
}
