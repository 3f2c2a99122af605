package io.jbpf.netpolicy.policy;

/**
 * A policy document that cannot be applied: the field that is wrong (its path, e.g.
 * {@code spec.ingress[0].ports[1].port}), its line and column, and why. Nothing of a document
 * that throws is applied.
 */
public final class InvalidPolicyException extends io.jbpf.core.JbpfException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final int line;
    private final int column;

    /** An error at {@code field} (line and column 0 when unknown). */
    public InvalidPolicyException(String field, int line, int column, String message) {
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
