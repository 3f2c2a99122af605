package io.jbpf.netpolicy.lab;

import io.jbpf.core.JbpfException;

/** A lab that cannot be built, found or used: a failed {@code ip} command, an unknown pod, ... */
public class LabException extends JbpfException {
    private static final long serialVersionUID = 1L;

    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
