package io.jbpf.core.dsl.nat;

/** Dotted-quad IPv4 addresses as unsigned 32-bit numbers. */
public final class Ipv4 {
    private Ipv4() {}

    /** {@code "10.0.0.1"} → {@code 0x0a000001}; anything else is an {@link IllegalArgumentException} naming it. */
    public static int parse(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + dotted + "' is not a dotted IPv4 address");
        }
        int a = 0;
        for (String p : parts) {
            int v;
            try {
                v = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + dotted + "' is not a dotted IPv4 address", e);
            }
            if (v < 0 || v > 255 || p.isEmpty() || p.length() > 3) {
                throw new IllegalArgumentException("'" + dotted + "' is not a dotted IPv4 address");
            }
            a = a << 8 | v;
        }
        return a;
    }

    /** {@code 0x0a000001} → {@code "10.0.0.1"}. */
    public static String format(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
    }
}
