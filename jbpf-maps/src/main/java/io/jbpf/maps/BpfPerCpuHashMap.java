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
 * A {@code BPF_MAP_TYPE_PERCPU_HASH}: every key holds one value per possible CPU, read and written as a {@code List} with {@link #cpus()} elements (index = CPU number). Programs see only their CPU's value; user space sees all.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class BpfPerCpuHashMap<K, V> extends AbstractHashMap<K, List<V>> {
    private static final MapType[] TYPES = {MapType.PERCPU_HASH};

    private BpfPerCpuHashMap(RawMap raw, boolean owner, Codec<K> keys, Codec<V> values) {
        super(raw, owner, keys, perCpu(raw, values));
    }

    /**
     * Creates the map {@code spec} describes, checked against the codecs.
     *
     * @throws MapMismatchException when the spec's type or sizes do not fit the codecs
     */
    public static <K, V> BpfPerCpuHashMap<K, V> create(MapSpec spec, Codec<K> keys, Codec<V> values) {
        KernelMap map = Binding.create(spec, "BpfPerCpuHashMap", keys.size(), values.size(), TYPES);
        return Binding.adopt(map, m -> new BpfPerCpuHashMap<>(m, true, keys, values));
    }

    /** Creates a {@code PERCPU_HASH} map named {@code name} with room for {@code maxEntries} keys. */
    public static <K, V> BpfPerCpuHashMap<K, V> create(String name, int maxEntries, Codec<K> keys, Codec<V> values) {
        return create(MapSpec.of(name, MapType.PERCPU_HASH, keys.size(), values.size(), maxEntries), keys, values);
    }

    /** A view of {@code raw}, which stays open when the view is closed. */
    public static <K, V> BpfPerCpuHashMap<K, V> of(RawMap raw, Codec<K> keys, Codec<V> values) {
        Binding.check(raw.spec(), "BpfPerCpuHashMap", keys.size(), values.size(), TYPES);
        return new BpfPerCpuHashMap<>(raw, false, keys, values);
    }

    /** Opens the map pinned at {@code path}; closed with this view. */
    public static <K, V> BpfPerCpuHashMap<K, V> openPinned(String path, Codec<K> keys, Codec<V> values) {
        return adopt(KernelMap.openPinned(path), keys, values);
    }

    /** Opens the map with kernel id {@code id}; closed with this view. */
    public static <K, V> BpfPerCpuHashMap<K, V> fromId(int id, Codec<K> keys, Codec<V> values) {
        return adopt(KernelMap.fromId(id), keys, values);
    }

    private static <K, V> BpfPerCpuHashMap<K, V> adopt(KernelMap map, Codec<K> keys, Codec<V> values) {
        return Binding.adopt(map, m -> {
            Binding.check(m.spec(), "BpfPerCpuHashMap", keys.size(), values.size(), TYPES);
            return new BpfPerCpuHashMap<>(m, true, keys, values);
        });
    }

    private static <V> PerCpuCodec<V> perCpu(RawMap raw, Codec<V> values) {
        return new PerCpuCodec<>(values, raw.valueBufferSize() / PerCpuCodec.slot(values.size()));
    }

    /** The number of values per key: the possible CPUs. */
    public int cpus() {
        return ((PerCpuCodec<V>) valueCodec()).cpus();
    }

    /** Sets {@code key} to {@code value} on every CPU. */
    public void putOnEveryCpu(K key, V value) {
        put(key, Collections.nCopies(cpus(), value));
    }
}
