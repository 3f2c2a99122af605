package io.jbpf.netpolicy.policy;

import java.util.Objects;

/**
 * The ports a rule opens (or denies): a protocol with a port, a port range, or a named port that
 * the endpoint serving it resolves ({@code containerPort} names).
 *
 * @param protocol the protocol; {@link Protocol#ANY} with port 0 means every protocol and port
 * @param port     the first port, 0 for every port of the protocol
 * @param endPort  the last port (equal to {@code port} for one port)
 * @param name     the port's name instead of a number, or null
 */
public record PortRule(Protocol protocol, int port, int endPort, String name) {
    /** Every protocol, every port. */
    public static final PortRule ANY = new PortRule(Protocol.ANY, 0, 0, null);

    /** @throws IllegalArgumentException for ports out of 0..65535 or an end before the start */
    public PortRule {
        Objects.requireNonNull(protocol, "protocol");
        if (name != null) {
            if (port != 0 || endPort != 0) {
                throw new IllegalArgumentException("named port '" + name + "' takes no number");
            }
            if (name.isEmpty() || name.length() > 15) {
                throw new IllegalArgumentException("port name '" + name + "' must have 1 to 15 characters");
            }
        } else {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is out of range (1-65535)");
            }
            if (endPort < port || endPort > 65535) {
                throw new IllegalArgumentException("endPort " + endPort + " must be between port " + port + " and 65535");
            }
            if (port == 0 && endPort != 0) {
                throw new IllegalArgumentException("endPort " + endPort + " needs a port");
            }
        }
    }

    /** One port of a protocol. */
    public static PortRule of(Protocol protocol, int port) {
        return new PortRule(protocol, port, port, null);
    }

    /** A range of ports of a protocol. */
    public static PortRule range(Protocol protocol, int port, int endPort) {
        return new PortRule(protocol, port, endPort, null);
    }

    /** A named port of a protocol. */
    public static PortRule named(Protocol protocol, String name) {
        return new PortRule(protocol, 0, 0, name);
    }

    /** Whether this names a port instead of numbering it. */
    public boolean isNamed() {
        return name != null;
    }
}
