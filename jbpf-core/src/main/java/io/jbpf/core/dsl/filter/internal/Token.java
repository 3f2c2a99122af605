package io.jbpf.core.dsl.filter.internal;

/**
 * One lexical token of a pcap-filter expression, with libpcap's token classes.
 *
 * @param kind   the token class
 * @param text   the text as written (for a keyword: the keyword; for an escaped name: without the backslash)
 * @param value  the value of a {@link Kind#NUM}
 * @param line   1-based line
 * @param column 1-based column
 */
public record Token(Kind kind, String text, long value, int line, int column) {
    /** Token classes, after libpcap's scanner. */
    public enum Kind {
        /** A number (decimal, 0x hex, 0 octal) or a named constant such as {@code tcp-syn}. */
        NUM,
        /** A dotted IPv4 address or prefix of one: {@code 10.1}, {@code 1.2.3.4}. */
        HID,
        /** An IPv6 address. */
        HID6,
        /** A MAC address. */
        EID,
        /** A name that is not a keyword (a host, port or protocol name). */
        ID,
        /** A keyword, {@link #text()} is its canonical spelling. */
        KEYWORD,
        /** An operator or punctuation; {@code &&} and {@code ||} are reported as the keywords and/or. */
        OP,
        /** The end of the expression. */
        EOF
    }

    boolean is(Kind k, String t) {
        return kind == k && text.equals(t);
    }

    boolean isKeyword(String t) {
        return is(Kind.KEYWORD, t);
    }

    boolean isOp(String t) {
        return is(Kind.OP, t);
    }

    /** How the token reads in an error message. */
    String describe() {
        return kind == Kind.EOF ? "end of expression" : "'" + text + "'";
    }
}
