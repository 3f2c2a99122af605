package io.jbpf.test.packet;

import io.jbpf.test.packet.internal.Addresses;
import io.jbpf.test.packet.internal.Checksum;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * An IPv6 header (RFC 8200) and its extension headers, in the order added: hop limit 64, traffic
 * class and flow label 0 unless set. Payload length and every next-header field are computed
 * unless set explicitly. For the pseudo-header of TCP, UDP and ICMPv6 the destination is the last
 * address of a type 0 or 2 routing header if there is one (as tcpdump and RFC 8200 take it).
 */
public final class Ipv6Builder extends LayerBuilder {
    /** Next-header numbers of the extension headers. */
    public static final int HOP_BY_HOP = 0, ROUTING = 43, FRAGMENT = 44, DESTINATION_OPTIONS = 60, NO_NEXT_HEADER = 59;

    private record Extension(int type, byte[] body, byte[] finalDestination) {}

    private final byte[] source;
    private final byte[] destination;
    private int trafficClass;
    private int flowLabel;
    private int hopLimit = 64;
    private boolean hopLimitSet;
    private final List<Extension> extensions = new ArrayList<>();
    private Integer nextHeader;
    private Integer payloadLength;

    Ipv6Builder(Chain chain, LayerBuilder parent, byte[] source, byte[] destination) {
        super(chain, parent);
        this.source = source;
        this.destination = destination;
    }

    /** Sets the hop limit (default 64; 255 for neighbour discovery messages unless set). */
    public Ipv6Builder hopLimit(int hopLimit) {
        checkRange("hop limit", hopLimit, 255);
        this.hopLimit = hopLimit;
        this.hopLimitSet = true;
        return this;
    }

    /** Sets the traffic class byte (DSCP in the upper 6 bits, ECN in the lower 2). */
    public Ipv6Builder trafficClass(int trafficClass) {
        checkRange("traffic class", trafficClass, 255);
        this.trafficClass = trafficClass;
        return this;
    }

    /** Sets the 20-bit flow label. */
    public Ipv6Builder flowLabel(int flowLabel) {
        checkRange("flow label", flowLabel, 0xfffff);
        this.flowLabel = flowLabel;
        return this;
    }

    /** Adds a hop-by-hop options header holding only padding. */
    public Ipv6Builder hopByHop() {
        return hopByHop(new byte[0]);
    }

    /**
     * Adds a hop-by-hop options header holding {@code options} (type-length-value encoded),
     * padded with Pad1/PadN to a multiple of 8 bytes.
     */
    public Ipv6Builder hopByHop(byte[] options) {
        extensions.add(new Extension(HOP_BY_HOP, padOptions(options), null));
        return this;
    }

    /** Adds a destination options header holding only padding. */
    public Ipv6Builder destinationOptions() {
        return destinationOptions(new byte[0]);
    }

    /** Adds a destination options header holding {@code options}, padded like {@link #hopByHop(byte[])}. */
    public Ipv6Builder destinationOptions(byte[] options) {
        extensions.add(new Extension(DESTINATION_OPTIONS, padOptions(options), null));
        return this;
    }

    /**
     * Adds a type 0 routing header (deprecated by RFC 5095, but a fine malformed-input case) with
     * {@code segmentsLeft} and {@code addresses}; the last address is the final destination.
     */
    public Ipv6Builder routing(int segmentsLeft, String... addresses) {
        return routing(0, segmentsLeft, addresses);
    }

    /**
     * Adds a routing header of {@code type} (0 or 2: the layout with 4 reserved bytes, then
     * addresses) with {@code segmentsLeft} and {@code addresses}.
     */
    public Ipv6Builder routing(int type, int segmentsLeft, String... addresses) {
        checkRange("routing type", type, 255);
        checkRange("segments left", segmentsLeft, 255);
        byte[] body = new byte[6 + 16 * addresses.length];
        body[0] = (byte) type;
        body[1] = (byte) segmentsLeft;
        byte[] last = null;
        for (int i = 0; i < addresses.length; i++) {
            last = Addresses.ipv6(addresses[i]);
            System.arraycopy(last, 0, body, 6 + 16 * i, 16);
        }
        extensions.add(new Extension(ROUTING, body, type == 0 || type == 2 ? last : null));
        return this;
    }

