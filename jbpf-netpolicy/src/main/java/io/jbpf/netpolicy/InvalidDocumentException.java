package io.jbpf.netpolicy;

import io.jbpf.core.JbpfException;

/**
 * A YAML document the user gave that cannot be used (a policy, a service, a lab file, an
 * ip-masq-agent config): the field that is wrong (its path, e.g. {@code spec.ports[1].nodePort};
 * empty for the whole document), its line and column where the parser knows them, and why. A
 * document that throws changes nothing. Each kind of document has its subclass.
 */
public abstract class InvalidDocumentException extends JbpfException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final int line;
    private final int column;

    /**
     * @param field   the path of the offending field, empty for the whole document
     * @param line    the 1-based line, 0 when unknown
     * @param column  the 1-based column, 0 when unknown
     * @param message the message
     */
    protected InvalidDocumentException(String field, int line, int column, String message) {
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
