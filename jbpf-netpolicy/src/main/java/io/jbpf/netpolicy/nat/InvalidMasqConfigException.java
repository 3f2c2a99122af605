package io.jbpf.netpolicy.nat;

/**
 * An ip-masq-agent config that cannot be used: the field that is wrong, its line and column, and
 * why. A config that throws changes nothing.
 */
public final class InvalidMasqConfigException extends io.jbpf.core.JbpfException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final int line;
    private final int column;

    /** An error at {@code field} (line and column 0 when unknown). */
    public InvalidMasqConfigException(String field, int line, int column, String message) {
        super(message);
        this.field = field;
        this.line = line;
        this.column = column;
    }

    /** The path of the offending field, empty for the whole file. */
    public String field() {
        return field;
    }

    /** The 1-based line, 0 when unknown. */
    public int line() {
        return line;
    }

    /** The 1-based column, 0 when unknown. */
    public int column() {
        return column;
    }
}
