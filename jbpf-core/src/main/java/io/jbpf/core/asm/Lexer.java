package io.jbpf.core.asm;

import java.util.ArrayList;
import java.util.List;

/** Splits one line (comments already removed) into tokens. */
final class Lexer {
    /** Operators and punctuation, longest first so that the longest one matches. */
    private static final String[] PUNCT = {
        "s>>=", "<<=", ">>=", "s/=", "s%=", "s<=", "s>=",
        "+=", "-=", "*=", "/=", "%=", "|=", "&=", "^=", "==", "!=", "<=", ">=", "s<", "s>",
        "<", ">", "=", "&", "(", ")", "[", "]", "*", "+", "-", ",", ":"
    };

    private Lexer() {}

    static List<Token> tokenize(String text, int line) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            String punct = punctAt(text, i);
            if (punct != null) {
                out.add(new Token(Token.Kind.PUNCT, punct, start + 1, 0));
                i += punct.length();
            } else if (c >= '0' && c <= '9') {
                while (i < text.length() && isWordChar(text.charAt(i))) {
                    i++;
                }
                String digits = text.substring(start, i);
                out.add(new Token(Token.Kind.NUMBER, digits, start + 1, number(digits, line, start + 1)));
            } else if (isWordStart(c)) {
                while (i < text.length() && isWordChar(text.charAt(i))) {
                    i++;
                }
                out.add(new Token(Token.Kind.WORD, text.substring(start, i), start + 1, 0));
            } else {
                throw AssemblerException.at(line, start + 1, "unexpected character '" + c + "'", null);
            }
        }
        out.add(new Token(Token.Kind.END, "", text.length() + 1, 0));
        return out;
    }

    private static String punctAt(String text, int i) {
        for (String p : PUNCT) {
            if (text.startsWith(p, i)) {
                return p;
            }
        }
        return null;
    }

    private static boolean isWordStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.';
    }

    private static boolean isWordChar(char c) {
        return isWordStart(c) || (c >= '0' && c <= '9');
    }

    private static long number(String digits, int line, int column) {
        try {
            if (digits.startsWith("0x") || digits.startsWith("0X")) {
                return Long.parseUnsignedLong(digits.substring(2), 16);
            }
            return Long.parseUnsignedLong(digits, 10);
        } catch (NumberFormatException e) {
            throw AssemblerException.at(line, column, "'" + digits + "' is not a number that fits in 64 bits", e);
        }
    }
}
