package io.jbpf.netpolicy.service;

import io.jbpf.netpolicy.lab.Ipv4;
import io.jbpf.netpolicy.policy.Protocol;
import java.util.Objects;

/**
 * Where clients reach a service: an address, port and protocol (the key of the service map). A
 * node port's address is {@link #ANY_NODE} ({@code 0.0.0.0}): the port on every node's address,
 * which the datapath expands per node.
 *
 * @param address the address; {@link #ANY_NODE} for a node port
 * @param port 1–65535
 * @param protocol TCP, UDP or SCTP
 * @param kind cluster IP, node port or external IP
 */
public record Frontend(Ipv4 address, int port, Protocol protocol, FrontendKind kind) {
    /** The address of a node port frontend: every node's address. */
    public static final Ipv4 ANY_NODE = new Ipv4(0);

    /** Checks the port and that only a node port has {@link #ANY_NODE}. */
    public Frontend {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(kind, "kind");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range (1-65535)");
        }
        if ((kind == FrontendKind.NODE_PORT) != address.equals(ANY_NODE)) {
            throw new IllegalArgumentException("a node port frontend, and only it, has address 0.0.0.0");
        }
    }

    /** {@code 10.96.0.10:53/UDP}, as {@code cilium service list} prints a frontend. */
    @Override
    public String toString() {
        return address + ":" + port + "/" + protocol;
    }
}