    /**
     * Adds a fragment header: {@code offset} in bytes (a multiple of 8), the M flag, and the
     * 32-bit identification.
     */
    public Ipv6Builder fragment(int offset, boolean more, long identification) {
        checkRange("fragment offset", offset, 0xfff8);
        checkRange("fragment identification", identification, 0xffffffffL);
        if (offset % 8 != 0) {
            throw new IllegalArgumentException("fragment offset must be a multiple of 8 bytes: " + offset);
        }
        byte[] body = new byte[6];
        Checksum.put16(body, 0, offset | (more ? 1 : 0));
        Checksum.put32(body, 2, identification);
        extensions.add(new Extension(FRAGMENT, body, null));
        return this;
    }

    /**
     * Adds an extension header of any {@code type} whose bytes after the next-header and length
     * bytes are {@code body} (8n + 6 bytes long).
     */
    public Ipv6Builder extension(int type, byte[] body) {
        checkRange("extension header type", type, 255);
        if (body.length % 8 != 6 || body.length > 6 + 8 * 255) {
            throw new IllegalArgumentException("an extension header body has 8n+6 bytes: " + body.length);
        }
        extensions.add(new Extension(type, body.clone(), null));
        return this;
    }

    /** Sets the next header of the last header instead of deriving it from the inner layer. */
    public Ipv6Builder nextHeader(int nextHeader) {
        checkRange("next header", nextHeader, 255);
        this.nextHeader = nextHeader;
        return this;
    }

    /** Overrides the payload length field: for malformed packets. */
    public Ipv6Builder payloadLength(int payloadLength) {
        checkRange("payload length", payloadLength, 0xffff);
        this.payloadLength = payloadLength;
        return this;
    }

    /** Carries a TCP segment. */
    public TcpBuilder tcp(int sourcePort, int destinationPort) {
        return new TcpBuilder(chain, this, sourcePort, destinationPort);
    }

    /** Carries a UDP datagram. */
    public UdpBuilder udp(int sourcePort, int destinationPort) {
        return new UdpBuilder(chain, this, sourcePort, destinationPort);
    }

    /** Carries an ICMPv6 echo request (type 128). */
    public IcmpBuilder icmpv6EchoRequest(int identifier, int sequence) {
        return new IcmpBuilder(chain, this, true, 128, 0, 0).echo(identifier, sequence);
    }

    /** Carries an ICMPv6 echo reply (type 129). */
    public IcmpBuilder icmpv6EchoReply(int identifier, int sequence) {
        return new IcmpBuilder(chain, this, true, 129, 0, 0).echo(identifier, sequence);
    }

    /**
     * Carries a neighbour solicitation (type 135) for {@code target}, with a source link-layer
     * address option holding the Ethernet source when there is an Ethernet header.
     */
    public IcmpBuilder neighborSolicitation(String target) {
        return ndp(135, 0, target, 1);
    }

    /**
     * Carries a neighbour advertisement (type 136) for {@code target} with the router, solicited
     * and override flags, and a target link-layer address option holding the Ethernet source when
     * there is an Ethernet header.
     */
    public IcmpBuilder neighborAdvertisement(String target, boolean router, boolean solicited, boolean override) {
        int flags = (router ? 0x8000_0000 : 0) | (solicited ? 0x4000_0000 : 0) | (override ? 0x2000_0000 : 0);
        return ndp(136, flags, target, 2);
    }

