package io.jbpf.netpolicy.lab;

/**
 * An IPv4 address as its 32 bits, parsed strictly from dotted-quad text (four decimal octets, no
 * shorthand such as {@code 10.1}, no name lookup).
 *
 * @param bits the address in network order as an {@code int} ({@code 10.0.0.1} is {@code 0x0a000001})
 */
public record Ipv4(int bits) implements Comparable<Ipv4> {

    /**
     * Parses {@code "192.168.10.10"}.
     *
     * @throws IllegalArgumentException when the text is not four decimal octets 0–255 joined by dots
     */
    public static Ipv4 parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address such as 192.168.10.10");
        }
        int bits = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address such as 192.168.10.10");
            }
            int octet = Integer.parseInt(p);
            if (octet > 255) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address: octet " + octet + " is over 255");
            }
            bits = (bits << 8) | octet;
        }
        return new Ipv4(bits);
    }

    /** The address {@code n} after this one (wrapping at the end of the address space). */
    public Ipv4 plus(int n) {
        return new Ipv4(bits + n);
    }

    /** The four bytes, most significant first. */
    public byte[] bytes() {
        return new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
    }

    @Override
    public int compareTo(Ipv4 o) {
        return Integer.compareUnsigned(bits, o.bits);
    }

    @Override
    public String toString() {
        return (bits >>> 24) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "." + (bits & 0xff);
    }
}
