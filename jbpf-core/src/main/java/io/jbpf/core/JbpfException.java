package io.jbpf.core;

/**
 * The root of every exception jbpf throws on purpose. Unchecked: most failures are either
 * programming errors (bad instructions, bad arguments) or environment errors (no privilege, an old
 * kernel) that callers handle at a boundary, not at each call.
 */
public class JbpfException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JbpfException(String message) {
        super(message);
    }

    public JbpfException(String message, Throwable cause) {
        super(message, cause);
    }
}
