package io.jbpf.netpolicy.service;

import io.jbpf.netpolicy.lab.Ipv4;
import io.jbpf.netpolicy.policy.Protocol;
import java.util.Objects;
import java.util.Optional;

/**
 * One backend of a frontend: where a connection to the frontend is sent.
 *
 * @param address the endpoint's address
 * @param port the port it listens on, 1–65535
 * @param protocol the frontend's protocol
 * @param state active or terminating
 * @param nodeName the node it runs on, if known ({@link TrafficPolicy#LOCAL} uses it)
 * @param podName the pod, if known
 */
public record Backend(Ipv4 address, int port, Protocol protocol, BackendState state, Optional<String> nodeName,
        Optional<String> podName) {
    /** Checks the port. */
    public Backend {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(podName, "podName");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range (1-65535)");
        }
    }

    /** {@code 10.0.1.5:8080/TCP (active)}, as {@code cilium service list} prints a backend. */
    @Override
    public String toString() {
        return address + ":" + port + "/" + protocol + " (" + state.label() + ")";
    }
}
