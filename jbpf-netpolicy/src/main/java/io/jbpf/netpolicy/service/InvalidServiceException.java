package io.jbpf.netpolicy.service;

import io.jbpf.netpolicy.InvalidDocumentException;

/**
 * A Service or EndpointSlice document that cannot be imported: the field that is wrong (its path,
 * e.g. {@code spec.ports[1].nodePort}), its line and column, and why. Nothing of an input that
 * throws is imported.
 */
public final class InvalidServiceException extends InvalidDocumentException {
    private static final long serialVersionUID = 1L;

    /** An error at {@code field} (line and column 0 when unknown). */
    public InvalidServiceException(String field, int line, int column, String message) {
        super(field, line, column, message);
    }
}
