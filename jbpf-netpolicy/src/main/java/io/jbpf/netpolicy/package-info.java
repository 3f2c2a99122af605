/**
 * The Kubernetes datapath of the Cilium design, built on jbpf: the {@code lab} (a cluster in
 * network namespaces), {@code identity} (labels to numeric identities shared by the nodes),
 * {@code policy} (Kubernetes and Cilium policies, resolved to policy map entries), {@code datapath}
 * (the maps and the TC programs on each pod's veth, built with the packet DSL), {@code agent} (one
 * per node: reconciles the datapath, answers the CLI on a Unix socket) and {@code flow} (drop and
 * verdict events, Hubble-style). Conntrack, services, masquerade and metrics follow.
 */
package io.jbpf.netpolicy;
