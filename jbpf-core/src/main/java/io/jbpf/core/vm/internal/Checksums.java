package io.jbpf.core.vm.internal;

/** The Internet checksum arithmetic of the kernel's csum helpers, as x86-64 computes it. */
public final class Checksums {
    private Checksums() {}

    /** {@code csum_partial}: the 32-bit ones'-complement sum of {@code len} bytes (little-endian words) plus {@code seed}. */
    public static int partial(byte[] b, int from, int len, int seed) {
        long sum = seed & 0xffffffffL;
        int i = from;
        int end = from + len;
        for (; i + 4 <= end; i += 4) {
            sum += (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24;
        }
        if (i + 2 <= end) {
            sum += (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8;
            i += 2;
        }
        if (i < end) {
            sum += b[i] & 0xffL;
        }
        return add32(sum);
    }

    /** Folds a sum of 32-bit words into 32 bits with end-around carry. */
    public static int add32(long sum) {
        while ((sum >>> 32) != 0) {
            sum = (sum & 0xffffffffL) + (sum >>> 32);
        }
        return (int) sum;
    }

    /** {@code csum_sub}: {@code a - b} in ones' complement, 32 bits with end-around carry. */
    public static int sub(int a, int b) {
        return add32((a & 0xffffffffL) + (~b & 0xffffffffL));
    }

    /** {@code csum_from32to16}: a 32-bit partial sum folded to 16 bits, not complemented. */
    public static int from32to16(int sum) {
        int s = sum + ((sum >>> 16) | (sum << 16));
        return s >>> 16;
    }

    /** {@code csum_fold}: a 32-bit partial sum folded to 16 bits and complemented. */
    public static int fold(int csum) {
        long s = csum & 0xffffffffL;
        s = (s & 0xffff) + (s >>> 16);
        s = (s & 0xffff) + (s >>> 16);
        return (int) (~s & 0xffff);
    }

    /** {@code csum_replace2}: the checksum field after a 16-bit word changed from {@code from} to {@code to}. */
    public static int replace2(int sum, int from, int to) {
        long s = (~sum & 0xffffL) + (~from & 0xffffL) + (to & 0xffffL);
        return (int) (~fold16(s) & 0xffff);
    }

    /** {@code csum_replace4}: the checksum field after a 32-bit word changed. */
    public static int replace4(int sum, int from, int to) {
        long s = (~sum & 0xffffL) + (~from & 0xffffL) + ((~from >>> 16) & 0xffffL) + (to & 0xffffL) + ((to >>> 16) & 0xffffL);
        return (int) (~fold16(s) & 0xffff);
    }

    /** {@code csum_replace_by_diff}: the checksum field after adding a 32-bit difference. */
    public static int replaceByDiff(int sum, int diff) {
        long s = (diff & 0xffffffffL) + (~(sum & 0xffff) & 0xffffffffL);
        return fold(add32(s));
    }

    private static long fold16(long s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return s;
    }
}
