package io.jbpf.core.dsl.nat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An IPv4 address and a port (for ICMP echo: the identifier), laid out as the C struct
 * {@code struct { __be32 addr; __be16 port; __u16 pad; }} (8 bytes, network byte order as in the
 * packet, so programs compare and copy them without swapping).
 *
 * @param address the IPv4 address as an unsigned 32-bit number ({@code 10.0.0.1} is {@code 0x0a000001})
 * @param port    the port, 0..65535
 */
public record Endpoint(int address, int port) {
    /** Size of the encoded struct. */
    public static final int SIZE = 8;

    public Endpoint {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port " + port + " is not in 0..65535");
        }
    }

    /** Parses a dotted IPv4 address. */
    public static Endpoint of(String address, int port) {
        return new Endpoint(Ipv4.parse(address), port);
    }

    /** Writes the struct at {@code buf}'s position. */
    public void encode(ByteBuffer buf) {
        buf.order(ByteOrder.BIG_ENDIAN).putInt(address).putShort((short) port).putShort((short) 0);
    }

    /** The struct's bytes. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        encode(b);
        return b.array();
    }

    /** Reads the struct at {@code buf}'s position. */
    public static Endpoint decode(ByteBuffer buf) {
        buf.order(ByteOrder.BIG_ENDIAN);
        int a = buf.getInt();
        int p = buf.getShort() & 0xffff;
        buf.getShort();
        return new Endpoint(a, p);
    }

    /** Reads the struct from {@code bytes} at {@code offset}. */
    public static Endpoint decode(byte[] bytes, int offset) {
        return decode(ByteBuffer.wrap(bytes, offset, SIZE));
    }

    @Override
    public String toString() {
        return Ipv4.format(address) + ":" + port;
    }
}
