package io.jbpf.netpolicy.service;

import io.jbpf.netpolicy.lab.Ipv4;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Kubernetes Service (v1) as far as load balancing needs it.
 *
 * @param namespace its namespace
 * @param name its name
 * @param type ClusterIP, NodePort or LoadBalancer
 * @param clusterIp its cluster IP; empty for a headless service ({@code clusterIP: None}), which
 *     has no frontend
 * @param ports its ports, at least one
 * @param externalIps addresses that also take the service ports (frontends of their own)
 * @param sessionAffinity None or ClientIP with its timeout
 * @param externalTrafficPolicy which backends node ports and external IPs use
 * @param internalTrafficPolicy which backends the cluster IP uses
 * @param selector the pod selector ({@code spec.selector}; empty when the endpoints are managed by hand)
 */
public record Service(
        String namespace,
        String name,
        ServiceType type,
        Optional<Ipv4> clusterIp,
        List<ServicePort> ports,
        List<Ipv4> externalIps,
        SessionAffinity sessionAffinity,
        TrafficPolicy externalTrafficPolicy,
        TrafficPolicy internalTrafficPolicy,
        Map<String, String> selector) {

    /** Copies the lists and the selector. */
    public Service {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(clusterIp, "clusterIp");
        ports = List.copyOf(ports);
        externalIps = List.copyOf(externalIps);
        Objects.requireNonNull(sessionAffinity, "sessionAffinity");
        Objects.requireNonNull(externalTrafficPolicy, "externalTrafficPolicy");
        Objects.requireNonNull(internalTrafficPolicy, "internalTrafficPolicy");
        selector = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(selector));
    }

    /** {@code namespace/name}. */
    public String qualifiedName() {
        return namespace + "/" + name;
    }

    /** Whether it is headless ({@code clusterIP: None}). */
    public boolean isHeadless() {
        return clusterIp.isEmpty();
    }
}
