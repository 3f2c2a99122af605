/**
 * Security identities: {@link io.jbpf.netpolicy.identity.Labels} of pods (with their namespace's
 * name and labels) get numeric {@link io.jbpf.netpolicy.identity.Identity identities} from an
 * {@link io.jbpf.netpolicy.identity.IdentityAllocator} that the nodes of a cluster share; the
 * reserved identities keep Cilium's numbers (host 1, world 2, health 4, remote-node 6, …) and CIDRs
 * get node-local identities whose labels name every prefix containing them.
 */
package io.jbpf.netpolicy.identity;