    private IcmpBuilder ndp(int type, int flags, String target, int optionType) {
        if (!hopLimitSet) {
            hopLimit = 255;
        }
        byte[] body = Addresses.ipv6(target);
        if (parent instanceof EthernetBuilder e) {
            byte[] withOption = new byte[24];
            System.arraycopy(body, 0, withOption, 0, 16);
            withOption[16] = (byte) optionType;
            withOption[17] = 1;
            System.arraycopy(e.source().bytes(), 0, withOption, 18, 6);
            body = withOption;
        }
        return new IcmpBuilder(chain, this, true, type, 0, flags).payload(body);
    }

    /** Carries an ICMPv6 destination unreachable (type 1) with {@code code} quoting {@code original}. */
    public IcmpBuilder icmpv6DestinationUnreachable(int code, Packet original) {
        return new IcmpBuilder(chain, this, true, 1, code, 0).payload(original.ipBytes());
    }

    /** Carries an ICMPv6 message of any type and code; the 4 bytes after the checksum are zero. */
    public IcmpBuilder icmpv6(int type, int code) {
        return new IcmpBuilder(chain, this, true, type, code, 0);
    }

    /** Carries an IPv4 packet (next header 4). */
    public Ipv4Builder ipv4(String source, String destination) {
        return new Ipv4Builder(chain, this, Addresses.ipv4(source), Addresses.ipv4(destination));
    }

    /** Carries an IPv6 packet (next header 41). */
    public Ipv6Builder ipv6(String source, String destination) {
        return new Ipv6Builder(chain, this, Addresses.ipv6(source), Addresses.ipv6(destination));
    }

    /** Sets the bytes after the last IPv6 header (when no inner layer is added). */
    public Ipv6Builder payload(byte[] payload) {
        setPayload(payload);
        return this;
    }

    @Override
    int ipProtocol() {
        return 41;
    }

    @Override
    long pseudoHeader(int upperProtocol, int length) {
        byte[] dst = destination;
        for (Extension e : extensions) {
            if (e.finalDestination() != null) {
                dst = e.finalDestination();
            }
        }
        return Checksum.pseudoHeader(source, dst, upperProtocol, length);
    }

    @Override
    byte[] encode() {
        byte[] inner = inner();
        int last = nextHeader != null ? nextHeader : child != null ? child.ipProtocol() : NO_NEXT_HEADER;
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        for (int i = 0; i < extensions.size(); i++) {
            Extension e = extensions.get(i);
            ext.write(i + 1 < extensions.size() ? extensions.get(i + 1).type() : last);
            ext.write(e.type() == FRAGMENT ? 0 : (e.body().length + 2) / 8 - 1);
            ext.writeBytes(e.body());
        }
        byte[] exts = ext.toByteArray();
        byte[] h = new byte[40 + exts.length];
        Checksum.put32(h, 0, (6L << 28) | ((long) trafficClass << 20) | flowLabel);
        Checksum.put16(h, 4, payloadLength != null ? payloadLength : Math.min(0xffff, exts.length + inner.length));
        h[6] = (byte) (extensions.isEmpty() ? last : extensions.get(0).type());
        h[7] = (byte) hopLimit;
        System.arraycopy(source, 0, h, 8, 16);
        System.arraycopy(destination, 0, h, 24, 16);
        System.arraycopy(exts, 0, h, 40, exts.length);
        return concat(h, inner);
    }

    @Override
    String name() {
        return "IPv6";
    }

    /** {@code options} padded so that with the 2 leading bytes they fill a multiple of 8. */
    private static byte[] padOptions(byte[] options) {
        int total = (options.length + 2 + 7) & ~7;
        int pad = total - 2 - options.length;
        byte[] body = new byte[total - 2];
        System.arraycopy(options, 0, body, 0, options.length);
        if (pad == 1) {
            body[options.length] = 0; // Pad1
        } else if (pad > 1) {
            body[options.length] = 1; // PadN
            body[options.length + 1] = (byte) (pad - 2);
        }
        if (total > 8 * 256) {
            throw new IllegalArgumentException("options too long for one extension header: " + options.length);
        }
        return body;
    }
}
