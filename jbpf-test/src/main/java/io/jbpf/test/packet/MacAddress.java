package io.jbpf.test.packet;

import java.util.HexFormat;

/**
 * A 48-bit Ethernet address, as the low 48 bits of {@code value}; its string form is
 * {@code 02:00:00:00:00:01}.
 *
 * @param value the address, most significant byte first on the wire
 */
public record MacAddress(long value) {
    /** ff:ff:ff:ff:ff:ff. */
    public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);
    /** 00:00:00:00:00:00. */
    public static final MacAddress ZERO = new MacAddress(0);

    public MacAddress {
        if ((value >>> 48) != 0) {
            throw new IllegalArgumentException("a MAC address has 48 bits: 0x" + Long.toHexString(value));
        }
    }

    /** Parses six hex bytes separated by ':' or '-', such as {@code 02:00:00:00:00:01}. */
    public static MacAddress of(String text) {
        String[] parts = text.split("[:-]", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: \"" + text + "\"");
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2 || !p.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new IllegalArgumentException("not a MAC address: \"" + text + "\"");
            }
            v = (v << 8) | Integer.parseInt(p, 16);
        }
        return new MacAddress(v);
    }

    /** The address of 6 bytes at {@code offset} of {@code bytes}. */
    public static MacAddress of(byte[] bytes, int offset) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (bytes[offset + i] & 0xff);
        }
        return new MacAddress(v);
    }

    /** The 6 bytes, in wire order. */
    public byte[] bytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (value >>> (40 - 8 * i));
        }
        return b;
    }

    /** Whether the group bit (the lowest bit of the first byte) is set. */
    public boolean isMulticast() {
        return ((value >>> 40) & 1) != 0;
    }

    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(bytes());
    }
}
