package io.jbpf.netpolicy.lab;

import io.jbpf.netpolicy.InvalidDocumentException;

/**
 * A lab file that is not valid: its message names the field ({@code pods[2].node}) and, where the
 * YAML parser knows it, the line and column.
 */
public final class LabSpecException extends InvalidDocumentException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param field  the path of the offending field ({@code nodes[0].ip}), or empty for the whole file
     * @param line   1-based line, or 0 when unknown
     * @param column 1-based column, or 0 when unknown
     * @param reason what is wrong
     */
    public LabSpecException(String field, int line, int column, String reason) {
        super(field, line, column, format(field, line, column, reason));
        this.reason = reason;
    }

    private static String format(String field, int line, int column, String reason) {
        StringBuilder s = new StringBuilder("invalid lab file");
        if (line > 0) {
            s.append(" at line ").append(line).append(", column ").append(column);
        }
        if (!field.isEmpty()) {
            s.append(": ").append(field);
        }
        return s.append(": ").append(reason).toString();
    }

    /** What is wrong, without the position. */
    public String reason() {
        return reason;
    }
}
