package io.jbpf.test.packet;

import io.jbpf.test.packet.internal.Addresses;
import io.jbpf.test.packet.internal.Checksum;
import java.io.ByteArrayOutputStream;

/**
 * An IPv4 header (RFC 791): TTL 64, no fragmentation flags, identification 0 and no options unless
 * set. IHL, total length, protocol and the header checksum are computed unless set explicitly;
 * the checksum is computed over the header bytes as written (so an overridden IHL is not
 * "corrected" by it).
 */
public final class Ipv4Builder extends LayerBuilder {
    private final byte[] source;
    private final byte[] destination;
    private int version = 4;
    private int dscp;
    private int ecn;
    private int id;
    private boolean dontFragment;
    private boolean moreFragments;
    private int fragmentOffset;
    private int ttl = 64;
    private final ByteArrayOutputStream options = new ByteArrayOutputStream();
    private Integer protocol;
    private Integer ihl;
    private Integer totalLength;
    private Integer checksum;

    Ipv4Builder(Chain chain, LayerBuilder parent, byte[] source, byte[] destination) {
        super(chain, parent);
        this.source = source;
        this.destination = destination;
    }

    /** Sets the time to live (default 64). */
    public Ipv4Builder ttl(int ttl) {
        checkRange("TTL", ttl, 255);
        this.ttl = ttl;
        return this;
    }

    /** Sets the identification field. */
    public Ipv4Builder id(int id) {
        checkRange("IPv4 identification", id, 0xffff);
        this.id = id;
        return this;
    }

    /** Sets the differentiated services code point (the upper 6 bits of the TOS byte). */
    public Ipv4Builder dscp(int dscp) {
        checkRange("DSCP", dscp, 63);
        this.dscp = dscp;
        return this;
    }

    /** Sets the explicit congestion notification bits (the lower 2 bits of the TOS byte). */
    public Ipv4Builder ecn(int ecn) {
        checkRange("ECN", ecn, 3);
        this.ecn = ecn;
        return this;
    }

    /** Sets the don't-fragment (DF) flag. */
    public Ipv4Builder dontFragment() {
        this.dontFragment = true;
        return this;
    }

    /** Sets the more-fragments (MF) flag. */
    public Ipv4Builder moreFragments() {
        this.moreFragments = true;
        return this;
    }

    /** Sets the fragment offset, in bytes: a multiple of 8 up to 65528. */
    public Ipv4Builder fragmentOffset(int bytes) {
        checkRange("fragment offset", bytes, 0xfff8);
        if (bytes % 8 != 0) {
            throw new IllegalArgumentException("fragment offset must be a multiple of 8 bytes: " + bytes);
        }
        this.fragmentOffset = bytes;
        return this;
    }

    /** Appends an option of {@code type} with a length byte and {@code data} (RFC 791 format). */
    public Ipv4Builder option(int type, byte... data) {
        checkRange("IPv4 option type", type, 255);
        checkRange("IPv4 option data length", data.length, 38);
        options.write(type);
        options.write(2 + data.length);
        options.writeBytes(data);
        return this;
    }

    /** Appends a no-operation option (one byte, type 1). */
    public Ipv4Builder nop() {
        options.write(1);
        return this;
    }

    /** Appends the router alert option (RFC 2113, type 148, value 0). */
    public Ipv4Builder routerAlert() {
        return option(148, (byte) 0, (byte) 0);
    }

    /** Appends {@code bytes} to the options as they are (end-of-options padding still follows). */
    public Ipv4Builder rawOptions(byte... bytes) {
        options.writeBytes(bytes);
        return this;
    }

    /** Sets the protocol number instead of deriving it from the inner layer. */
    public Ipv4Builder protocol(int protocol) {
        checkRange("IP protocol", protocol, 255);
        this.protocol = protocol;
        return this;
    }

    /** Overrides the version nibble (default 4): for malformed packets. */
    public Ipv4Builder version(int version) {
        checkRange("IP version", version, 15);
        this.version = version;
        return this;
    }

