package io.jbpf.maps;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An IPv4 or IPv6 prefix, the key of an LPM trie ({@link BpfLpmTrie}). The host bits are cleared
 * on construction, so {@code 10.1.2.3/8} equals {@code 10.0.0.0/8} (the kernel would store and
 * return the bits as given).
 *
 * @param address      the network address (an {@code Inet4Address} or {@code Inet6Address})
 * @param prefixLength the number of leading bits that count
 */
public record Cidr(InetAddress address, int prefixLength) {

    /**
     * @throws InvalidPrefixException when {@code prefixLength} is negative or longer than the address
     */
    public Cidr {
        Objects.requireNonNull(address, "address");
        int bits = address.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new InvalidPrefixException("prefix /" + prefixLength + " does not fit " + address.getHostAddress()
                    + ": an " + (bits == 32 ? "IPv4" : "IPv6") + " prefix is 0 to " + bits + " bits");
        }
        address = mask(address, prefixLength);
    }

    /** The single address {@code address/32} or {@code /128}. */
    public static Cidr host(InetAddress address) {
        return new Cidr(address, address.getAddress().length * 8);
    }

    /**
     * Parses {@code "10.0.0.0/8"} or {@code "2001:db8::/32"} (a bare address is a host prefix).
     *
     * @throws IllegalArgumentException when the text is not a literal address with an optional prefix
     * @throws InvalidPrefixException   when the prefix is longer than the address
     */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        if (!addr.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("'" + text + "' is not an IP prefix such as 10.0.0.0/8");
        }
        try {
            InetAddress a = InetAddress.getByName(addr);
            if (slash < 0) {
                return host(a);
            }
            return new Cidr(a, Integer.parseInt(text.substring(slash + 1)));
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP prefix such as 10.0.0.0/8", e);
        }
    }

    /** Whether this is an IPv4 prefix. */
    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    /** Whether {@code a} lies inside this prefix. */
    public boolean contains(InetAddress a) {
        return a.getAddress().length == address.getAddress().length && mask(a, prefixLength).equals(address);
    }

    private static InetAddress mask(InetAddress a, int prefix) {
        byte[] b = a.getAddress();
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            b[i] &= (byte) (0xFF << (8 - keep));
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }
}
