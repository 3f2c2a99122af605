package io.jbpf.test.packet;

import io.jbpf.core.pcap.PcapRecord;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A packet: immutable bytes and what they start with ({@link LinkLayer}). Built fluently, with
 * lengths and checksums filled in:
 *
 * <pre>{@code
 * Packet p = Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").vlan(100)
 *         .ipv4("10.0.0.1", "10.0.0.2").tcp(1234, 80).flags(SYN).mss(1460).payload(bytes).build();
 * p.view().ipv4().get().destination();  // the parsed layers
 * p.view().checksumsValid();
 * }</pre>
 *
 * Malformed packets: override a field on its builder ({@code .checksum(0)}, {@code .ihl(4)},
 * {@code .totalLength(9999)}), or edit a built packet with {@link #truncated} and {@link #withBytes}.
 */
public final class Packet {
    private final LinkLayer link;
    private final byte[] bytes;

    Packet(LinkLayer link, byte[] bytes) {
        this.link = Objects.requireNonNull(link, "link");
        this.bytes = bytes;
    }

    /** Starts an Ethernet frame from {@code source} to {@code destination} (note the order: source first). */
    public static EthernetBuilder ether(String source, String destination) {
        return ether(MacAddress.of(source), MacAddress.of(destination));
    }

    /** Starts an Ethernet frame from {@code source} to {@code destination}. */
    public static EthernetBuilder ether(MacAddress source, MacAddress destination) {
        return new EthernetBuilder(Objects.requireNonNull(source, "source"),
                Objects.requireNonNull(destination, "destination"));
    }

    /** Starts a raw IPv4 packet (no link-layer header) from {@code source} to {@code destination}. */
    public static Ipv4Builder ipv4(String source, String destination) {
        return new EthernetlessStart().ipv4(source, destination);
    }

    /** Starts a raw IPv6 packet (no link-layer header) from {@code source} to {@code destination}. */
    public static Ipv6Builder ipv6(String source, String destination) {
        return new EthernetlessStart().ipv6(source, destination);
    }

    /** An Ethernet frame of these bytes (copied). */
    public static Packet of(byte[] bytes) {
        return new Packet(LinkLayer.ETHERNET, bytes.clone());
    }

    /** A packet of these bytes (copied), starting with {@code link}. */
    public static Packet of(LinkLayer link, byte[] bytes) {
        return new Packet(link, bytes.clone());
    }

    /** The packet of a pcap record of a file with link type {@code pcapLinkType}. */
    public static Packet of(int pcapLinkType, PcapRecord record) {
        return new Packet(LinkLayer.ofPcapLinkType(pcapLinkType), record.data());
    }

    /** What the bytes start with. */
    public LinkLayer link() {
        return link;
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The number of bytes. */
    public int length() {
        return bytes.length;
    }

    /** The bytes from the (outermost) IP header on: all of them for raw IP; empty if there is none. */
    public byte[] ipBytes() {
        PacketView v = view();
        int off = v.ipv4().map(PacketView.Ipv4::offset)
                .or(() -> v.ipv6().map(PacketView.Ipv6::offset)).orElse(bytes.length);
        return Arrays.copyOfRange(bytes, off, bytes.length);
    }

    /** The layers of this packet, parsed (leniently: a malformed packet still gives a view). */
    public PacketView view() {
        return PacketView.parse(link, bytes);
    }

    /** This packet cut to its first {@code length} bytes. */
    public Packet truncated(int length) {
        if (length < 0 || length > bytes.length) {
            throw new IllegalArgumentException("cannot truncate " + bytes.length + " bytes to " + length);
        }
        return new Packet(link, Arrays.copyOf(bytes, length));
    }

    /** This packet with {@code replacement} written over the bytes from {@code offset} on. */
    public Packet withBytes(int offset, byte... replacement) {
        if (offset < 0 || offset + replacement.length > bytes.length) {
            throw new IndexOutOfBoundsException("cannot write " + replacement.length + " bytes at " + offset
                    + " of a " + bytes.length + "-byte packet");
        }
        byte[] b = bytes.clone();
        System.arraycopy(replacement, 0, b, offset, replacement.length);
        return new Packet(link, b);
    }

    /** This packet as a pcap record captured at {@code timestamp}. */
    public PcapRecord toPcapRecord(Instant timestamp) {
        return PcapRecord.of(timestamp, bytes);
    }

    /** The bytes in lowercase hex. */
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Packet p && p.link == link && Arrays.equals(p.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return 31 * link.hashCode() + Arrays.hashCode(bytes);
    }

    /** A one-line summary of the layers, such as {@code Ethernet … / IPv4 10.0.0.1 > 10.0.0.2 / TCP 1234 > 80 [SYN]}. */
    @Override
    public String toString() {
        return view().summary();
    }

    /** The start of a chain with no Ethernet header. */
    private static final class EthernetlessStart {
        private final LayerBuilder.Chain chain = new LayerBuilder.Chain(LinkLayer.RAW_IP);

        Ipv4Builder ipv4(String source, String destination) {
            return new Ipv4Builder(chain, null, io.jbpf.test.packet.internal.Addresses.ipv4(source),
                    io.jbpf.test.packet.internal.Addresses.ipv4(destination));
        }

        Ipv6Builder ipv6(String source, String destination) {
            return new Ipv6Builder(chain, null, io.jbpf.test.packet.internal.Addresses.ipv6(source),
                    io.jbpf.test.packet.internal.Addresses.ipv6(destination));
        }
    }
}
