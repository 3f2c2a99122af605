package io.jbpf.core.dsl.filter;

/**
 * A pcap-filter expression that does not parse. {@link #column()} (1-based) points at the first
 * token that does not fit, and {@link #expected()} says what would have fit there, e.g.
 * {@code 1:6: expected a port number, found 'and'}.
 */
public final class PcapFilterSyntaxException extends PcapFilterException {
    private static final long serialVersionUID = 1L;

    private final String expected;
    private final String found;

    /**
     * @param line     1-based line
     * @param column   1-based column
     * @param expected what the parser expected, e.g. "a port number"
     * @param found    the offending token as written, or "end of expression"
     */
    public PcapFilterSyntaxException(int line, int column, String expected, String found) {
        super(line, column, "expected " + expected + ", found " + found);
        this.expected = expected;
        this.found = found;
    }

    /** What would have fit at the error position. */
    public String expected() {
        return expected;
    }

    /** The offending token as written ({@code end of expression} at the end). */
    public String found() {
        return found;
    }
}
