package io.jbpf.netpolicy.policy;

import io.jbpf.netpolicy.InvalidDocumentException;

/**
 * A policy document that cannot be applied: the field that is wrong (its path, e.g.
 * {@code spec.ingress[0].ports[1].port}), its line and column, and why. Nothing of a document
 * that throws is applied.
 */
public final class InvalidPolicyException extends InvalidDocumentException {
    private static final long serialVersionUID = 1L;

    /** An error at {@code field} (line and column 0 when unknown). */
    public InvalidPolicyException(String field, int line, int column, String message) {
        super(field, line, column, message);
    }
}
