package io.jbpf.netpolicy.health;

import io.jbpf.core.JbpfException;

/** Cluster health could not start: a responder could not bind, a namespace could not be opened. */
public final class HealthException extends JbpfException {
    private static final long serialVersionUID = 1L;

    /** An exception with {@code message} and its {@code cause}. */
    public HealthException(String message, Throwable cause) {
        super(message, cause);
    }
}
