package io.jbpf.maps.internal;

import io.jbpf.maps.codec.Codec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 ({@code __be32}, 4 bytes) or IPv6 ({@code struct in6_addr}, 16 bytes) address in network
 * order, aligned to 4 as in C.
 *
 * @param <A> {@code Inet4Address} or {@code Inet6Address}
 */
public final class InetCodec<A extends InetAddress> implements Codec<A> {
    private final Class<A> type;
    private final int size;

    public InetCodec(Class<A> type, int size) {
        this.type = type;
        this.size = size;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int alignment() {
        return 4;
    }

    @Override
    public void encode(A value, byte[] buf, int offset) {
        byte[] a = value.getAddress();
        if (a.length != size) {
            throw new IllegalArgumentException("an " + type.getSimpleName() + " codec got " + value);
        }
        System.arraycopy(a, 0, buf, offset, size);
    }

    @Override
    public A decode(byte[] buf, int offset) {
        try {
            InetAddress a = InetAddress.getByAddress(Arrays.copyOfRange(buf, offset, offset + size));
            if (!type.isInstance(a)) {
                // an IPv4-mapped IPv6 address comes back as Inet4Address: keep the IPv6 form
                return type.cast(java.net.Inet6Address.getByAddress(null, Arrays.copyOfRange(buf, offset, offset + size), null));
            }
            return type.cast(a);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot happen: " + size + " bytes are an address", e);
        }
    }

    @Override
    public String toString() {
        return type.getSimpleName();
    }
}
