/**
 * The Kubernetes datapath of the Cilium design, built on jbpf: identities
 * ({@code io.jbpf.netpolicy.identity}) and policy ({@code io.jbpf.netpolicy.policy}) so far; the
 * lab, agent, ipcache, conntrack, services and flows follow.
 */
package io.jbpf.netpolicy;
