package io.jbpf.core.dsl;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An address prefix: the first {@code length} bits of {@code address} (IPv4 4 bytes, IPv6 16,
 * MAC 6). Parse with {@link #parse}: {@code 10.0.0.0/8}, {@code 2001:db8::/32},
 * {@code 192.0.2.1} (a host), {@code 02:00:00:00:00:01}.
 *
 * @param address the address bytes in network order; bits after the prefix are zero
 * @param length  the prefix length in bits
 */
public record Prefix(byte[] address, int length) {
    public Prefix {
        address = address.clone();
        if (address.length != 4 && address.length != 16 && address.length != 6) {
            throw new DslException("an address has 4, 6 or 16 bytes, not " + address.length);
        }
        if (length < 0 || length > address.length * 8) {
            throw new DslException("prefix length " + length + " for a " + address.length * 8 + "-bit address");
        }
        for (int bit = length; bit < address.length * 8; bit++) {
            if ((address[bit / 8] >> (7 - bit % 8) & 1) != 0) {
                throw new DslException("address " + format(address) + "/" + length + " has bits set after the prefix");
            }
        }
    }

    /**
     * Parses an IPv4 or IPv6 address with an optional {@code /length}, or a MAC address.
     *
     * @throws DslException naming the text when it is not an address
     */
    public static Prefix parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        byte[] bytes = Addresses.parse(addr);
        if (bytes == null) {
            throw new DslException("'" + text + "' is not an IPv4, IPv6 or MAC address");
        }
        int len = bytes.length * 8;
        if (slash >= 0) {
            try {
                len = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new DslException("'" + text + "': the prefix length '" + t.substring(slash + 1) + "' is not a number");
            }
        }
        return new Prefix(bytes, len);
    }

    @Override
    public byte[] address() {
        return address.clone();
    }

    /** The address bits' byte count: 4, 6 or 16. */
    public int bytes() {
        return address.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prefix p && length == p.length && Arrays.equals(address, p.address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address) * 31 + length;
    }

    @Override
    public String toString() {
        return format(address) + (length == address.length * 8 ? "" : "/" + length);
    }

    private static String format(byte[] a) {
        if (a.length == 6) {
            return HexFormat.ofDelimiter(":").formatHex(a);
        }
        try {
            return java.net.InetAddress.getByAddress(a).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
