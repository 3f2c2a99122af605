package io.jbpf.core.dsl.filter;

import io.jbpf.core.JbpfException;

/**
 * A pcap-filter expression that cannot be compiled: a syntax error, or a well-formed expression
 * that libpcap would also refuse (for example {@code tcp host 1.2.3.4}: "'tcp' modifier applied to
 * host"), or a host name (this compiler never resolves names). The message starts with
 * {@code line:column: } where the position is known; lines and columns are 1-based.
 */
public class PcapFilterException extends JbpfException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final String detail;

    /**
     * @param line   1-based line of the offending token, or 0 if unknown
     * @param column 1-based column of the offending token, or 0 if unknown
     * @param detail what is wrong, without the position
     */
    public PcapFilterException(int line, int column, String detail) {
        super(line > 0 ? line + ":" + column + ": " + detail : detail);
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    /** The 1-based line of the offending token, or 0 if the error has no position. */
    public int line() {
        return line;
    }

    /** The 1-based column of the offending token, or 0 if the error has no position. */
    public int column() {
        return column;
    }

    /** The message without the {@code line:column: } prefix. */
    public String detail() {
        return detail;
    }
}
