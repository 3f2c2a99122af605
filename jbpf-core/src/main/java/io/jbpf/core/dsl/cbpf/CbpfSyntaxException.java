package io.jbpf.core.dsl.cbpf;

/**
 * Classic BPF text that cannot be read ({@link CbpfText}): {@link #line()} and {@link #column()}
 * (both 1-based) point at the offending place.
 */
public class CbpfSyntaxException extends CbpfException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    /** A problem at {@code line}:{@code column} (1-based). */
    public CbpfSyntaxException(int line, int column, String problem) {
        super(-1, "line " + line + ", column " + column + ": " + problem);
        this.line = line;
        this.column = column;
    }

    /** The 1-based line. */
    public int line() {
        return line;
    }

    /** The 1-based column. */
    public int column() {
        return column;
    }
}
