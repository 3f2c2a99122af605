package io.jbpf.core.dsl.lb;

import io.jbpf.core.dsl.nat.Endpoint;
import io.jbpf.core.dsl.nat.FlowKey;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import java.util.List;

/**
 * The maps of the load balancer and their sizes, as specs:
 * <ul>
 * <li>{@code lb_svc} (hash): {@link ServiceKey} → {@link Service};
 * <li>{@code lb_backend} (hash): backend id ({@code __u32}) → its {@link Endpoint};
 * <li>{@code lb_bsel} (array): {@code service id * maxBackendsPerService + i} → the i-th backend id,
 *     for {@link Algorithm#RANDOM} and {@link Algorithm#HASH};
 * <li>{@code lb_maglev} (array): {@code service id * maglevSize + slot} → backend id (a flat array
 *     of one Maglev table per service);
 * <li>{@code lb_aff} (LRU hash): the client's {@link FlowKey} → backend id ({@code __u32} and 4 bytes
 *     of padding): connection affinity;
 * <li>{@code lb_rev} (LRU hash): the reply's {@link FlowKey} (backend → client) → the VIP
 *     {@link Endpoint} to put back as its source.
 * </ul>
 *
 * @param maxServices           how many services
 * @param maxBackendsPerService how many backends one service may have
 * @param maglevSize            the Maglev table size M (prime, greater than maxBackendsPerService)
 * @param maxFlows              capacity of the affinity and reverse maps
 */
public record LbMaps(int maxServices, int maxBackendsPerService, int maglevSize, int maxFlows) {
    public static final String SERVICES = "lb_svc";
    public static final String BACKENDS = "lb_backend";
    public static final String SELECTION = "lb_bsel";
    public static final String MAGLEV = "lb_maglev";
    public static final String AFFINITY = "lb_aff";
    public static final String REVERSE = "lb_rev";

    public LbMaps {
        if (maxServices < 1 || maxBackendsPerService < 1 || maxFlows < 1) {
            throw new IllegalArgumentException("load balancer sizes must be positive: services " + maxServices
                    + ", backends per service " + maxBackendsPerService + ", flows " + maxFlows);
        }
        if (!Maglev.isPrime(maglevSize) || maglevSize <= maxBackendsPerService) {
            throw new IllegalArgumentException("Maglev size " + maglevSize
                    + " must be a prime greater than the backends per service (" + maxBackendsPerService + ")");
        }
        if ((long) maxServices * maglevSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(maxServices + " services of Maglev size " + maglevSize + " are too many slots");
        }
    }

    /** 16 services of up to 64 backends, Maglev size 16381, 65536 flows. */
    public static LbMaps defaults() {
        return new LbMaps(16, 64, Maglev.DEFAULT_SIZE, 65536);
    }

    /** All six specs. */
    public List<MapSpec> specs() {
        return List.of(
                MapSpec.of(SERVICES, MapType.HASH, ServiceKey.SIZE, Service.SIZE, maxServices),
                MapSpec.of(BACKENDS, MapType.HASH, 4, Endpoint.SIZE, maxServices * maxBackendsPerService),
                MapSpec.of(SELECTION, MapType.ARRAY, 4, 4, maxServices * maxBackendsPerService),
                MapSpec.of(MAGLEV, MapType.ARRAY, 4, 4, maxServices * maglevSize),
                MapSpec.of(AFFINITY, MapType.LRU_HASH, FlowKey.SIZE, 8, maxFlows),
                MapSpec.of(REVERSE, MapType.LRU_HASH, FlowKey.SIZE, Endpoint.SIZE, maxFlows));
    }
}
