package io.jbpf.core.dsl;

import io.jbpf.core.JbpfException;

/** A packet program that cannot be built as written: the message names what was wrong. */
public class DslException extends JbpfException {
    private static final long serialVersionUID = 1L;

    public DslException(String message) {
        super(message);
    }
}
