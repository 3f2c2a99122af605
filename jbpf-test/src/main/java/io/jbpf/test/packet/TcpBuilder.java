package io.jbpf.test.packet;

import io.jbpf.test.packet.internal.Checksum;
import java.io.ByteArrayOutputStream;

/**
 * A TCP header (RFC 9293): no flags, sequence and acknowledgment 0, window 65535 and no options
 * unless set. Options are written in the order added and padded with end-of-options to a
 * multiple of 4 bytes. Data offset and the checksum (over the pseudo-header of the IP layer
 * around it) are computed unless set explicitly.
 */
public final class TcpBuilder extends LayerBuilder {
    private final int sourcePort;
    private final int destinationPort;
    private long sequence;
    private long acknowledgment;
    private int flags;
    private int window = 65535;
    private int urgentPointer;
    private final ByteArrayOutputStream options = new ByteArrayOutputStream();
    private Integer dataOffset;
    private Integer checksum;

    TcpBuilder(Chain chain, LayerBuilder parent, int sourcePort, int destinationPort) {
        super(chain, parent);
        checkRange("source port", sourcePort, 0xffff);
        checkRange("destination port", destinationPort, 0xffff);
        this.sourcePort = sourcePort;
        this.destinationPort = destinationPort;
    }

    /** Sets exactly these flags. */
    public TcpBuilder flags(TcpFlag... flags) {
        this.flags = TcpFlag.bits(flags);
        return this;
    }

    /** Sets the flags byte as it is (any combination). */
    public TcpBuilder flags(int bits) {
        checkRange("TCP flags", bits, 0xff);
        this.flags = bits;
        return this;
    }

    /** Sets the sequence number (unsigned 32 bits). */
    public TcpBuilder seq(long sequence) {
        checkRange("sequence number", sequence, 0xffffffffL);
        this.sequence = sequence;
        return this;
    }

    /** Sets the acknowledgment number (unsigned 32 bits); does not set the ACK flag. */
    public TcpBuilder ack(long acknowledgment) {
        checkRange("acknowledgment number", acknowledgment, 0xffffffffL);
        this.acknowledgment = acknowledgment;
        return this;
    }

    /** Sets the window (default 65535). */
    public TcpBuilder window(int window) {
        checkRange("window", window, 0xffff);
        this.window = window;
        return this;
    }

    /** Sets the urgent pointer. */
    public TcpBuilder urgentPointer(int urgentPointer) {
        checkRange("urgent pointer", urgentPointer, 0xffff);
        this.urgentPointer = urgentPointer;
        return this;
    }

    /** Appends a maximum segment size option (kind 2). */
    public TcpBuilder mss(int mss) {
        checkRange("MSS", mss, 0xffff);
        return option(2, (byte) (mss >>> 8), (byte) mss);
    }

    /** Appends a window scale option (kind 3) with shift count {@code shift}. */
    public TcpBuilder windowScale(int shift) {
        checkRange("window scale", shift, 255);
        return option(3, (byte) shift);
    }

    /** Appends a SACK-permitted option (kind 4). */
    public TcpBuilder sackPermitted() {
        return option(4);
    }

    /** Appends a SACK option (kind 5) with blocks given as left, right edge pairs. */
    public TcpBuilder sack(long... edges) {
        if (edges.length == 0 || edges.length % 2 != 0 || edges.length > 8) {
            throw new IllegalArgumentException("SACK takes 1 to 4 (left, right) pairs: " + edges.length + " edges");
        }
        byte[] data = new byte[4 * edges.length];
        for (int i = 0; i < edges.length; i++) {
            checkRange("SACK edge", edges[i], 0xffffffffL);
            Checksum.put32(data, 4 * i, edges[i]);
        }
        return option(5, data);
    }

    /** Appends a timestamps option (kind 8). */
    public TcpBuilder timestamps(long value, long echoReply) {
        checkRange("timestamp value", value, 0xffffffffL);
        checkRange("timestamp echo reply", echoReply, 0xffffffffL);
        byte[] data = new byte[8];
        Checksum.put32(data, 0, value);
        Checksum.put32(data, 4, echoReply);
        return option(8, data);
    }

    /** Appends a no-operation option (one byte, kind 1). */
    public TcpBuilder nop() {
        options.write(1);
        return this;
    }

    /** Appends an option of {@code kind} with a length byte and {@code data}. */
    public TcpBuilder option(int kind, byte... data) {
        checkRange("TCP option kind", kind, 255);
        checkRange("TCP option data length", data.length, 38);
        options.write(kind);
        options.write(2 + data.length);
        options.writeBytes(data);
        return this;
    }

    /** Appends {@code bytes} to the options as they are. */
    public TcpBuilder rawOptions(byte... bytes) {
        options.writeBytes(bytes);
        return this;
    }

    /** Overrides the data offset field (in 32-bit words): for malformed packets. */
    public TcpBuilder dataOffset(int words) {
        checkRange("data offset", words, 15);
        this.dataOffset = words;
        return this;
    }

    /** Overrides the checksum: for malformed packets. */
    public TcpBuilder checksum(int checksum) {
        checkRange("TCP checksum", checksum, 0xffff);
        this.checksum = checksum;
        return this;
    }

    /** Sets the segment's data. */
    public TcpBuilder payload(byte[] payload) {
        setPayload(payload);
        return this;
    }

    @Override
    int ipProtocol() {
        return 6;
    }

    @Override
    byte[] encode() {
        byte[] data = inner();
        byte[] opts = options.toByteArray();
        int optLen = (opts.length + 3) & ~3;
        if (optLen > 40) {
            throw new IllegalStateException("TCP options take " + opts.length + " bytes; at most 40 fit");
        }
        byte[] seg = new byte[20 + optLen + data.length];
        Checksum.put16(seg, 0, sourcePort);
        Checksum.put16(seg, 2, destinationPort);
        Checksum.put32(seg, 4, sequence);
        Checksum.put32(seg, 8, acknowledgment);
        seg[12] = (byte) ((dataOffset != null ? dataOffset : (20 + optLen) / 4) << 4);
        seg[13] = (byte) flags;
        Checksum.put16(seg, 14, window);
        Checksum.put16(seg, 18, urgentPointer);
        System.arraycopy(opts, 0, seg, 20, opts.length);
        System.arraycopy(data, 0, seg, 20 + optLen, data.length);
        int sum = checksum != null ? checksum
                : Checksum.compute(parent.pseudoHeader(6, seg.length), seg, 0, seg.length);
        Checksum.put16(seg, 16, sum);
        return seg;
    }

    @Override
    String name() {
        return "TCP";
    }
}
