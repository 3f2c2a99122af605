package io.jbpf.maps.codec;

import io.jbpf.maps.internal.ByteArrayCodec;
import io.jbpf.maps.internal.InetCodec;
import io.jbpf.maps.internal.IntegerCodec;
import io.jbpf.maps.internal.LongCodec;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteOrder;

/**
 * The provided codecs. Integers come in the host's byte order ({@code u32()}) or an explicit one
 * ({@code u32(ByteOrder.BIG_ENDIAN)}, i.e. network order for {@code __be32}). Unsigned types narrower
 * than their Java type are range-checked on encode and zero-extended on decode; signed ones are
 * sign-extended. {@code u64} carries the raw 64 bits in a {@code long} (use
 * {@link Long#toUnsignedString(long)} to print it).
 */
public final class Codecs {
    private Codecs() {}

    /** Network byte order (big-endian). */
    public static final ByteOrder NETWORK = ByteOrder.BIG_ENDIAN;

    private static boolean big(ByteOrder order) {
        return order == ByteOrder.BIG_ENDIAN;
    }

    /** {@code __u8} as 0..255. */
    public static Codec<Integer> u8() {
        return new IntegerCodec(1, false, false);
    }

    /** {@code __s8} as -128..127. */
    public static Codec<Integer> s8() {
        return new IntegerCodec(1, true, false);
    }

    /** {@code __u16} in host order, 0..65535. */
    public static Codec<Integer> u16() {
        return u16(ByteOrder.nativeOrder());
    }

    /** {@code __u16} in {@code order}. */
    public static Codec<Integer> u16(ByteOrder order) {
        return new IntegerCodec(2, false, big(order));
    }

    /** {@code __s16} in host order. */
    public static Codec<Integer> s16() {
        return s16(ByteOrder.nativeOrder());
    }

    /** {@code __s16} in {@code order}. */
    public static Codec<Integer> s16(ByteOrder order) {
        return new IntegerCodec(2, true, big(order));
    }

    /** {@code __s32} in host order (also the natural codec for a u32 whose values stay below 2^31). */
    public static Codec<Integer> s32() {
        return s32(ByteOrder.nativeOrder());
    }

    /** {@code __s32} in {@code order}. */
    public static Codec<Integer> s32(ByteOrder order) {
        return new IntegerCodec(4, true, big(order));
    }

    /** {@code __u32} in host order as a non-negative {@code Integer}: 0..2^31-1 (negative values are refused). */
    public static Codec<Integer> u32() {
        return u32(ByteOrder.nativeOrder());
    }

    /** {@code __u32} in {@code order} as a non-negative {@code Integer}. */
    public static Codec<Integer> u32(ByteOrder order) {
        return new IntegerCodec(4, false, big(order));
    }

    /** {@code __u32} in host order as a {@code Long}, the full range 0..2^32-1. */
    public static Codec<Long> u32AsLong() {
        return u32AsLong(ByteOrder.nativeOrder());
    }

    /** {@code __u32} in {@code order} as a {@code Long}. */
    public static Codec<Long> u32AsLong(ByteOrder order) {
        return new LongCodec(4, false, big(order));
    }

    /** {@code __u64} in host order: the raw 64 bits. */
    public static Codec<Long> u64() {
        return u64(ByteOrder.nativeOrder());
    }

    /** {@code __u64} in {@code order}: the raw 64 bits. */
    public static Codec<Long> u64(ByteOrder order) {
        return new LongCodec(8, false, big(order));
    }

    /** {@code __s64} in host order. */
    public static Codec<Long> s64() {
        return s64(ByteOrder.nativeOrder());
    }

    /** {@code __s64} in {@code order}. */
    public static Codec<Long> s64(ByteOrder order) {
        return new LongCodec(8, true, big(order));
    }

    /** Exactly {@code size} raw bytes ({@code __u8 x[size]}); encoding an array of another length is refused. */
    public static Codec<byte[]> bytes(int size) {
        return new ByteArrayCodec(size);
    }

    /** An IPv4 address as its 4 bytes in network order ({@code __be32}). */
    public static Codec<Inet4Address> ipv4() {
        return new InetCodec<>(Inet4Address.class, 4);
    }

    /** An IPv6 address as its 16 bytes in network order ({@code struct in6_addr}). */
    public static Codec<Inet6Address> ipv6() {
        return new InetCodec<>(Inet6Address.class, 16);
    }

    /** A record laid out as a C struct; see {@link RecordCodec}. */
    public static <R extends Record> RecordCodec<R> record(Class<R> type) {
        return RecordCodec.of(type);
    }
}
