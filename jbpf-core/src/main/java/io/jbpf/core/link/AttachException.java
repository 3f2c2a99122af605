package io.jbpf.core.link;

import io.jbpf.core.BpfCommand;
import io.jbpf.core.BpfException;

/**
 * Attaching or detaching a program failed in a way the kernel reported with an errno. The message
 * names the program and the target, what the kernel said, and a hint at the usual cause.
 */
public final class AttachException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final String hint;
    private final String message;

    /** Wraps {@code cause} with {@code hint} (may be empty) about what usually causes it. */
    public AttachException(BpfException cause, String hint) {
        super("attach", cause.errno(), "");
        initCause(cause);
        this.hint = hint == null ? "" : hint;
        this.message = cause.getMessage() + (this.hint.isEmpty() ? "" : "; " + this.hint);
    }

    /** A hint at the usual cause of this errno for this kind of attachment, or empty. */
    public String hint() {
        return hint;
    }

    /** The bpf() command that failed, or {@code null} when another call failed. */
    @Override
    public BpfCommand command() {
        return ((BpfException) getCause()).command();
    }

    @Override
    public String getMessage() {
        return message;
    }
}
