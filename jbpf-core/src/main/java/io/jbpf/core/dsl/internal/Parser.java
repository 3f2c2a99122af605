package io.jbpf.core.dsl.internal;

import static io.jbpf.core.dsl.Layer.ARP;
import static io.jbpf.core.dsl.Layer.ETHERNET;
import static io.jbpf.core.dsl.Layer.ICMP;
import static io.jbpf.core.dsl.Layer.ICMPV6;
import static io.jbpf.core.dsl.Layer.IPV4;
import static io.jbpf.core.dsl.Layer.IPV6;
import static io.jbpf.core.dsl.Layer.IPV6_FRAGMENT;
import static io.jbpf.core.dsl.Layer.SCTP;
import static io.jbpf.core.dsl.Layer.TCP;
import static io.jbpf.core.dsl.Layer.UDP;
import static io.jbpf.core.dsl.Layer.VLAN;
import static io.jbpf.core.dsl.Layer.VLAN_INNER;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.dsl.Layer;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.insn.Size;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Emits the parser that runs once at the start of a program: Ethernet, up to two VLAN tags,
 * then IPv4 (IHL, fragments), IPv6 (a bounded walk over extension headers) or ARP, then the
 * transport header. Only what the program's layers need is emitted, and each header found is
 * recorded in its slot (see {@link Gen}). A header that is not there, or truncated, ends the
 * parse: the slots of it and of what follows stay 0.
 *
 * <p>With direct access the parser keeps {@code data_end} in R9 and the current header pointer in
 * R5 (R3 the EtherType, R4 the IP protocol); a socket filter copies each header to its buffer with
 * {@code bpf_skb_load_bytes_relative} and keeps the offset in R7, the protocol in R8 (helper calls
 * clobber R1–R5).
 */
final class Parser {
    private static final int[] TPIDS = {0x8100, 0x88a8, 0x9100};
    private static final int[] IPV6_EXT = {0, 43, 60};
    private static final int IPV6_FRAG = 44;
    private static final int IPV6_AH = 51;
    private static final int BPF_HDR_START_MAC = 0;

    private final Gen g;
    private final Assembler a;
    private final boolean direct;
    private final Set<Layer> want;
    private String done;

    Parser(Gen gen) {
        this.g = gen;
        this.a = gen.asm;
        this.direct = gen.target.directPacketAccess();
        this.want = gen.layers;
    }

    /** The layers whose bytes the parser reads to find {@code wanted}. */
    static Set<Layer> parsedLayers(Set<Layer> wanted) {
        Set<Layer> out = EnumSet.noneOf(Layer.class);
        if (wanted.isEmpty()) {
            return out;
        }
        out.add(ETHERNET);
        if (beyondEthernet(wanted)) {
            out.add(VLAN);
            out.add(VLAN_INNER);
        }
        if (needsIpv4(wanted)) {
            out.add(IPV4);
        }
        if (needsIpv6(wanted)) {
            out.add(IPV6);
        }
        if (walksIpv6(wanted)) {
            out.add(IPV6_FRAGMENT);
        }
        for (Layer l : wanted) {
            out.add(l);
        }
        return out;
    }

    private static boolean beyondEthernet(Set<Layer> w) {
        return w.stream().anyMatch(l -> l != ETHERNET);
    }

    private static boolean needsV4Transport(Set<Layer> w) {
        return w.contains(TCP) || w.contains(UDP) || w.contains(ICMP) || w.contains(SCTP);
    }

    private static boolean needsV6Transport(Set<Layer> w) {
        return w.contains(TCP) || w.contains(UDP) || w.contains(ICMPV6) || w.contains(SCTP);
    }

    private static boolean needsIpv4(Set<Layer> w) {
        return w.contains(IPV4) || needsV4Transport(w);
    }

    private static boolean needsIpv6(Set<Layer> w) {
        return w.contains(IPV6) || walksIpv6(w);
    }

    static boolean walksIpv6(Set<Layer> w) {
        return w.contains(IPV6_FRAGMENT) || needsV6Transport(w);
    }

