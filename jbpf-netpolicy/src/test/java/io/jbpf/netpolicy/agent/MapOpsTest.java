package io.jbpf.netpolicy.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.map.RawMap;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

/** The counting view of a map: successes and the kernel's refusals, by map and operation. */
class MapOpsTest {
    @Test
    void countsSuccessesAndFailuresAndPassesFailuresOn() {
        MapOps ops = new MapOps(new PrometheusRegistry());
        MemoryMap map = MemoryMap.create(MapSpec.of("jbpf_small", MapType.HASH, 4, 4, 1));
        RawMap view = ops.meter(map);
        assertThat(ops.meter(map)).as("one view per map").isSameAs(view);
        view.update(new byte[] {1, 0, 0, 0}, new byte[4], 0);
        byte[] value = new byte[4];
        assertThat(view.lookup(new byte[] {1, 0, 0, 0}, value)).isTrue();
        assertThat(view.lookup(new byte[] {2, 0, 0, 0}, value)).isFalse();
        // the map is full: the refusal reaches the caller and counts as a failure
        assertThatThrownBy(() -> view.update(new byte[] {2, 0, 0, 0}, new byte[4], 0)).isInstanceOf(RuntimeException.class);
        assertThat(view.delete(new byte[] {1, 0, 0, 0})).isTrue();
        assertThat(ops.count("jbpf_small", "update", "success")).isEqualTo(1);
        assertThat(ops.count("jbpf_small", "update", "fail")).isEqualTo(1);
        assertThat(ops.count("jbpf_small", "lookup", "success")).isEqualTo(2);
        assertThat(ops.count("jbpf_small", "delete", "success")).isEqualTo(1);
        // a whole-map read is the map's own walk, counted once
        view.update(new byte[] {3, 0, 0, 0}, new byte[4], 0);
        java.util.List<byte[]> keys = new java.util.ArrayList<>();
        assertThat(view.forEachEntry((k, v) -> keys.add(k))).isEqualTo(1);
        assertThat(keys).containsExactly(new byte[] {3, 0, 0, 0});
        assertThat(ops.count("jbpf_small", "lookup_batch", "success")).isEqualTo(1);
        assertThat(ops.count("jbpf_small", "get_next_key", "success")).isZero();
        assertThat(view.delete(new byte[] {3, 0, 0, 0})).isTrue();
        // closing the view leaves the map open
        view.close();
        assertThat(map.lookup(new byte[] {1, 0, 0, 0}, value)).isFalse();
    }
}
