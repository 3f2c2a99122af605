package io.jbpf.test.packet;

import static io.jbpf.test.packet.internal.Checksum.get16;
import static io.jbpf.test.packet.internal.Checksum.get32;

import io.jbpf.test.packet.internal.Addresses;
import io.jbpf.test.packet.internal.Checksum;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The layers of a packet, parsed: Ethernet (with VLAN tags), ARP, the outermost IPv4 or IPv6
 * header (with IPv6 extension headers), and TCP, UDP, ICMP or ICMPv6 over it, then the payload.
 * Parsing is lenient: it stops at the first thing that does not fit and says what in
 * {@link #problem()}, keeping the layers read so far. Every checksum it can check is checked
 * ({@link #checksumErrors()}); a non-first fragment has no L4 header and a first fragment's L4
 * checksum cannot be checked. Offsets are from the start of the packet.
 */
public final class PacketView {
    /**
     * An Ethernet header.
     *
     * @param offset where it starts
     * @param destination the destination address
     * @param source the source address
     * @param vlanTags the VLAN tags, outermost first
     * @param etherType the EtherType after the tags
     */
    public record Ethernet(int offset, MacAddress destination, MacAddress source, List<VlanTag> vlanTags, int etherType) {
        public Ethernet {
            vlanTags = List.copyOf(vlanTags);
        }

        /** The VLAN id of the innermost tag, if there is a tag. */
        public Optional<Integer> vlan() {
            return vlanTags.isEmpty() ? Optional.empty() : Optional.of(vlanTags.get(vlanTags.size() - 1).vid());
        }
    }

    /**
     * An ARP message (IPv4 over Ethernet).
     *
     * @param offset where it starts
     * @param operation 1 request, 2 reply
     * @param senderMac sender hardware address
     * @param senderIp sender protocol address
     * @param targetMac target hardware address
     * @param targetIp target protocol address
     */
    public record Arp(int offset, int operation, MacAddress senderMac, Inet4Address senderIp, MacAddress targetMac,
            Inet4Address targetIp) {}

    /**
     * An IPv4 header.
     *
     * @param offset where it starts
     * @param version the version nibble
     * @param ihl the header length in 32-bit words
     * @param dscp differentiated services code point
     * @param ecn explicit congestion notification
     * @param totalLength the total length field
     * @param id identification
     * @param dontFragment DF
     * @param moreFragments MF
     * @param fragmentOffset the fragment offset in bytes
     * @param ttl time to live
     * @param protocol the protocol number
     * @param checksum the header checksum as found
     * @param source source address
     * @param destination destination address
     * @param options the option bytes (including padding)
     */
    public record Ipv4(int offset, int version, int ihl, int dscp, int ecn, int totalLength, int id, boolean dontFragment,
            boolean moreFragments, int fragmentOffset, int ttl, int protocol, int checksum, Inet4Address source,
            Inet4Address destination, byte[] options) {
        public Ipv4 {
            options = options.clone();
        }

        /** A copy of the option bytes. */
        @Override
        public byte[] options() {
            return options.clone();
        }

        /** The header length in bytes. */
        public int headerLength() {
            return ihl * 4;
        }

        /** Whether this is a fragment (MF set or a non-zero offset). */
        public boolean isFragment() {
            return moreFragments || fragmentOffset != 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ipv4 h && h.toString().equals(toString());
        }

        @Override
        public int hashCode() {
            return toString().hashCode();
        }

        @Override
        public String toString() {
            return "Ipv4[offset=" + offset + ", version=" + version + ", ihl=" + ihl + ", dscp=" + dscp + ", ecn=" + ecn
                    + ", totalLength=" + totalLength + ", id=" + id + ", df=" + dontFragment + ", mf=" + moreFragments
                    + ", fragmentOffset=" + fragmentOffset + ", ttl=" + ttl + ", protocol=" + protocol
                    + ", checksum=0x" + Integer.toHexString(checksum) + ", source=" + source.getHostAddress()
                    + ", destination=" + destination.getHostAddress() + ", options=" + HexFormat.of().formatHex(options)
                    + "]";
        }
    }

    /**
     * An IPv6 header.
     *
     * @param offset where it starts
     * @param trafficClass the traffic class byte
     * @param flowLabel the flow label
     * @param payloadLength the payload length field
     * @param nextHeader the next header field of the fixed header
     * @param hopLimit hop limit
     * @param source source address
     * @param destination destination address
     * @param extensions the extension headers, in order
     */
    public record Ipv6(int offset, int trafficClass, int flowLabel, int payloadLength, int nextHeader, int hopLimit,
            Inet6Address source, Inet6Address destination, List<Ipv6Extension> extensions) {
        public Ipv6 {
            extensions = List.copyOf(extensions);
        }

        /** The extension header of {@code type} (the first one), if present. */
        public Optional<Ipv6Extension> extension(int type) {
            return extensions.stream().filter(e -> e.type() == type).findFirst();
        }
    }

    /**
     * An IPv6 extension header.
     *
     * @param offset where it starts
     * @param type its type (the next-header value that announced it)
     * @param bytes all its bytes, including the next-header and length bytes
     */
    public record Ipv6Extension(int offset, int type, byte[] bytes) {
        public Ipv6Extension {
            bytes = bytes.clone();
        }

        /** A copy of the header's bytes. */
        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /** The next header field. */
        public int nextHeader() {
            return bytes[0] & 0xff;
        }

        /** For a fragment header: the offset in bytes. */
        public int fragmentOffset() {
            return get16(bytes, 2) & 0xfff8;
        }

        /** For a fragment header: the M flag. */
        public boolean moreFragments() {
            return (bytes[3] & 1) != 0;
        }

        /** For a fragment header: the identification. */
        public long fragmentId() {
            return get32(bytes, 4);
        }

        /** For a routing header: segments left. */
        public int segmentsLeft() {
            return bytes[3] & 0xff;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ipv6Extension e && e.offset == offset && e.type == type && Arrays.equals(e.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * offset + type) + Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Ipv6Extension[offset=" + offset + ", type=" + type + ", bytes=" + HexFormat.of().formatHex(bytes) + "]";
        }
    }

    /**
     * A TCP header.
     *
     * @param offset where it starts
     * @param sourcePort source port
     * @param destinationPort destination port
     * @param sequence sequence number
     * @param acknowledgment acknowledgment number
     * @param dataOffset header length in 32-bit words
     * @param flags the flags byte
     * @param window window
     * @param checksum the checksum as found
     * @param urgentPointer urgent pointer
     * @param options the options other than NOP and end-of-options, in order
     */
    public record Tcp(int offset, int sourcePort, int destinationPort, long sequence, long acknowledgment, int dataOffset,
            int flags, int window, int checksum, int urgentPointer, List<TcpOption> options) {
        public Tcp {
            options = List.copyOf(options);
        }

        /** The flags set. */
        public Set<TcpFlag> flagSet() {
            return TcpFlag.of(flags);
        }

        /** Whether {@code flag} is set. */
        public boolean has(TcpFlag flag) {
            return (flags & flag.bit()) != 0;
        }

        /** The first option of {@code kind}, if present. */
        public Optional<TcpOption> option(int kind) {
            return options.stream().filter(o -> o.kind() == kind).findFirst();
        }
    }

    /**
     * A TCP option.
     *
     * @param kind its kind
     * @param data the bytes after the kind and length bytes
     */
    public record TcpOption(int kind, byte[] data) {
        public TcpOption {
            data = data.clone();
        }

        /** A copy of the option's data. */
        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TcpOption t && t.kind == kind && Arrays.equals(t.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * kind + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "TcpOption[kind=" + kind + ", data=" + HexFormat.of().formatHex(data) + "]";
        }
    }

    /**
     * A UDP header.
     *
     * @param offset where it starts
     * @param sourcePort source port
     * @param destinationPort destination port
     * @param length the length field
     * @param checksum the checksum as found
     */
    public record Udp(int offset, int sourcePort, int destinationPort, int length, int checksum) {}

    /**
     * An ICMP or ICMPv6 header.
     *
     * @param offset where it starts
     * @param type type
     * @param code code
     * @param checksum the checksum as found
     * @param restOfHeader the 4 bytes after the checksum, big-endian
     */
    public record Icmp(int offset, int type, int code, int checksum, long restOfHeader) {
        /** For an echo: the identifier. */
        public int identifier() {
            return (int) (restOfHeader >>> 16);
        }

        /** For an echo: the sequence number. */
        public int sequence() {
            return (int) (restOfHeader & 0xffff);
        }
    }

    private final LinkLayer link;
    private final byte[] bytes;
    private Ethernet ethernet;
    private Arp arp;
    private Ipv4 ipv4;
    private Ipv6 ipv6;
    private Tcp tcp;
    private Udp udp;
    private Icmp icmp;
    private Icmp icmpv6;
    private int payloadOffset;
    private int payloadEnd;
    private String problem;
    private final List<String> checksumErrors = new ArrayList<>();

    private PacketView(LinkLayer link, byte[] bytes) {
        this.link = link;
        this.bytes = bytes;
    }

    /** Parses {@code bytes} (not copied: do not change them while using the view) starting with {@code link}. */
    public static PacketView parse(LinkLayer link, byte[] bytes) {
        PacketView v = new PacketView(link, bytes);
        v.parse();
        return v;
    }

    /** The Ethernet header, if the packet has one. */
    public Optional<Ethernet> ethernet() {
        return Optional.ofNullable(ethernet);
    }

    /** The ARP message, if there is one. */
    public Optional<Arp> arp() {
        return Optional.ofNullable(arp);
    }

    /** The outermost IPv4 header, if there is one. */
    public Optional<Ipv4> ipv4() {
        return Optional.ofNullable(ipv4);
    }

    /** The outermost IPv6 header, if there is one. */
    public Optional<Ipv6> ipv6() {
        return Optional.ofNullable(ipv6);
    }

    /** The TCP header, if there is one. */
    public Optional<Tcp> tcp() {
        return Optional.ofNullable(tcp);
    }

    /** The UDP header, if there is one. */
    public Optional<Udp> udp() {
        return Optional.ofNullable(udp);
    }

    /** The ICMP header (over IPv4), if there is one. */
    public Optional<Icmp> icmp() {
        return Optional.ofNullable(icmp);
    }

    /** The ICMPv6 header, if there is one. */
    public Optional<Icmp> icmpv6() {
        return Optional.ofNullable(icmpv6);
    }

    /** Where the payload after the innermost parsed header starts. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** A copy of the payload: the bytes after the innermost parsed header, up to the end of its layer. */
    public byte[] payload() {
        return Arrays.copyOfRange(bytes, payloadOffset, Math.max(payloadOffset, payloadEnd));
    }

    /** What made the packet malformed (truncated, bad lengths, a bad IHL …), if anything did. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** Each wrong checksum, with the value found and the value expected. */
    public List<String> checksumErrors() {
        return Collections.unmodifiableList(checksumErrors);
    }

    /** Whether the packet is well formed and every checksum it carries is right. */
    public boolean checksumsValid() {
        return problem == null && checksumErrors.isEmpty();
    }

    /** A one-line summary of the layers. */
    public String summary() {
        List<String> parts = new ArrayList<>();
        if (ethernet != null) {
            StringBuilder s = new StringBuilder("Ethernet " + ethernet.source() + " > " + ethernet.destination());
            ethernet.vlanTags().forEach(t -> s.append(" vlan ").append(t.vid()));
            parts.add(s.toString());
        }
        if (arp != null) {
            parts.add("ARP " + (arp.operation() == 1 ? "who-has " + arp.targetIp().getHostAddress() + " tell "
                    + arp.senderIp().getHostAddress() : "op " + arp.operation() + " " + arp.senderIp().getHostAddress()
                    + " is-at " + arp.senderMac()));
        }
        if (ipv4 != null) {
            parts.add("IPv4 " + ipv4.source().getHostAddress() + " > " + ipv4.destination().getHostAddress());
        }
        if (ipv6 != null) {
            parts.add("IPv6 " + ipv6.source().getHostAddress() + " > " + ipv6.destination().getHostAddress());
        }
        if (tcp != null) {
            parts.add("TCP " + tcp.sourcePort() + " > " + tcp.destinationPort() + " " + tcp.flagSet());
        }
        if (udp != null) {
            parts.add("UDP " + udp.sourcePort() + " > " + udp.destinationPort());
        }
        if (icmp != null) {
            parts.add("ICMP type " + icmp.type() + " code " + icmp.code());
        }
        if (icmpv6 != null) {
            parts.add("ICMPv6 type " + icmpv6.type() + " code " + icmpv6.code());
        }
        parts.add(Math.max(0, payloadEnd - payloadOffset) + " bytes");
        String s = String.join(" / ", parts);
        if (problem != null) {
            s += " (malformed: " + problem + ")";
        }
        if (!checksumErrors.isEmpty()) {
            s += " (" + String.join("; ", checksumErrors) + ")";
        }
        return s;
    }

    @Override
    public String toString() {
        return summary();
    }

    // ---- parsing

    private boolean need(int off, int n, int end, String what) {
        if (off + n > end) {
            fail(what + " truncated: needs " + n + " bytes at offset " + off + ", has " + Math.max(0, end - off));
            return false;
        }
        return true;
    }

    private void fail(String why) {
        if (problem == null) {
            problem = why;
        }
    }

    private void payload(int off, int end) {
        payloadOffset = Math.min(off, bytes.length);
        payloadEnd = Math.min(end, bytes.length);
    }

    private void parse() {
        payload(0, bytes.length);
        if (link == LinkLayer.ETHERNET) {
            parseEthernet();
        } else if (bytes.length == 0) {
            fail("no IP header: the packet is empty");
        } else {
            int version = (bytes[0] & 0xff) >>> 4;
            if (version == 4) {
                parseIpv4(0);
            } else if (version == 6) {
                parseIpv6(0);
            } else {
                fail("raw IP packet with version " + version);
            }
        }
    }

    private void parseEthernet() {
        int end = bytes.length;
        if (!need(0, 14, end, "Ethernet header")) {
            return;
        }
        List<VlanTag> tags = new ArrayList<>();
        int off = 12;
        int type = get16(bytes, off);
        while (type == 0x8100 || type == 0x88a8 || type == 0x9100) {
            if (!need(off, 6, end, "VLAN tag")) {
                return;
            }
            int tci = get16(bytes, off + 2);
            tags.add(new VlanTag(type, tci >>> 13, (tci & 0x1000) != 0, tci & 0xfff));
            off += 4;
            type = get16(bytes, off);
        }
        ethernet = new Ethernet(0, MacAddress.of(bytes, 0), MacAddress.of(bytes, 6), tags, type);
        off += 2;
        payload(off, end);
        switch (type) {
            case 0x0800 -> parseIpv4(off);
            case 0x86dd -> parseIpv6(off);
            case 0x0806 -> parseArp(off);
            default -> { }
        }
    }

    private void parseArp(int off) {
        if (!need(off, 28, bytes.length, "ARP message")) {
            return;
        }
        if (get16(bytes, off) != 1 || get16(bytes, off + 2) != 0x0800 || bytes[off + 4] != 6 || bytes[off + 5] != 4) {
            fail("ARP message not for IPv4 over Ethernet");
            return;
        }
        arp = new Arp(off, get16(bytes, off + 6), MacAddress.of(bytes, off + 8), Addresses.inet4(bytes, off + 14),
                MacAddress.of(bytes, off + 18), Addresses.inet4(bytes, off + 24));
        payload(off + 28, bytes.length);
    }

    private void parseIpv4(int off) {
        int avail = bytes.length;
        if (!need(off, 20, avail, "IPv4 header")) {
            return;
        }
        int version = (bytes[off] & 0xff) >>> 4;
        if (version != 4) {
            fail("IPv4 header with version " + version);
            return;
        }
        int ihl = bytes[off] & 0x0f;
        if (ihl < 5) {
            fail("IPv4 IHL " + ihl + " is below 5");
            return;
        }
        int hlen = ihl * 4;
        if (!need(off, hlen, avail, "IPv4 header with IHL " + ihl)) {
            return;
        }
        int total = get16(bytes, off + 2);
        int frag = get16(bytes, off + 6);
        ipv4 = new Ipv4(off, version, ihl, (bytes[off + 1] & 0xff) >>> 2, bytes[off + 1] & 3, total,
                get16(bytes, off + 4), (frag & 0x4000) != 0, (frag & 0x2000) != 0, (frag & 0x1fff) * 8,
                bytes[off + 8] & 0xff, bytes[off + 9] & 0xff, get16(bytes, off + 10), Addresses.inet4(bytes, off + 12),
                Addresses.inet4(bytes, off + 16), Arrays.copyOfRange(bytes, off + 20, off + hlen));
        verify("IPv4 header", 0, off, hlen, off + 10);
        if (total < hlen) {
            fail("IPv4 total length " + total + " is less than the header length " + hlen);
            return;
        }
        if (off + total > avail) {
            fail("IPv4 total length " + total + " but only " + (avail - off) + " bytes");
            return;
        }
        int end = off + total;
        payload(off + hlen, end);
        if (ipv4.fragmentOffset() != 0) {
            return;
        }
        long pseudo = Checksum.pseudoHeader(Arrays.copyOfRange(bytes, off + 12, off + 16),
                Arrays.copyOfRange(bytes, off + 16, off + 20), ipv4.protocol(), end - off - hlen);
        upper(ipv4.protocol(), off + hlen, end, pseudo, false, !ipv4.moreFragments());
    }

    private void parseIpv6(int off) {
        int avail = bytes.length;
        if (!need(off, 40, avail, "IPv6 header")) {
            return;
        }
        long first = get32(bytes, off);
        int version = (int) (first >>> 28);
        if (version != 6) {
            fail("IPv6 header with version " + version);
            return;
        }
        int payloadLength = get16(bytes, off + 4);
        int next = bytes[off + 6] & 0xff;
        Inet6Address src = Addresses.inet6(bytes, off + 8);
        Inet6Address dst = Addresses.inet6(bytes, off + 24);
        byte[] finalDst = Arrays.copyOfRange(bytes, off + 24, off + 40);
        List<Ipv6Extension> exts = new ArrayList<>();
        int end = off + 40 + payloadLength;
        boolean lengthOk = end <= avail;
        if (!lengthOk) {
            fail("IPv6 payload length " + payloadLength + " but only " + (avail - off - 40) + " bytes");
            end = avail;
        }
        int p = off + 40;
        boolean checkable = true;
        boolean laterFragment = false;
        while (next == 0 || next == 43 || next == 44 || next == 60) {
            if (!need(p, 8, end, "IPv6 extension header " + next)) {
                break;
            }
            int len = next == 44 ? 8 : ((bytes[p + 1] & 0xff) + 1) * 8;
            if (!need(p, len, end, "IPv6 extension header " + next)) {
                break;
            }
            Ipv6Extension e = new Ipv6Extension(p, next, Arrays.copyOfRange(bytes, p, p + len));
            exts.add(e);
            if (next == 43 && (bytes[p + 2] == 0 || bytes[p + 2] == 2) && len >= 24) {
                int n = (bytes[p + 1] & 0xff) / 2;
                finalDst = Arrays.copyOfRange(bytes, p + 8 + 16 * (n - 1), p + 8 + 16 * n);
            }
            if (next == 44) {
                checkable &= !e.moreFragments();
                laterFragment |= e.fragmentOffset() != 0;
            }
            next = bytes[p] & 0xff;
            p += len;
        }
        ipv6 = new Ipv6(off, (int) ((first >>> 20) & 0xff), (int) (first & 0xfffff), payloadLength,
                bytes[off + 6] & 0xff, bytes[off + 7] & 0xff, src, dst, exts);
        if (problem != null) {
            payload(Math.min(p, end), end);
            return;
        }
        payload(p, end);
        if (laterFragment) {
            return;
        }
        long pseudo = Checksum.pseudoHeader(Arrays.copyOfRange(bytes, off + 8, off + 24), finalDst, next, end - p);
        upper(next, p, end, pseudo, true, checkable);
    }

    private void upper(int protocol, int off, int end, long pseudo, boolean v6, boolean checkable) {
        switch (protocol) {
            case 6 -> {
                if (!need(off, 20, end, "TCP header")) {
                    return;
                }
                int doff = (bytes[off + 12] & 0xff) >>> 4;
                if (doff < 5) {
                    fail("TCP data offset " + doff + " is below 5");
                    return;
                }
                if (!need(off, doff * 4, end, "TCP header with data offset " + doff)) {
                    return;
                }
                List<TcpOption> options = new ArrayList<>();
                for (int i = off + 20; i < off + doff * 4;) {
                    int kind = bytes[i] & 0xff;
                    if (kind == 0) {
                        break;
                    }
                    if (kind == 1) {
                        i++;
                        continue;
                    }
                    int len = i + 1 < off + doff * 4 ? bytes[i + 1] & 0xff : 0;
                    if (len < 2 || i + len > off + doff * 4) {
                        fail("TCP option " + kind + " at offset " + i + " has a bad length " + len);
                        break;
                    }
                    options.add(new TcpOption(kind, Arrays.copyOfRange(bytes, i + 2, i + len)));
                    i += len;
                }
                tcp = new Tcp(off, get16(bytes, off), get16(bytes, off + 2), get32(bytes, off + 4), get32(bytes, off + 8),
                        doff, bytes[off + 13] & 0xff, get16(bytes, off + 14), get16(bytes, off + 16),
                        get16(bytes, off + 18), options);
                payload(off + doff * 4, end);
                if (checkable) {
                    verify("TCP", pseudo, off, end - off, off + 16);
                }
            }
            case 17 -> {
                if (!need(off, 8, end, "UDP header")) {
                    return;
                }
                udp = new Udp(off, get16(bytes, off), get16(bytes, off + 2), get16(bytes, off + 4), get16(bytes, off + 6));
                int len = udp.length();
                if (len < 8 || len != end - off) {
                    fail("UDP length " + len + " but the IP payload is " + (end - off) + " bytes");
                    payload(off + 8, end);
                    return;
                }
                payload(off + 8, end);
                if (!checkable) {
                    return;
                }
                if (udp.checksum() == 0) {
                    if (v6) {
                        checksumErrors.add("UDP checksum 0 (none) is not allowed over IPv6");
                    }
                    return;
                }
                verify("UDP", pseudo, off, len, off + 6);
            }
            case 1, 58 -> {
                if (protocol == 1 && v6 || protocol == 58 && !v6) {
                    return;
                }
                if (!need(off, 8, end, protocol == 1 ? "ICMP header" : "ICMPv6 header")) {
                    return;
                }
                Icmp h = new Icmp(off, bytes[off] & 0xff, bytes[off + 1] & 0xff, get16(bytes, off + 2), get32(bytes, off + 4));
                payload(off + 8, end);
                if (v6) {
                    icmpv6 = h;
                    if (checkable) {
                        verify("ICMPv6", pseudo, off, end - off, off + 2);
                    }
                } else {
                    icmp = h;
                    if (checkable) {
                        verify("ICMP", 0, off, end - off, off + 2);
                    }
                }
            }
            default -> { }
        }
    }

    private void verify(String what, long pseudo, int off, int len, int field) {
        long sum = Checksum.add(pseudo, bytes, off, len);
        if (Checksum.finish(sum) != 0) {
            int found = get16(bytes, field);
            int expected = Checksum.finish(sum - found);
            checksumErrors.add(String.format("%s checksum 0x%04x is wrong, expected 0x%04x", what, found, expected));
        }
    }
}
