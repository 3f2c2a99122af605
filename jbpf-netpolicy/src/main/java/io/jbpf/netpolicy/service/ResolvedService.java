package io.jbpf.netpolicy.service;

import java.util.List;
import java.util.Objects;

/**
 * A service with its endpoint slices resolved into frontends and backends.
 *
 * @param service the service
 * @param slices its endpoint slices, in input order
 * @param frontends its frontends: per port the cluster IP (unless headless), the node port (NodePort
 *     and LoadBalancer), then each external IP; a headless service has none
 */
public record ResolvedService(Service service, List<EndpointSlice> slices, List<ServiceFrontend> frontends) {
    /** Copies the lists. */
    public ResolvedService {
        Objects.requireNonNull(service, "service");
        slices = List.copyOf(slices);
        frontends = List.copyOf(frontends);
    }
}
