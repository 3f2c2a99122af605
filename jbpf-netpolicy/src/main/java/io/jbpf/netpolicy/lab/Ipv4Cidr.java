package io.jbpf.netpolicy.lab;

/**
 * An IPv4 prefix such as {@code 172.16.1.0/24}. The host bits must be zero: {@code 172.16.1.5/24}
 * is refused rather than silently truncated, since in a lab file it is almost always a typo.
 *
 * @param network      the network address (host bits zero)
 * @param prefixLength 0 to 32
 */
public record Ipv4Cidr(Ipv4 network, int prefixLength) {

    /** @throws IllegalArgumentException when the length is out of range or host bits are set */
    public Ipv4Cidr {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is not in 0..32");
        }
        if ((network.bits() & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException(network + "/" + prefixLength + " has host bits set (the network is "
                    + new Ipv4(network.bits() & mask(prefixLength)) + "/" + prefixLength + ")");
        }
    }

    /**
     * Parses {@code "172.16.0.0/24"}.
     *
     * @throws IllegalArgumentException when the text is not an address, a slash and a length
     */
    public static Ipv4Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 prefix such as 172.16.0.0/24");
        }
        String len = text.substring(slash + 1);
        if (len.isEmpty() || len.length() > 2 || !len.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 prefix such as 172.16.0.0/24");
        }
        return new Ipv4Cidr(Ipv4.parse(text.substring(0, slash)), Integer.parseInt(len));
    }

    private static int mask(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    /** Whether {@code a} lies in this prefix. */
    public boolean contains(Ipv4 a) {
        return (a.bits() & mask(prefixLength)) == network.bits();
    }

    /** Whether the two prefixes share an address. */
    public boolean overlaps(Ipv4Cidr o) {
        int shorter = Math.min(prefixLength, o.prefixLength);
        return (network.bits() & mask(shorter)) == (o.network.bits() & mask(shorter));
    }

    /** The {@code n}th address of the prefix ({@code 0} is the network address). */
    public Ipv4 address(int n) {
        return network.plus(n);
    }

    /** The number of addresses, 2^(32 - length). */
    public long size() {
        return 1L << (32 - prefixLength);
    }

    @Override
    public String toString() {
        return network + "/" + prefixLength;
    }
}
