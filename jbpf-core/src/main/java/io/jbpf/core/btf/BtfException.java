package io.jbpf.core.btf;

import io.jbpf.core.JbpfException;

/** BTF that cannot be read or used: truncated, out-of-range ids or offsets, reference loops. Names the type. */
public class BtfException extends JbpfException {
    private static final long serialVersionUID = 1L;

    public BtfException(String message) {
        super(message);
    }
}
