package io.jbpf.netpolicy.lab;

/**
 * A node of the lab: a network namespace on the underlay with its pod CIDR (Kubernetes-mode IPAM),
 * a router address and a health address taken from that CIDR.
 *
 * @param name     the node name (a DNS label, e.g. {@code k8s-w1})
 * @param ip       the node's address on the underlay
 * @param podCidr  the prefix its pods take their addresses from
 * @param routerIp the node's address in its pod CIDR: every pod's default gateway
 * @param healthIp the address of the node's health endpoint, in its pod CIDR
 */
public record NodeSpec(String name, Ipv4 ip, Ipv4Cidr podCidr, Ipv4 routerIp, Ipv4 healthIp) {
}
