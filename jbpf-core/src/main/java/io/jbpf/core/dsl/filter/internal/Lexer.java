package io.jbpf.core.dsl.filter.internal;

import io.jbpf.core.dsl.filter.PcapFilterException;
import java.util.ArrayList;
import java.util.List;

/** Splits a pcap-filter expression into tokens the way libpcap's scanner does (longest match). */
public final class Lexer {
    private final String src;
    private int pos;
    private int line = 1;
    private int lineStart;

    private Lexer(String src) {
        this.src = src;
    }

    /** All tokens of {@code src}, ending with an EOF token. */
    public static List<Token> tokenize(String src) {
        Lexer lx = new Lexer(src);
        List<Token> out = new ArrayList<>();
        Token t;
        do {
            t = lx.next();
            out.add(t);
        } while (t.kind() != Token.Kind.EOF);
        return out;
    }

    private Token next() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
            if (src.charAt(pos) == '\n') {
                line++;
                lineStart = pos + 1;
            }
            pos++;
        }
        int col = pos - lineStart + 1;
        if (pos >= src.length()) {
            return new Token(Token.Kind.EOF, "", 0, line, col);
        }
        char c = src.charAt(pos);
        if (c == '\\') {
            int end = pos + 1;
            while (end < src.length() && " !()\n\t".indexOf(src.charAt(end)) < 0) {
                end++;
            }
            if (end == pos + 1) {
                throw new PcapFilterException(line, col, "a backslash must be followed by a name, as in \\tcp");
            }
            String name = src.substring(pos + 1, end);
            pos = end;
            return new Token(Token.Kind.ID, name, 0, line, col);
        }
        int lenMac = matchMac();
        int lenV6 = matchIpv6();
        int lenHid = matchHid();
        int lenNum = matchNum();
        int lenId = matchId();
        int best = Math.max(Math.max(lenMac, lenV6), Math.max(Math.max(lenHid, lenNum), lenId));
        if (best > 0) {
            String text = src.substring(pos, pos + best);
            pos += best;
            if (best == lenMac) {
                return new Token(Token.Kind.EID, text, 0, line, col);
            }
            if (best == lenV6) {
                return new Token(Token.Kind.HID6, text, 0, line, col);
            }
            if (best == lenHid) {
                return new Token(Token.Kind.HID, text, 0, line, col);
            }
            if (best == lenNum) {
                return new Token(Token.Kind.NUM, text, parseNumber(text, col), line, col);
            }
            String kw = Names.keyword(text);
            if (kw != null) {
                if (kw.equals("&&")) {
                    kw = "and";
                }
                return new Token(Token.Kind.KEYWORD, kw, 0, line, col);
            }
            Long named = Names.namedNumber(text);
            if (named != null) {
                return new Token(Token.Kind.NUM, text, named, line, col);
            }
            return new Token(Token.Kind.ID, text, 0, line, col);
        }
        for (String op : new String[] {">=", "<=", "!=", "==", "<<", ">>", "&&", "||"}) {
            if (src.startsWith(op, pos)) {
                pos += 2;
                if (op.equals("&&")) {
                    return new Token(Token.Kind.KEYWORD, "and", 0, line, col);
                }
                if (op.equals("||")) {
                    return new Token(Token.Kind.KEYWORD, "or", 0, line, col);
                }
                return new Token(Token.Kind.OP, op.equals("==") ? "=" : op, 0, line, col);
            }
        }
        if ("+-*/%:[]!<>()&|^=".indexOf(c) >= 0) {
            pos++;
            if (c == '!') {
                return new Token(Token.Kind.KEYWORD, "not", 0, line, col);
            }
            return new Token(Token.Kind.OP, String.valueOf(c), 0, line, col);
        }
        throw new PcapFilterException(line, col, "unexpected character '" + c + "'");
    }

    private long parseNumber(String text, int col) {
        try {
            long v;
            if (text.startsWith("0x") || text.startsWith("0X")) {
                v = Long.parseLong(text.substring(2), 16);
            } else if (text.length() > 1 && text.charAt(0) == '0') {
                v = Long.parseLong(text, 8);
            } else {
                v = Long.parseLong(text);
            }
            if (v > 0xffffffffL) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new PcapFilterException(line, col, "number " + text + " does not fit in 32 bits or is not a valid number");
        }
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isIdChar(char c) {
        return Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '.';
    }

    /** [A-Za-z0-9]([-_.A-Za-z0-9]*[.A-Za-z0-9])? */
    private int matchId() {
        if (!(pos < src.length() && Character.isLetterOrDigit(src.charAt(pos)) && src.charAt(pos) < 128)) {
            return 0;
        }
        int end = pos + 1;
        while (end < src.length() && isIdChar(src.charAt(end))) {
            end++;
        }
        while (end > pos + 1 && (src.charAt(end - 1) == '-' || src.charAt(end - 1) == '_')) {
            end--;
        }
        return end - pos;
    }

    private int matchNum() {
        int p = pos;
        if (src.startsWith("0x", p) || src.startsWith("0X", p)) {
            int e = p + 2;
            while (e < src.length() && isHex(src.charAt(e))) {
                e++;
            }
            return e > p + 2 ? e - p : 1;
        }
        int e = p;
        while (e < src.length() && Character.isDigit(src.charAt(e))) {
            e++;
        }
        return e - p;
    }

    /** N.N, N.N.N or N.N.N.N with decimal N. */
    private int matchHid() {
        int e = pos;
        int parts = 0;
        int lastGood = 0;
        while (true) {
            int s = e;
            while (e < src.length() && Character.isDigit(src.charAt(e))) {
                e++;
            }
            if (e == s) {
                break;
            }
            parts++;
            if (parts >= 2) {
                lastGood = e - pos;
            }
            if (parts == 4 || e >= src.length() || src.charAt(e) != '.') {
                break;
            }
            e++;
        }
        return lastGood;
    }

    /** Six groups of one or two hex digits separated by ':' or '-', or three groups of four separated by '.'. */
    private int matchMac() {
        for (char sep : new char[] {':', '-'}) {
            int e = pos;
            int groups = 0;
            while (true) {
                int s = e;
                while (e < src.length() && e - s < 2 && isHex(src.charAt(e))) {
                    e++;
                }
                if (e == s) {
                    break;
                }
                groups++;
                if (groups == 6 || e >= src.length() || src.charAt(e) != sep) {
                    break;
                }
                e++;
            }
            if (groups == 6 && !(e < src.length() && (isHex(src.charAt(e)) || src.charAt(e) == sep))) {
                return e - pos;
            }
        }
        int e = pos;
        for (int g = 0; g < 3; g++) {
            for (int i = 0; i < 4; i++, e++) {
                if (e >= src.length() || !isHex(src.charAt(e))) {
                    return 0;
                }
            }
            if (g < 2) {
                if (e >= src.length() || src.charAt(e) != '.') {
                    return 0;
                }
                e++;
            }
        }
        return e - pos;
    }

    private int matchIpv6() {
        int e = pos;
        while (e < src.length() && (isHex(src.charAt(e)) || src.charAt(e) == ':' || src.charAt(e) == '.')) {
            e++;
        }
        // shrink to the longest prefix that is a valid IPv6 address
        for (int end = e; end > pos; end--) {
            String s = src.substring(pos, end);
            if (s.indexOf(':') >= 0 && Ipv6.parse(s) != null) {
                return end - pos;
            }
        }
        return 0;
    }
}
