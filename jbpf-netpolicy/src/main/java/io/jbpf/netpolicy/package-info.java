/**
 * The Kubernetes datapath of the Cilium design: endpoints, identities, ipcache, policy, conntrack, services, flows.
 *
 * <p>So far: {@link io.jbpf.netpolicy.lab}, the cluster in network namespaces the datapath is
 * tested in. The agent, the datapath programs and the policy model come in later issues' slices.
 */
package io.jbpf.netpolicy;
