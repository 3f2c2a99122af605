package io.jbpf.netpolicy.service;

/** {@code externalTrafficPolicy} / {@code internalTrafficPolicy}: which backends a node may use. */
public enum TrafficPolicy {
    /** Every backend of the cluster (the default). */
    CLUSTER,
    /** Only backends on the node that received the packet; none there means the packet is dropped. */
    LOCAL
}
