package io.jbpf.netpolicy.lab;

/**
 * One network namespace of a running lab, as {@link Lab#members()} finds it.
 *
 * @param kind      what it stands for
 * @param name      the node or pod name ({@code namespace/name} for pods), {@code outside}, {@code underlay}
 * @param namespace the network namespace's name
 * @param node      the node it is attached to (pods and health endpoints), else empty
 * @param ip        its address (pods, nodes, health, outside), or null for the underlay
 * @param present   whether the network namespace exists
 * @param processes how many processes run in it (the built-in servers, commands being run)
 */
public record LabMember(Kind kind, String name, String namespace, String node, Ipv4 ip, boolean present, int processes) {

    /** The roles of a lab's namespaces. */
    public enum Kind {
        /** The bridge of the underlay segment. */
        UNDERLAY,
        /** The host standing in for the internet. */
        OUTSIDE,
        /** A node. */
        NODE,
        /** A node's health endpoint. */
        HEALTH,
        /** A pod. */
        POD
    }
}
