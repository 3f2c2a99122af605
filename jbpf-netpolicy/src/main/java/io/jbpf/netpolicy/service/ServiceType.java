package io.jbpf.netpolicy.service;

/** A Service's {@code spec.type} ({@code ExternalName} is not load-balanced and is refused). */
public enum ServiceType {
    /** Reachable on its cluster IP only. */
    CLUSTER_IP,
    /** Also on every node's address at each port's {@code nodePort}. */
    NODE_PORT,
    /**
     * Handled as {@link #NODE_PORT}, as Kubernetes does below the cloud load balancer: the
     * load balancer's own address ({@code status.loadBalancer}) is not a frontend.
     */
    LOAD_BALANCER;

    /** Whether the ports have node ports. */
    public boolean hasNodePorts() {
        return this != CLUSTER_IP;
    }
}
