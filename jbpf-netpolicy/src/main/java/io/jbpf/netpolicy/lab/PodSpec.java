package io.jbpf.netpolicy.lab;

import java.util.List;
import java.util.Map;

/**
 * A pod of the lab: a network namespace of its own whose {@code eth0} (a /32 and a default route
 * via its node's router) is joined by a veth to its node.
 *
 * @param name      the pod name (a DNS label)
 * @param namespace its Kubernetes namespace
 * @param labels    its labels
 * @param node      the name of the node it runs on
 * @param ip        its address, in the node's pod CIDR
 * @param ports     the ports its built-in servers listen on
 */
public record PodSpec(String name, String namespace, Map<String, String> labels, String node, Ipv4 ip,
        List<PortSpec> ports) {

    public PodSpec {
        labels = Map.copyOf(labels);
        ports = List.copyOf(ports);
    }

    /** {@code namespace/name}, unique in a lab. */
    public String qualifiedName() {
        return namespace + "/" + name;
    }
}
