package io.jbpf.cli;

import java.util.HexFormat;

/** Hex text in and out, forgiving of spaces, commas and {@code 0x} prefixes on input. */
final class Hex {
    private Hex() {}

    static byte[] parse(String text) {
        String digits = text.replaceAll("0x", "").replaceAll("[\\s,:]", "");
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException("hex input has an odd number of digits (" + digits.length() + ")");
        }
        try {
            return HexFormat.of().parseHex(digits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not hex: " + e.getMessage(), e);
        }
    }

    /** Bytes as pairs of hex digits separated by spaces. */
    static String format(byte[] bytes, int from, int length) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes, from, from + length);
    }
}
