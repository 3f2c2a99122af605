package io.jbpf.maps;

import io.jbpf.core.JbpfException;

/** A CIDR prefix length outside {@code 0 ..} the address's bit count (32 for IPv4, 128 for IPv6). */
public class InvalidPrefixException extends JbpfException {
    private static final long serialVersionUID = 1L;

    public InvalidPrefixException(String message) {
        super(message);
    }
}
