package io.jbpf.netpolicy.service;

/**
 * A Service or EndpointSlice document that cannot be imported: the field that is wrong (its path,
 * e.g. {@code spec.ports[1].nodePort}), its line and column, and why. Nothing of an input that
 * throws is imported.
 */
public final class InvalidServiceException extends io.jbpf.core.JbpfException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final int line;
    private final int column;

    /** An error at {@code field} (line and column 0 when unknown). */
    public InvalidServiceException(String field, int line, int column, String message) {
        super(message);
        this.field = field;
        this.line = line;
        this.column = column;
    }

    /** The path of the offending field, empty for the whole document. */
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
