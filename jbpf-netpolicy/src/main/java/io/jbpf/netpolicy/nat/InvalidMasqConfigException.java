package io.jbpf.netpolicy.nat;

import io.jbpf.netpolicy.InvalidDocumentException;

/**
 * An ip-masq-agent config that cannot be used: the field that is wrong, its line and column, and
 * why. A config that throws changes nothing.
 */
public final class InvalidMasqConfigException extends InvalidDocumentException {
    private static final long serialVersionUID = 1L;

    /** An error at {@code field} (line and column 0 when unknown). */
    public InvalidMasqConfigException(String field, int line, int column, String message) {
        super(field, line, column, message);
    }
}
