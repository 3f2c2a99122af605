package io.jbpf.core.asm;

import io.jbpf.core.JbpfException;
import java.util.Optional;

/**
 * A program that cannot be assembled: a syntax error in the text (with its line and column), an
 * undefined or duplicate label, a jump whose target is out of range, or an operand that does not
 * fit.
 */
public class AssemblerException extends JbpfException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final String label;

    private AssemblerException(String message, int line, int column, String label, Throwable cause) {
        super(message, cause);
        this.line = line;
        this.column = column;
        this.label = label;
    }

    /** A problem with no position in a text source (fluent assembler use). */
    public AssemblerException(String message) {
        this(message, 0, 0, null, null);
    }

    /** A problem at {@code line} and {@code column} (both 1-based) of a text source. */
    static AssemblerException at(int line, int column, String problem, Throwable cause) {
        return new AssemblerException("line " + line + ", column " + column + ": " + problem,
                line, column, null, cause);
    }

    /** A problem with a label, at a text position if {@code line > 0}. */
    static AssemblerException forLabel(String label, int line, int column, String problem) {
        String where = line > 0 ? "line " + line + ", column " + column + ": " : "";
        return new AssemblerException(where + problem, line, column, label, null);
    }

    /** The 1-based line of the text source, or 0 when the program did not come from text. */
    public int line() {
        return line;
    }

    /** The 1-based column of the text source, or 0 when the program did not come from text. */
    public int column() {
        return column;
    }

    /** The label the problem is about, if it is about one. */
    public Optional<String> label() {
        return Optional.ofNullable(label);
    }
}