    /** Overrides the header length field (in 32-bit words): for malformed packets. */
    public Ipv4Builder ihl(int ihl) {
        checkRange("IHL", ihl, 15);
        this.ihl = ihl;
        return this;
    }

    /** Overrides the total length field: for malformed packets. */
    public Ipv4Builder totalLength(int totalLength) {
        checkRange("IPv4 total length", totalLength, 0xffff);
        this.totalLength = totalLength;
        return this;
    }

    /** Overrides the header checksum: for malformed packets. */
    public Ipv4Builder checksum(int checksum) {
        checkRange("IPv4 checksum", checksum, 0xffff);
        this.checksum = checksum;
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

    /** Carries an ICMP echo request (type 8). */
    public IcmpBuilder icmpEchoRequest(int identifier, int sequence) {
        return new IcmpBuilder(chain, this, false, 8, 0, 0).echo(identifier, sequence);
    }

    /** Carries an ICMP echo reply (type 0). */
    public IcmpBuilder icmpEchoReply(int identifier, int sequence) {
        return new IcmpBuilder(chain, this, false, 0, 0, 0).echo(identifier, sequence);
    }

    /**
     * Carries an ICMP destination unreachable (type 3) with {@code code} (3 port unreachable, 4
     * fragmentation needed, …) quoting {@code original} from its IP header on.
     */
    public IcmpBuilder icmpDestinationUnreachable(int code, Packet original) {
        return new IcmpBuilder(chain, this, false, 3, code, 0).payload(original.ipBytes());
    }

    /** Carries an ICMP message of any type and code; the 4 bytes after the checksum are zero. */
    public IcmpBuilder icmp(int type, int code) {
        return new IcmpBuilder(chain, this, false, type, code, 0);
    }

    /** Carries an IPv4 packet (IP in IP, protocol 4). */
    public Ipv4Builder ipv4(String source, String destination) {
        return new Ipv4Builder(chain, this, Addresses.ipv4(source), Addresses.ipv4(destination));
    }

    /** Carries an IPv6 packet (protocol 41). */
    public Ipv6Builder ipv6(String source, String destination) {
        return new Ipv6Builder(chain, this, Addresses.ipv6(source), Addresses.ipv6(destination));
    }

    /** Sets the bytes after the IPv4 header (when no inner layer is added). */
    public Ipv4Builder payload(byte[] payload) {
        setPayload(payload);
        return this;
    }

    @Override
    int ipProtocol() {
        return 4;
    }

    @Override
    long pseudoHeader(int upperProtocol, int length) {
        return Checksum.pseudoHeader(source, destination, upperProtocol, length);
    }

    @Override
    byte[] encode() {
        byte[] inner = inner();
        byte[] opts = options.toByteArray();
        int optLen = (opts.length + 3) & ~3;
        if (20 + optLen > 60) {
            throw new IllegalStateException("IPv4 options take " + opts.length + " bytes; at most 40 fit");
        }
        byte[] h = new byte[20 + optLen];
        h[0] = (byte) ((version << 4) | (ihl != null ? ihl : h.length / 4));
        h[1] = (byte) ((dscp << 2) | ecn);
        Checksum.put16(h, 2, totalLength != null ? totalLength : Math.min(0xffff, h.length + inner.length));
        Checksum.put16(h, 4, id);
        Checksum.put16(h, 6, (dontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0) | (fragmentOffset >>> 3));
        h[8] = (byte) ttl;
        int proto = protocol != null ? protocol : child != null ? child.ipProtocol() : 253 /* RFC 3692 experimental */;
        h[9] = (byte) proto;
        System.arraycopy(source, 0, h, 12, 4);
        System.arraycopy(destination, 0, h, 16, 4);
        System.arraycopy(opts, 0, h, 20, opts.length);
        Checksum.put16(h, 10, checksum != null ? checksum : Checksum.compute(0, h, 0, h.length));
        return concat(h, inner);
    }

    @Override
    String name() {
        return "IPv4";
    }
}