    private static int be16(int v) {
        return Short.reverseBytes((short) v) & 0xffff;
    }

    /** Emits the parser (nothing when the program reads no header). */
    void emit() {
        if (want.isEmpty()) {
            return;
        }
        done = g.label("parsed");
        for (Layer l : want) {
            a.store(Size.DW, Reg.R10, g.slot(l), 0);
        }
        if (direct) {
            g.loadPacketStart(Reg.R2);
            g.loadPacketEnd(Reg.R9);
        }
        // Ethernet
        checkAt(ETHERNET, Reg.R2, 0, 14);
        record(ETHERNET, Reg.R2);
        if (beyondEthernet(want)) {
            loadU16(Reg.R3, ETHERNET, 12);
            at(14);
            vlans();
        }
        a.label(done);
    }

    // ---- steps shared by both modes ----

    /** Direct: R5 = data + offset. Socket filter: R7 = offset. */
    private void at(int offset) {
        if (direct) {
            a.mov(Reg.R5, Reg.R2);
            a.add(Reg.R5, offset);
        } else {
            a.mov(Reg.R7, offset);
        }
    }

    /** Moves the current position on by a constant. */
    private void advance(int bytes) {
        a.add(direct ? Reg.R5 : Reg.R7, bytes);
    }

    /** Moves the current position on by a register. */
    private void advance(Reg bytes) {
        a.add(direct ? Reg.R5 : Reg.R7, bytes);
    }

    /**
     * Checks that {@code len} bytes of {@code layer} are in the packet at the current position
     * ({@code base + off} for direct access from a fixed pointer), copying them to the layer's
     * buffer on a socket filter; jumps to the end of the parse when they are not.
     */
    private void checkAt(Layer layer, Reg base, int off, int len) {
        if (direct) {
            a.mov(Reg.R1, base);
            a.add(Reg.R1, off + len);
            a.jgt(Reg.R1, Reg.R9, done);
        } else {
            if (layer == ETHERNET) {
                a.mov(Reg.R7, 0);
            }
            copy(g.buffer(layer), len);
        }
    }

    /** Checks {@code layer} at the current position. */
    private void check(Layer layer) {
        checkAt(layer, Reg.R5, 0, layer.minLength());
    }

    /** Socket filter: copies {@code len} bytes at offset R7 to the stack at {@code buffer}. */
    private void copy(int buffer, int len) {
        a.mov(Reg.R1, Reg.R6);
        a.mov(Reg.R2, Reg.R7);
        a.mov(Reg.R3, Reg.R10);
        a.add(Reg.R3, buffer);
        a.mov(Reg.R4, len);
        a.mov(Reg.R5, BPF_HDR_START_MAC);
        a.call(Helper.SKB_LOAD_BYTES_RELATIVE);
        a.jne(Reg.R0, 0, done);
    }

    /** Records that {@code layer} is at the current position (direct: pointer {@code ptr}). */
    private void record(Layer layer, Reg ptr) {
        if (!want.contains(layer)) {
            return;
        }
        if (direct) {
            a.store(Size.DW, Reg.R10, g.slot(layer), ptr);
        } else {
            a.mov(Reg.R0, Reg.R7);
            a.add(Reg.R0, 1);
            a.store(Size.DW, Reg.R10, g.slot(layer), Reg.R0);
        }
    }

    private void record(Layer layer) {
        record(layer, Reg.R5);
    }

    /** Loads {@code size} bytes at {@code off} of the current header, as stored (network order). */
    private void load(Size size, Reg dst, Layer layer, int off) {
        if (direct) {
            a.load(size, dst, Reg.R5, off);
        } else {
            a.load(size, dst, Reg.R10, g.buffer(layer) + off);
        }
    }

    private void loadU16(Reg dst, Layer layer, int off) {
        if (direct && layer == ETHERNET) {
            a.load(Size.H, dst, Reg.R2, off);
        } else {
            load(Size.H, dst, layer, off);
        }
    }

