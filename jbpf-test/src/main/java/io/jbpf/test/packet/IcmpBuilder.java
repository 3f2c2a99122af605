package io.jbpf.test.packet;

import io.jbpf.test.packet.internal.Checksum;

/**
 * An ICMP (RFC 792) or ICMPv6 (RFC 4443) message: type, code, checksum, the 4 "rest of header"
 * bytes (identifier and sequence of an echo, flags of a neighbour advertisement, the MTU of a
 * "fragmentation needed"), then the body ({@link #payload}). The checksum covers the message, and
 * for ICMPv6 also the IPv6 pseudo-header; it is computed unless set explicitly.
 */
public final class IcmpBuilder extends LayerBuilder {
    private final boolean v6;
    private int type;
    private int code;
    private int restOfHeader;
    private Integer checksum;

    IcmpBuilder(Chain chain, LayerBuilder parent, boolean v6, int type, int code, int restOfHeader) {
        super(chain, parent);
        checkRange("ICMP type", type, 255);
        checkRange("ICMP code", code, 255);
        this.v6 = v6;
        this.type = type;
        this.code = code;
        this.restOfHeader = restOfHeader;
    }

    IcmpBuilder echo(int identifier, int sequence) {
        checkRange("echo identifier", identifier, 0xffff);
        checkRange("echo sequence", sequence, 0xffff);
        this.restOfHeader = (identifier << 16) | sequence;
        return this;
    }

    /** Sets the type. */
    public IcmpBuilder type(int type) {
        checkRange("ICMP type", type, 255);
        this.type = type;
        return this;
    }

    /** Sets the code. */
    public IcmpBuilder code(int code) {
        checkRange("ICMP code", code, 255);
        this.code = code;
        return this;
    }

    /** Sets the 4 bytes after the checksum, as a big-endian 32-bit value. */
    public IcmpBuilder restOfHeader(int value) {
        this.restOfHeader = value;
        return this;
    }

    /** Overrides the checksum: for malformed packets. */
    public IcmpBuilder checksum(int checksum) {
        checkRange("ICMP checksum", checksum, 0xffff);
        this.checksum = checksum;
        return this;
    }

    /** Sets the message body (after the 8-byte header). */
    public IcmpBuilder payload(byte[] payload) {
        setPayload(payload);
        return this;
    }

    @Override
    int ipProtocol() {
        return v6 ? 58 : 1;
    }

    @Override
    byte[] encode() {
        byte[] body = inner();
        byte[] m = new byte[8 + body.length];
        m[0] = (byte) type;
        m[1] = (byte) code;
        Checksum.put32(m, 4, restOfHeader & 0xffffffffL);
        System.arraycopy(body, 0, m, 8, body.length);
        long pseudo = v6 ? parent.pseudoHeader(58, m.length) : 0;
        Checksum.put16(m, 2, checksum != null ? checksum : Checksum.compute(pseudo, m, 0, m.length));
        return m;
    }

    @Override
    String name() {
        return v6 ? "ICMPv6" : "ICMP";
    }
}
