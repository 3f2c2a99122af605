package io.jbpf.netpolicy.internal.yaml;

/**
 * A YAML document that does not have the expected shape, naming the field and where it is; callers
 * turn it into their own typed exception.
 */
public final class YamlFieldException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final int line;
    private final int column;
    private final String reason;

    public YamlFieldException(String field, int line, int column, String reason) {
        super((line > 0 ? "line " + line + ", column " + column + ": " : "") + (field.isEmpty() ? "" : field + ": ") + reason);
        this.field = field;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    /** At {@code node}. */
    public static YamlFieldException at(YamlNode node, String reason) {
        return new YamlFieldException(node.path(), node.line(), node.column(), reason);
    }

    public String field() {
        return field;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String reason() {
        return reason;
    }
}
