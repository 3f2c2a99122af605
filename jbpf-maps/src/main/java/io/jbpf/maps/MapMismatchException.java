package io.jbpf.maps;

import io.jbpf.core.JbpfException;

/**
 * A map does not fit the typed view asked for: another map type, or key/value sizes other than the
 * codecs encode. The message names both sides.
 */
public class MapMismatchException extends JbpfException {
    private static final long serialVersionUID = 1L;

    public MapMismatchException(String message) {
        super(message);
    }
}
