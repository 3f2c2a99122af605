package io.jbpf.netpolicy.agent;

import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.RawMap;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Counts the agent's operations on the datapath's maps as Cilium's
 * {@code cilium_bpf_map_ops_total{map_name, operation, outcome}}: each map the agent writes is used
 * through {@link #meter}, a view that counts every lookup, update, delete, key walk step and
 * whole-map read ({@code lookup_batch}, once per read whatever its number of batches) as
 * {@code success} or, when the kernel refuses it (a full map, a wrong size), {@code fail}, and
 * passes the failure on. Closing a view does not close the map.
 */
final class MapOps {
    private final Counter ops;
    private final Map<String, RawMap> views = new ConcurrentHashMap<>();

    /** Registers the family in {@code registry}. */
    MapOps(PrometheusRegistry registry) {
        ops = Counter.builder().name("cilium_bpf_map_ops_total").help("Total operations on map, tagged by map name")
                .labelNames("map_name", "operation", "outcome").withoutExemplars().register(registry);
    }

    /** The counting view of {@code map} (one per map name). */
    RawMap meter(RawMap map) {
        Objects.requireNonNull(map, "map");
        return views.computeIfAbsent(map.spec().name(), n -> new Metered(map));
    }

    /** Counting views of every map of {@code maps}, by the same names. */
    Map<String, RawMap> meter(Map<String, ? extends RawMap> maps) {
        Map<String, RawMap> out = new LinkedHashMap<>();
        maps.forEach((name, m) -> out.put(name, meter(m)));
        return out;
    }

    /** How many operations of {@code operation} on {@code map} ended with {@code outcome} (for tests and status). */
    long count(String map, String operation, String outcome) {
        return (long) ops.labelValues(map, operation, outcome).get();
    }

    private final class Metered implements RawMap {
        private final RawMap map;
        private final CounterDataPoint[] success = new CounterDataPoint[6];
        private final CounterDataPoint[] fail = new CounterDataPoint[6];

        Metered(RawMap map) {
            this.map = map;
            String[] names = {"lookup", "update", "delete", "lookup_and_delete", "get_next_key", "lookup_batch"};
            for (int i = 0; i < names.length; i++) {
                success[i] = ops.labelValues(map.spec().name(), names[i], "success");
                fail[i] = ops.labelValues(map.spec().name(), names[i], "fail");
            }
        }

        private RuntimeException failed(int op, RuntimeException e) {
            fail[op].inc();
            return e;
        }

        @Override
        public MapSpec spec() {
            return map.spec();
        }

        @Override
        public boolean lookup(byte[] key, byte[] value) {
            try {
                boolean found = map.lookup(key, value);
                success[0].inc();
                return found;
            } catch (RuntimeException e) {
                throw failed(0, e);
            }
        }

        @Override
        public void update(byte[] key, byte[] value, long flags) {
            try {
                map.update(key, value, flags);
                success[1].inc();
            } catch (RuntimeException e) {
                throw failed(1, e);
            }
        }

        @Override
        public boolean delete(byte[] key) {
            try {
                boolean deleted = map.delete(key);
                success[2].inc();
                return deleted;
            } catch (RuntimeException e) {
                throw failed(2, e);
            }
        }

        @Override
        public boolean lookupAndDelete(byte[] key, byte[] value) {
            try {
                boolean found = map.lookupAndDelete(key, value);
                success[3].inc();
                return found;
            } catch (RuntimeException e) {
                throw failed(3, e);
            }
        }

        @Override
        public boolean nextKey(byte[] key, byte[] next) {
            try {
                boolean more = map.nextKey(key, next);
                success[4].inc();
                return more;
            } catch (RuntimeException e) {
                throw failed(4, e);
            }
        }

        /** The map's own walk (batches on a kernel map), counted once as {@code lookup_batch}. */
        @Override
        public int forEachEntry(BiConsumer<byte[], byte[]> action) {
            try {
                int n = map.forEachEntry(action);
                success[5].inc();
                return n;
            } catch (RuntimeException e) {
                throw failed(5, e);
            }
        }

        @Override
        public int valueBufferSize() {
            return map.valueBufferSize();
        }

        /** The map belongs to the datapath: closing the view leaves it open. */
        @Override
        public void close() {}
    }
}
