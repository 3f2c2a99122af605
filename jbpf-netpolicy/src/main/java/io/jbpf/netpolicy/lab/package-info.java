/**
 * The lab: a Kubernetes-like cluster on one machine, made of network namespaces.
 *
 * <p>A {@link io.jbpf.netpolicy.lab.LabSpec} (YAML, or the built-in default: nodes {@code k8s-s},
 * {@code k8s-w1}, {@code k8s-w2} on underlay 192.168.10.0/24, pod CIDRs 172.16.0-2.0/24, an outside
 * host at 203.0.113.10, pods {@code netpod}, {@code webpod1}, {@code webpod2}) describes nodes, pods
 * with labels and served ports, and the outside host. {@link io.jbpf.netpolicy.lab.Lab#up} builds
 * it with plain Linux routing (native routing between nodes, no overlay, no eBPF yet): every node,
 * pod, health endpoint, the outside host and the underlay bridge is a network namespace named
 * {@code jbpf-lab-<lab>-...}; nothing is created in the root namespace. Pods run the built-in
 * servers ({@link io.jbpf.netpolicy.lab.serve}) as processes of their own;
 * {@link io.jbpf.netpolicy.lab.Lab#exec} runs commands in a pod and
 * {@link io.jbpf.netpolicy.lab.LabProbe} connects from one without a process.
 * {@link io.jbpf.netpolicy.lab.Lab#down(String)} removes a lab by its name, even after a crash.
 */
package io.jbpf.netpolicy.lab;
