package io.jbpf.core.dsl.nat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A flow's 5-tuple as one packet carries it, laid out as the C struct
 * {@code struct { __be32 saddr, daddr; __be16 sport, dport; __u8 proto, pad[3]; }} (16 bytes;
 * addresses and ports in network byte order as in the packet). ICMP echo uses the identifier as
 * both ports.
 *
 * @param source      source address and port
 * @param destination destination address and port
 * @param protocol    the IP protocol
 */
public record FlowKey(Endpoint source, Endpoint destination, Protocol protocol) {
    /** Size of the encoded struct. */
    public static final int SIZE = 16;

    public FlowKey {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(protocol, "protocol");
    }

    /** The same flow seen in the other direction. */
    public FlowKey reversed() {
        return new FlowKey(destination, source, protocol);
    }

    /** The struct's bytes. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.BIG_ENDIAN);
        b.putInt(source.address()).putInt(destination.address()).putShort((short) source.port())
                .putShort((short) destination.port()).put((byte) protocol.number());
        return b.array();
    }

    /** Reads the struct from {@code bytes} at {@code offset}. */
    public static FlowKey decode(byte[] bytes, int offset) {
        ByteBuffer b = ByteBuffer.wrap(bytes, offset, SIZE).order(ByteOrder.BIG_ENDIAN);
        int sa = b.getInt();
        int da = b.getInt();
        int sp = b.getShort() & 0xffff;
        int dp = b.getShort() & 0xffff;
        Protocol p = Protocol.of(b.get() & 0xff);
        return new FlowKey(new Endpoint(sa, sp), new Endpoint(da, dp), p);
    }

    @Override
    public String toString() {
        return protocol + " " + source + " -> " + destination;
    }
}
