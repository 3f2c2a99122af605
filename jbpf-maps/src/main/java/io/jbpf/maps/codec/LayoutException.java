package io.jbpf.maps.codec;

import io.jbpf.core.JbpfException;

/** A record cannot be laid out as a C struct: an unsupported component type or a contradictory annotation. */
public class LayoutException extends JbpfException {
    private static final long serialVersionUID = 1L;

    public LayoutException(String message) {
        super(message);
    }

    public LayoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
