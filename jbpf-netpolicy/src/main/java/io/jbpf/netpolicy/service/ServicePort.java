package io.jbpf.netpolicy.service;

import io.jbpf.netpolicy.policy.Protocol;

/**
 * One entry of a Service's {@code spec.ports}.
 *
 * @param name the port's name ({@code ""} when the service has a single unnamed port); EndpointSlice
 *     ports carry the same name
 * @param protocol TCP, UDP or SCTP
 * @param port the service port 1–65535
 * @param targetPort where the backends listen (the port itself by default)
 * @param nodePort 30000–32767 for NodePort and LoadBalancer services, 0 otherwise
 */
public record ServicePort(String name, Protocol protocol, int port, TargetPort targetPort, int nodePort) {
    /** The Kubernetes default node port range: lowest. */
    public static final int NODE_PORT_MIN = 30000;
    /** The Kubernetes default node port range: highest. */
    public static final int NODE_PORT_MAX = 32767;

    /** Checks the protocol and the port ranges. */
    public ServicePort {
        if (protocol != Protocol.TCP && protocol != Protocol.UDP && protocol != Protocol.SCTP) {
            throw new IllegalArgumentException("protocol is TCP, UDP or SCTP, not " + protocol);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range (1-65535)");
        }
        if (nodePort != 0 && (nodePort < NODE_PORT_MIN || nodePort > NODE_PORT_MAX)) {
            throw new IllegalArgumentException("nodePort " + nodePort + " is outside the node port range ("
                    + NODE_PORT_MIN + "-" + NODE_PORT_MAX + ")");
        }
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(targetPort, "targetPort");
    }
}
