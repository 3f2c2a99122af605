package io.jbpf.netpolicy.policy;

/** Which traffic of an endpoint a rule judges: what arrives at it, or what it sends. */
public enum Direction {
    /** Traffic to the endpoint; the peer is the source. */
    INGRESS,
    /** Traffic from the endpoint; the peer is the destination. */
    EGRESS
}