    /** Register of the EtherType (raw) and of the IP protocol. */
    private Reg etherType() {
        return direct ? Reg.R3 : Reg.R8;
    }

    private Reg proto() {
        return direct ? Reg.R4 : Reg.R8;
    }

    /** A scratch register that survives the socket filter's helper calls. */
    private Reg scratch() {
        return direct ? Reg.R1 : Reg.R9;
    }

    // ---- layers ----

    private String ipv4Label;
    private String ipv6Label;
    private String arpLabel;

    /**
     * The EtherType is dispatched to the network header before it is compared with the tag
     * protocols, so an untagged frame takes one compare; each tag repeats the dispatch.
     */
    private void vlans() {
        if (!direct) {
            a.mov(Reg.R8, Reg.R3);
        }
        ipv4Label = g.label("ipv4");
        ipv6Label = g.label("ipv6");
        arpLabel = g.label("arp");
        boolean network = needsIpv4(want) || needsIpv6(want) || want.contains(ARP);
        boolean second = network || want.contains(VLAN_INNER);
        String tag1 = g.label("vlan");
        String tag2 = g.label("qinq");
        dispatchNetwork();
        jumpIfTag(tag1);
        a.ja(done);
        a.label(tag1);
        tag(VLAN, 18, 16);
        dispatchNetwork();
        if (second) {
            jumpIfTag(tag2);
        }
        a.ja(done);
        if (second) {
            a.label(tag2);
            tag(VLAN_INNER, 22, 20);
            dispatchNetwork();
            a.ja(done);
        }
        if (network) {
            network();
        }
    }

    private void jumpIfTag(String label) {
        for (int tpid : TPIDS) {
            a.jeq(etherType(), be16(tpid), label);
        }
    }

    /** A tag at the current position; the new EtherType is at frame offset {@code typeAt}. */
    private void tag(Layer layer, int end, int typeAt) {
        if (direct) {
            checkAt(layer, Reg.R2, 0, end);
            record(layer);
            a.load(Size.H, Reg.R3, Reg.R2, typeAt);
        } else {
            copy(g.buffer(layer), 4);
            record(layer);
            a.load(Size.H, Reg.R8, Reg.R10, g.buffer(layer) + 2);
        }
        advance(4);
    }

    private void dispatchNetwork() {
        if (needsIpv4(want)) {
            a.jeq(etherType(), be16(0x0800), ipv4Label);
        }
        if (needsIpv6(want)) {
            a.jeq(etherType(), be16(0x86dd), ipv6Label);
        }
        if (want.contains(ARP)) {
            a.jeq(etherType(), be16(0x0806), arpLabel);
        }
    }

    /** The network headers' blocks, then the transport headers' (the last one falls into the end). */
    private void network() {
        if (want.contains(ARP)) {
            a.label(arpLabel);
            check(ARP);
            record(ARP);
            a.ja(done);
        }
        if (needsIpv4(want)) {
            a.label(ipv4Label);
            ipv4();
        }
        if (needsIpv6(want)) {
            a.label(ipv6Label);
            ipv6();
        }
        List<Layer> blocks = new java.util.ArrayList<>();
        for (Layer l : List.of(TCP, UDP, ICMP, ICMPV6, SCTP)) {
            if (want.contains(l)) {
                blocks.add(l);
            }
        }
        for (int i = 0; i < blocks.size(); i++) {
            Layer l = blocks.get(i);
            a.label(transportLabel(l));
            check(l);
            record(l);
            if (i < blocks.size() - 1) {
                a.ja(done);
            }
        }
    }

    private String transportLabels;

