package io.jbpf.netpolicy.agent;

/** An agent that cannot start, a request it refuses, or an agent that cannot be reached. */
public final class AgentException extends io.jbpf.core.JbpfException {
    private static final long serialVersionUID = 1L;

    /** With a message saying what went wrong. */
    public AgentException(String message) {
        super(message);
    }

    /** With a message and the cause. */
    public AgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
