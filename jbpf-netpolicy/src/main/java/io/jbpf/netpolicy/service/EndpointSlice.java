package io.jbpf.netpolicy.service;

import java.util.List;
import java.util.Objects;

/**
 * A Kubernetes EndpointSlice (discovery.k8s.io/v1, addressType IPv4): some of a service's endpoints.
 *
 * @param namespace its namespace (the service's)
 * @param name its name
 * @param serviceName the service it belongs to, from its label {@value #SERVICE_NAME_LABEL}
 * @param endpoints its endpoints
 * @param ports the ports every endpoint of the slice listens on
 */
public record EndpointSlice(String namespace, String name, String serviceName, List<Endpoint> endpoints,
        List<EndpointPort> ports) {
    /** The label naming a slice's service. */
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    /** Copies the lists. */
    public EndpointSlice {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(serviceName, "serviceName");
        endpoints = List.copyOf(endpoints);
        ports = List.copyOf(ports);
    }

    /** {@code namespace/name}. */
    public String qualifiedName() {
        return namespace + "/" + name;
    }
}
