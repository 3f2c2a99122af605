package io.jbpf.core.asm;

/**
 * A token of one line of text: a word (register, keyword, label, name), a number, an operator or
 * punctuation, or the end of the line.
 */
final class Token {
    enum Kind { WORD, NUMBER, PUNCT, END }

    final Kind kind;
    final String text;
    /** 1-based column of the first character. */
    final int column;
    /** For numbers: the value as 64 bits (the magnitude; a sign is a separate token). */
    final long value;

    Token(Kind kind, String text, int column, long value) {
        this.kind = kind;
        this.text = text;
        this.column = column;
        this.value = value;
    }

    boolean is(String s) {
        return kind != Kind.END && text.equals(s);
    }

    boolean isRegister() {
        return kind == Kind.WORD && text.matches("[rw](10|[0-9])");
    }

    /** How the token is shown in an error message. */
    String describe() {
        return kind == Kind.END ? "end of line" : "'" + text + "'";
    }
}
