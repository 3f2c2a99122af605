/**
 * The service load-balancing model (the kube-proxy replacement's input): Kubernetes
 * {@link io.jbpf.netpolicy.service.Service Services} and the
 * {@link io.jbpf.netpolicy.service.EndpointSlice EndpointSlices} that list their backends, and
 * {@link io.jbpf.netpolicy.service.ServiceYaml} which reads both from YAML and resolves them into
 * {@link io.jbpf.netpolicy.service.ResolvedService resolved services}: each
 * {@link io.jbpf.netpolicy.service.Frontend frontend} (cluster IP, node port, external IP with a port
 * and protocol) with its {@link io.jbpf.netpolicy.service.Backend backends}, as {@code cilium service
 * list} shows them. Model and parsing only: no map, no syscall.
 */
package io.jbpf.netpolicy.service;