    private String transportLabel(Layer l) {
        if (transportLabels == null) {
            transportLabels = g.label("l4");
        }
        return transportLabels + "_" + l.name().toLowerCase();
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

    private void transport(List<Layer> candidates) {
        for (Layer l : candidates) {
            if (want.contains(l)) {
                a.jeq(proto(), protocolNumber(l), transportLabel(l));
            }
        }
        a.ja(done);
    }

    private void ipv4() {
        check(IPV4);
        record(IPV4);
        if (!needsV4Transport(want)) {
            a.ja(done);
            return;
        }
        Reg s = scratch();
        load(Size.H, s, IPV4, 6);
        a.and(s, be16(0x1fff));
        a.jne(s, 0, done); // not the first fragment: no transport header
        load(Size.B, proto(), IPV4, 9);
        load(Size.B, s, IPV4, 0);
        a.and(s, 0x0f);
        a.jlt(s, 5, done); // a header shorter than 20 bytes: no transport header
        a.lsh(s, 2);
        advance(s);
        transport(List.of(TCP, UDP, ICMP, SCTP));
    }

    private void ipv6() {
        check(IPV6);
        record(IPV6);
        if (!walksIpv6(want)) {
            a.ja(done);
            return;
        }
        load(Size.B, proto(), IPV6, 6);
        advance(40);
        String transport = needsV6Transport(want) ? g.label("l4v6") : done;
        for (int i = 0; i < g.ipv6Headers; i++) {
            String ext = g.label("ext");
            String ah = g.label("ah");
            String frag = g.label("frag");
            String next = g.label("next");
            dispatchExtension(ext, frag, ah);
            a.ja(transport);
            a.label(ext);
            extension(1, 3);
            a.ja(next);
            a.label(ah);
            extension(2, 2);
            a.ja(next);
            a.label(frag);
            fragment();
            a.label(next);
        }
        dispatchExtension(done, done, done); // more extension headers than the walk allows
        if (needsV6Transport(want)) {
            a.label(transport);
            transport(List.of(TCP, UDP, ICMPV6, SCTP));
        } else {
            a.ja(done);
        }
    }

    private void dispatchExtension(String ext, String frag, String ah) {
        for (int type : IPV6_EXT) {
            a.jeq(proto(), type, ext);
        }
        a.jeq(proto(), IPV6_FRAG, frag);
        a.jeq(proto(), IPV6_AH, ah);
    }

    /** An extension header whose length is {@code (hdr[1] + plus) << shift} bytes. */
    private void extension(int plus, int shift) {
        Reg s = scratch();
        if (direct) {
            checkAt(null, Reg.R5, 0, 8);
            a.load(Size.B, proto(), Reg.R5, 0);
            a.load(Size.B, s, Reg.R5, 1);
        } else {
            copy(g.extBuffer(), 8);
            a.load(Size.B, proto(), Reg.R10, g.extBuffer());
            a.load(Size.B, s, Reg.R10, g.extBuffer() + 1);
        }
        a.add(s, plus);
        a.lsh(s, shift);
        advance(s);
        launder();
    }

    /**
     * Makes the verifier forget how the walk got to the current position, so that every way
     * through the extension headers reaches the next step in the same state and the verifier
     * prunes them (else it would follow each of the 3^n ways, through the whole program). Direct:
     * {@code r5 = data + ((r5 - data) & 0x7fff)} (a pointer difference is an unknown number to the
     * verifier; the mask, a no-op for any real offset, bounds it). Socket filter: the offset goes
     * through a 2-byte stack slot that is not 8-byte aligned, which the verifier does not track.
     */
    private void launder() {
        if (direct) {
            a.mov(Reg.R1, Reg.R5);
            a.sub(Reg.R1, Reg.R2);
            a.and(Reg.R1, 0x7fff);
            a.mov(Reg.R5, Reg.R2);
            a.add(Reg.R5, Reg.R1);
        } else {
            a.store(Size.H, Reg.R10, g.launderSlot(), Reg.R7);
            a.load(Size.H, Reg.R7, Reg.R10, g.launderSlot());
        }
    }

    private void fragment() {
        Reg s = scratch();
        check(IPV6_FRAGMENT);
        record(IPV6_FRAGMENT);
        load(Size.H, s, IPV6_FRAGMENT, 2);
        a.and(s, be16(0xfff8));
        load(Size.B, proto(), IPV6_FRAGMENT, 0);
        a.jne(s, 0, done); // not the first fragment: no transport header
        advance(8);
        launder();
    }
}
