package io.jbpf.test.packet;

import io.jbpf.test.packet.internal.Checksum;

/**
 * A UDP header (RFC 768). Length and the checksum (over the pseudo-header of the IP layer around
 * it; a computed 0 is sent as 0xffff) are filled in unless set explicitly.
 */
public final class UdpBuilder extends LayerBuilder {
    private final int sourcePort;
    private final int destinationPort;
    private Integer length;
    private Integer checksum;

    UdpBuilder(Chain chain, LayerBuilder parent, int sourcePort, int destinationPort) {
        super(chain, parent);
        checkRange("source port", sourcePort, 0xffff);
        checkRange("destination port", destinationPort, 0xffff);
        this.sourcePort = sourcePort;
        this.destinationPort = destinationPort;
    }

    /** Overrides the length field: for malformed packets. */
    public UdpBuilder length(int length) {
        checkRange("UDP length", length, 0xffff);
        this.length = length;
        return this;
    }

    /** Overrides the checksum: for malformed packets (0 means "no checksum", valid over IPv4 only). */
    public UdpBuilder checksum(int checksum) {
        checkRange("UDP checksum", checksum, 0xffff);
        this.checksum = checksum;
        return this;
    }

    /** Sets the datagram's data. */
    public UdpBuilder payload(byte[] payload) {
        setPayload(payload);
        return this;
    }

    @Override
    int ipProtocol() {
        return 17;
    }

    @Override
    byte[] encode() {
        byte[] data = inner();
        byte[] d = new byte[8 + data.length];
        Checksum.put16(d, 0, sourcePort);
        Checksum.put16(d, 2, destinationPort);
        Checksum.put16(d, 4, length != null ? length : Math.min(0xffff, d.length));
        System.arraycopy(data, 0, d, 8, data.length);
        int sum;
        if (checksum != null) {
            sum = checksum;
        } else {
            sum = Checksum.compute(parent.pseudoHeader(17, d.length), d, 0, d.length);
            sum = sum == 0 ? 0xffff : sum;
        }
        Checksum.put16(d, 6, sum);
        return d;
    }

    @Override
    String name() {
        return "UDP";
    }
}
