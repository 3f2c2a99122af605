package io.jbpf.test.packet.internal;

/** The Internet checksum (RFC 1071) and the pseudo-headers of TCP, UDP and ICMPv6. */
public final class Checksum {
    private Checksum() {}

    /** Adds {@code len} bytes at {@code off} as big-endian 16-bit words to {@code sum} (unfolded). */
    public static long add(long sum, byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        for (; i + 1 < end; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (b[i] & 0xff) << 8;
        }
        return sum;
    }

    /** The one's complement of the folded {@code sum}: the value to store in a checksum field. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** The checksum of {@code len} bytes at {@code off}, starting from a pseudo-header sum. */
    public static int compute(long pseudo, byte[] b, int off, int len) {
        return finish(add(pseudo, b, off, len));
    }

    /**
     * The unfolded sum of the pseudo-header: source and destination addresses (4 or 16 bytes
     * each), the upper-layer protocol and the upper-layer length.
     */
    public static long pseudoHeader(byte[] src, byte[] dst, int protocol, int length) {
        long sum = add(0, src, 0, src.length);
        sum = add(sum, dst, 0, dst.length);
        if (src.length == 4) {
            return sum + protocol + (length & 0xffff);
        }
        return sum + protocol + ((length >>> 16) & 0xffff) + (length & 0xffff);
    }

    /** Writes {@code value} big-endian at {@code off}. */
    public static void put16(byte[] b, int off, int value) {
        b[off] = (byte) (value >>> 8);
        b[off + 1] = (byte) value;
    }

    /** Writes {@code value} big-endian at {@code off}. */
    public static void put32(byte[] b, int off, long value) {
        b[off] = (byte) (value >>> 24);
        b[off + 1] = (byte) (value >>> 16);
        b[off + 2] = (byte) (value >>> 8);
        b[off + 3] = (byte) value;
    }

    /** Reads a big-endian unsigned 16-bit value at {@code off}. */
    public static int get16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    /** Reads a big-endian unsigned 32-bit value at {@code off}. */
    public static long get32(byte[] b, int off) {
        return ((long) get16(b, off) << 16) | get16(b, off + 2);
    }
}
