package io.jbpf.core.dsl.lb;

import io.jbpf.core.dsl.nat.Endpoint;
import io.jbpf.core.dsl.nat.Protocol;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A service's address: VIP, port and protocol, laid out as the C struct
 * {@code struct { __be32 vip; __be16 port; __u8 proto, pad; }} (8 bytes, the key of {@code lb_svc}).
 *
 * @param vip      the virtual address and port clients connect to
 * @param protocol TCP or UDP
 */
public record ServiceKey(Endpoint vip, Protocol protocol) {
    /** Size of the encoded struct. */
    public static final int SIZE = 8;

    public ServiceKey {
        Objects.requireNonNull(vip, "vip");
        if (protocol != Protocol.TCP && protocol != Protocol.UDP) {
            throw new IllegalArgumentException("a load-balanced service is TCP or UDP, not " + protocol);
        }
    }

    /** The struct's bytes. */
    public byte[] toBytes() {
        return ByteBuffer.allocate(SIZE).order(ByteOrder.BIG_ENDIAN).putInt(vip.address()).putShort((short) vip.port())
                .put((byte) protocol.number()).put((byte) 0).array();
    }
}
