package io.jbpf.core.dsl.filter.internal;

/** Parses IPv6 text (RFC 4291 forms, with an optional trailing dotted IPv4) without any lookup. */
final class Ipv6 {
    private Ipv6() {
    }

    /** The 16 bytes of {@code s}, or null if it is not an IPv6 address. */
    static byte[] parse(String s) {
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        String head = dbl >= 0 ? s.substring(0, dbl) : s;
        String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
        int[] h = groups(head, dbl < 0 || tail.isEmpty() ? true : false);
        int[] t = dbl >= 0 ? groups(tail, true) : new int[0];
        if (h == null || t == null) {
            return null;
        }
        int total = h.length + t.length;
        if (dbl < 0 ? total != 8 : total > 7) {
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < h.length; i++) {
            out[2 * i] = (byte) (h[i] >> 8);
            out[2 * i + 1] = (byte) h[i];
        }
        for (int i = 0; i < t.length; i++) {
            int g = 8 - t.length + i;
            out[2 * g] = (byte) (t[i] >> 8);
            out[2 * g + 1] = (byte) t[i];
        }
        return out;
    }

    /** 16-bit groups of a ':'-separated list; the last may be a dotted IPv4 (two groups). */
    private static int[] groups(String s, boolean ipv4Allowed) {
        if (s.isEmpty()) {
            return new int[0];
        }
        String[] parts = s.split(":", -1);
        int n = parts.length;
        boolean v4 = ipv4Allowed && parts[n - 1].indexOf('.') >= 0;
        int[] out = new int[v4 ? n + 1 : n];
        for (int i = 0; i < n; i++) {
            String p = parts[i];
            if (v4 && i == n - 1) {
                String[] q = p.split("\\.", -1);
                if (q.length != 4) {
                    return null;
                }
                int[] b = new int[4];
                for (int j = 0; j < 4; j++) {
                    if (q[j].isEmpty() || q[j].length() > 3 || !q[j].chars().allMatch(Character::isDigit)) {
                        return null;
                    }
                    b[j] = Integer.parseInt(q[j]);
                    if (b[j] > 255) {
                        return null;
                    }
                }
                out[i] = b[0] << 8 | b[1];
                out[i + 1] = b[2] << 8 | b[3];
            } else {
                if (p.isEmpty() || p.length() > 4) {
                    return null;
                }
                for (char c : p.toCharArray()) {
                    if (Character.digit(c, 16) < 0) {
                        return null;
                    }
                }
                out[i] = Integer.parseInt(p, 16);
            }
        }
        return out;
    }
}
