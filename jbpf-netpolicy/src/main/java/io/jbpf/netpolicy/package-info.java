/**
 * The Kubernetes datapath of the Cilium design, built on jbpf: identities
 * ({@code io.jbpf.netpolicy.identity}), policy ({@code io.jbpf.netpolicy.policy}), the datapath's
 * policy step ({@code io.jbpf.netpolicy.datapath}) and the lab ({@link io.jbpf.netpolicy.lab}: the
 * cluster in network namespaces the datapath is tested in) so far; the agent, ipcache, conntrack,
 * services and flows follow.
 */
package io.jbpf.netpolicy;
