package io.jbpf.core.dsl.lb;

import io.jbpf.core.dsl.nat.Endpoint;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.RawMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The control plane of the load balancer: writes services, backends, selection arrays and Maglev
 * tables into the maps of {@link LbMaps} (kernel maps or in-memory ones, for the VM). Changing a
 * service's backends rebuilds its Maglev table; flows already in {@code lb_aff} keep their backend
 * as long as it exists.
 */
public final class LoadBalancer {
    private final LbMaps sizes;
    private final Map<String, RawMap> maps;
    private final Map<ServiceKey, Integer> serviceIds = new HashMap<>();
    private final Map<ServiceKey, Map<Endpoint, Integer>> backendIds = new HashMap<>();
    private int nextBackendId = 1;

    /**
     * A control plane over {@code maps}, which must hold the six maps of {@code sizes} by name.
     *
     * @throws IllegalArgumentException naming a missing map or one of another shape
     */
    public LoadBalancer(LbMaps sizes, Map<String, ? extends RawMap> maps) {
        this.sizes = Objects.requireNonNull(sizes, "sizes");
        this.maps = new HashMap<>(maps);
        for (var spec : sizes.specs()) {
            RawMap m = this.maps.get(spec.name());
            if (m == null) {
                throw new IllegalArgumentException("the load balancer needs map '" + spec.name() + "'");
            }
            if (m.spec().keySize() != spec.keySize() || m.spec().valueSize() != spec.valueSize()
                    || m.spec().maxEntries() < spec.maxEntries() || m.spec().type() != spec.type()) {
                throw new IllegalArgumentException("map '" + spec.name() + "' is " + m.spec() + ", expected " + spec);
            }
        }
    }

    /**
     * Sets (or replaces) the service at {@code key} to pick among {@code backends} by {@code algorithm}.
     * Backends that left are removed from {@code lb_backend}, so flows pinned to them pick again.
     */
    public void setService(ServiceKey key, Algorithm algorithm, List<Endpoint> backends) {
        setService(key, algorithm, backends, java.util.Collections.nCopies(backends.size(), 1));
    }

    /**
     * As {@link #setService(ServiceKey, Algorithm, List)} with a weight (at least 1) per backend:
     * the Maglev table gives each backend slots in proportion to its weight. Only
     * {@link Algorithm#MAGLEV} honours weights; other algorithms refuse unequal ones.
     */
    public void setService(ServiceKey key, Algorithm algorithm, List<Endpoint> backends, List<Integer> weights) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(algorithm, "algorithm");
        if (weights.size() != backends.size()) {
            throw new IllegalArgumentException("service " + key + ": " + weights.size() + " weights for "
                    + backends.size() + " backends");
        }
        if (algorithm != Algorithm.MAGLEV && weights.stream().distinct().count() > 1) {
            throw new IllegalArgumentException("service " + key + ": only MAGLEV honours backend weights, not " + algorithm);
        }
        if (backends.size() > sizes.maxBackendsPerService()) {
            throw new IllegalArgumentException("service " + key + " has " + backends.size()
                    + " backends, more than the " + sizes.maxBackendsPerService() + " the maps hold");
        }
        Integer id = serviceIds.get(key);
        if (id == null) {
            if (serviceIds.size() >= sizes.maxServices()) {
                throw new IllegalArgumentException("no room for service " + key + ": the maps hold "
                        + sizes.maxServices() + " services");
            }
            id = firstFreeServiceId();
            serviceIds.put(key, id);
        }
        Map<Endpoint, Integer> old = backendIds.getOrDefault(key, Map.of());
        Map<Endpoint, Integer> now = new LinkedHashMap<>();
        for (Endpoint b : backends) {
            if (now.containsKey(b)) {
                throw new IllegalArgumentException("backend " + b + " appears twice in service " + key);
            }
            Integer bid = old.get(b);
            now.put(b, bid != null ? bid : nextBackendId++);
        }
        for (Map.Entry<Endpoint, Integer> e : now.entrySet()) {
            map(LbMaps.BACKENDS).update(u32(e.getValue()), e.getKey().toBytes(), MapFlags.ANY);
        }
        List<Integer> ids = new ArrayList<>(now.values());
        for (int i = 0; i < ids.size(); i++) {
            map(LbMaps.SELECTION).update(u32(id * sizes.maxBackendsPerService() + i), u32(ids.get(i)), MapFlags.ANY);
        }
        if (!backends.isEmpty()) {
            List<Maglev.Backend> named = new ArrayList<>();
            for (int i = 0; i < backends.size(); i++) {
                named.add(new Maglev.Backend(backends.get(i).toString(), weights.get(i)));
            }
            int[] table = Maglev.build(named, sizes.maglevSize()).table();
            RawMap mg = map(LbMaps.MAGLEV);
            for (int s = 0; s < table.length; s++) {
                mg.update(u32(id * sizes.maglevSize() + s), u32(ids.get(table[s])), MapFlags.ANY);
            }
        }
        map(LbMaps.SERVICES).update(key.toBytes(), new Service(id, backends.size(), algorithm).toBytes(), MapFlags.ANY);
        for (Map.Entry<Endpoint, Integer> e : old.entrySet()) {
            if (!now.containsKey(e.getKey())) {
                map(LbMaps.BACKENDS).delete(u32(e.getValue()));
            }
        }
        backendIds.put(key, now);
    }

    /** Removes the service; its flows' affinity entries age out of the LRU map. */
    public void removeService(ServiceKey key) {
        Integer id = serviceIds.remove(key);
        if (id == null) {
            throw new IllegalArgumentException("no service " + key);
        }
        map(LbMaps.SERVICES).delete(key.toBytes());
        for (int bid : backendIds.remove(key).values()) {
            map(LbMaps.BACKENDS).delete(u32(bid));
        }
    }

    /** The backend id of {@code backend} in service {@code key}, as the maps hold it. */
    public int backendId(ServiceKey key, Endpoint backend) {
        Integer bid = backendIds.getOrDefault(key, Map.of()).get(backend);
        if (bid == null) {
            throw new IllegalArgumentException("service " + key + " has no backend " + backend);
        }
        return bid;
    }

    private int firstFreeServiceId() {
        for (int i = 0;; i++) {
            if (!serviceIds.containsValue(i)) {
                return i;
            }
        }
    }

    private RawMap map(String name) {
        return maps.get(name);
    }

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }
}
