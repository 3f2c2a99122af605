package io.jbpf.maps;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.RawMap;
import io.jbpf.maps.codec.Codec;
import io.jbpf.maps.internal.Binding;
import io.jbpf.maps.internal.PerCpuCodec;
import java.util.Collections;
import java.util.List;

/**
 * A {@code BPF_MAP_TYPE_PERCPU_ARRAY}: each index holds one value per possible CPU, as a {@code List} of {@link #cpus()} elements (index = CPU number).
 *
 * @param <V> value type
 */
public final class BpfPerCpuArray<V> extends AbstractArray<List<V>> {

    private BpfPerCpuArray(RawMap raw, boolean owner, Codec<V> values) {
        super(raw, owner, perCpu(raw, values));
    }

    /**
     * Creates the map {@code spec} describes (4-byte keys), checked against the codec.
     *
     * @throws MapMismatchException when the spec's type or sizes do not fit
     */
    public static <V> BpfPerCpuArray<V> create(MapSpec spec, Codec<V> values) {
        KernelMap map = Binding.create(spec, "BpfPerCpuArray", 4, values.size(), MapType.PERCPU_ARRAY);
        return Binding.adopt(map, m -> new BpfPerCpuArray<>(m, true, values));
    }

    /** Creates a {@code PERCPU_ARRAY} map named {@code name} of {@code length} elements. */
    public static <V> BpfPerCpuArray<V> create(String name, int length, Codec<V> values) {
        return create(MapSpec.of(name, MapType.PERCPU_ARRAY, 4, values.size(), length), values);
    }

    /** A view of {@code raw}, which stays open when the view is closed. */
    public static <V> BpfPerCpuArray<V> of(RawMap raw, Codec<V> values) {
        Binding.check(raw.spec(), "BpfPerCpuArray", 4, values.size(), MapType.PERCPU_ARRAY);
        return new BpfPerCpuArray<>(raw, false, values);
    }

    /** Opens the map pinned at {@code path}; closed with this view. */
    public static <V> BpfPerCpuArray<V> openPinned(String path, Codec<V> values) {
        return adopt(KernelMap.openPinned(path), values);
    }

    /** Opens the map with kernel id {@code id}; closed with this view. */
    public static <V> BpfPerCpuArray<V> fromId(int id, Codec<V> values) {
        return adopt(KernelMap.fromId(id), values);
    }

    private static <V> BpfPerCpuArray<V> adopt(KernelMap map, Codec<V> values) {
        return Binding.adopt(map, m -> {
            Binding.check(m.spec(), "BpfPerCpuArray", 4, values.size(), MapType.PERCPU_ARRAY);
            return new BpfPerCpuArray<>(m, true, values);
        });
    }

    private static <V> PerCpuCodec<V> perCpu(RawMap raw, Codec<V> values) {
        return new PerCpuCodec<>(values, raw.valueBufferSize() / PerCpuCodec.slot(values.size()));
    }

    /** The number of values per index: the possible CPUs. */
    public int cpus() {
        return ((PerCpuCodec<V>) valueCodec()).cpus();
    }

    /** Sets {@code index} to {@code value} on every CPU. */
    public void setOnEveryCpu(int index, V value) {
        set(index, Collections.nCopies(cpus(), value));
    }
}
