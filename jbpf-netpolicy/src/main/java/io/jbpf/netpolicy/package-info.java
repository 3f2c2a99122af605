/**
 * The Kubernetes datapath of the Cilium design, built on jbpf: identities
 * ({@code io.jbpf.netpolicy.identity}), policy ({@code io.jbpf.netpolicy.policy}) and the datapath's
 * policy step ({@code io.jbpf.netpolicy.datapath}) so far; the
 * lab, agent, ipcache, conntrack, services and flows follow.
 */
package io.jbpf.netpolicy;
