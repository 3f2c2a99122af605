package io.jbpf.netpolicy.lab;

import java.util.List;

/**
 * The host standing in for the internet: a network namespace on the underlay segment with a
 * documentation address, which routes each pod CIDR to its node (as a router that learned them
 * would) and is every node's default gateway.
 *
 * @param ip    its address ({@code 203.0.113.10} by default)
 * @param ports ports its built-in servers listen on
 */
public record OutsideSpec(Ipv4 ip, List<PortSpec> ports) {
    public OutsideSpec {
        ports = List.copyOf(ports);
    }
}
