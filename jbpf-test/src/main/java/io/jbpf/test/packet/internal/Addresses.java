package io.jbpf.test.packet.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** IP address literals to bytes and back, with no name lookups. */
public final class Addresses {
    private Addresses() {}

    /** The 4 bytes of a dotted-quad IPv4 literal such as {@code 10.0.0.1}. */
    public static byte[] ipv4(String literal) {
        String[] parts = literal.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: \"" + literal + "\"");
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v;
            try {
                v = parts[i].isEmpty() || parts[i].length() > 3 ? -1 : Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                v = -1;
            }
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException("not an IPv4 address: \"" + literal + "\"");
            }
            b[i] = (byte) v;
        }
        return b;
    }

    /** The 16 bytes of an IPv6 literal such as {@code 2001:db8::1}. */
    public static byte[] ipv6(String literal) {
        // a literal containing ':' is parsed as such by InetAddress, never looked up
        if (literal.indexOf(':') < 0) {
            throw new IllegalArgumentException("not an IPv6 address: \"" + literal + "\"");
        }
        try {
            InetAddress a = InetAddress.getByName(literal);
            if (a instanceof Inet6Address) {
                return a.getAddress();
            }
            // an IPv4-mapped literal (::ffff:a.b.c.d) comes back as IPv4
            byte[] b = new byte[16];
            b[10] = (byte) 0xff;
            b[11] = (byte) 0xff;
            System.arraycopy(a.getAddress(), 0, b, 12, 4);
            return b;
        } catch (UnknownHostException | SecurityException e) {
            throw new IllegalArgumentException("not an IPv6 address: \"" + literal + "\"", e);
        }
    }

    /** An {@link Inet4Address} of 4 bytes at {@code off}. */
    public static Inet4Address inet4(byte[] b, int off) {
        try {
            return (Inet4Address) InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, off, off + 4));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** An {@link Inet6Address} of 16 bytes at {@code off} (never turned into an IPv4 address). */
    public static Inet6Address inet6(byte[] b, int off) {
        try {
            return Inet6Address.getByAddress(null, java.util.Arrays.copyOfRange(b, off, off + 16), null);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
