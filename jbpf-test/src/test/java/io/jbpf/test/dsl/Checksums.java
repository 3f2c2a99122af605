package io.jbpf.test.dsl;

/**
 * An independent check of IPv4, TCP, UDP and ICMP checksums of an Ethernet/IPv4 frame, computed
 * from scratch (RFC 1071 sums over the headers and pseudo header), for rewritten packets.
 */
final class Checksums {
    private Checksums() {}

    private static long sum(byte[] b, int from, int len) {
        long s = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            s += (b[from + i] & 0xff) << 8 | (b[from + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            s += (b[from + len - 1] & 0xff) << 8;
        }
        return s;
    }

    private static int fold(long s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }

    /** Why the frame's checksums are wrong, or null when the IP header and layer 4 checksums verify. */
    static String problem(byte[] f) {
        int ihl = (f[14] & 0x0f) * 4;
        if (fold(sum(f, 14, ihl)) != 0xffff) {
            return "IPv4 header checksum";
        }
        int total = (f[16] & 0xff) << 8 | (f[17] & 0xff);
        int proto = f[23] & 0xff;
        int l4 = 14 + ihl;
        int l4len = total - ihl;
        long s = sum(f, l4, l4len);
        if (proto == 1) {
            return fold(s) == 0xffff ? null : "ICMP checksum";
        }
        if (proto == 17 && f[l4 + 6] == 0 && f[l4 + 7] == 0) {
            return null; // no UDP checksum
        }
        s += sum(f, 26, 8) + proto + l4len;
        return fold(s) == 0xffff ? null : (proto == 6 ? "TCP" : "UDP") + " checksum";
    }
}
