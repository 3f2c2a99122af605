/**
 * The Kubernetes datapath of the Cilium design: endpoints, identities, ipcache, policy, conntrack, services, flows.
 *
 * <p>Not implemented yet: this module is a shell that later issues fill.
 */
package io.jbpf.netpolicy;
