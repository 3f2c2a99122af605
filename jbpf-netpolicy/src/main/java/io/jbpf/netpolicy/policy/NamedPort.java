package io.jbpf.netpolicy.policy;

import java.util.Objects;

/**
 * A port an endpoint serves under a name (a container's {@code ports[].name}), which rules may name
 * instead of the number.
 *
 * @param name     the name
 * @param protocol its protocol
 * @param port     its number
 */
public record NamedPort(String name, Protocol protocol, int port) {
    /** @throws IllegalArgumentException for a port out of 1..65535 */
    public NamedPort {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(protocol, "protocol");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("named port '" + name + "': port " + port + " is out of range (1-65535)");
        }
    }
}
