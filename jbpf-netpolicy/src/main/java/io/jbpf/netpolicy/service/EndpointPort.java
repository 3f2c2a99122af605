package io.jbpf.netpolicy.service;

import io.jbpf.netpolicy.policy.Protocol;

/**
 * A port of an {@link EndpointSlice}: the service port of the same name maps to it.
 *
 * @param name the service port's name ({@code ""} for an unnamed one)
 * @param protocol TCP, UDP or SCTP
 * @param port the port the endpoints listen on, 1–65535
 */
public record EndpointPort(String name, Protocol protocol, int port) {
    /** Checks the protocol and range. */
    public EndpointPort {
        java.util.Objects.requireNonNull(name, "name");
        if (protocol != Protocol.TCP && protocol != Protocol.UDP && protocol != Protocol.SCTP) {
            throw new IllegalArgumentException("protocol is TCP, UDP or SCTP, not " + protocol);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range (1-65535)");
        }
    }
}
