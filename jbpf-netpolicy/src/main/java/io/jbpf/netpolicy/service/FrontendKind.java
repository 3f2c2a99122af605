package io.jbpf.netpolicy.service;

/** What kind of address a {@link Frontend} is. */
public enum FrontendKind {
    /** The service's cluster IP; uses {@code internalTrafficPolicy}. */
    CLUSTER_IP,
    /** A node port on every node's address; uses {@code externalTrafficPolicy}. */
    NODE_PORT,
    /** One of the service's external IPs; uses {@code externalTrafficPolicy}. */
    EXTERNAL_IP
}
