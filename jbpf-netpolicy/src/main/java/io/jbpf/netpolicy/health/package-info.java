/**
 * Cluster health, as Cilium's {@code cilium-health}: every node's agent answers on port
 * {@value io.jbpf.netpolicy.health.ClusterHealth#PORT} at the node's address and at its health
 * endpoint's address ({@link io.jbpf.netpolicy.health.HealthResponder}), and probes those two
 * addresses of every node of the cluster, itself included, from the node's network namespace
 * ({@link io.jbpf.netpolicy.health.ClusterHealth}); the last result per node is a
 * {@link io.jbpf.netpolicy.health.NodeHealth}.
 */
package io.jbpf.netpolicy.health;
