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
 * A {@code BPF_MAP_TYPE_LRU_PERCPU_HASH}: an LRU hash (see {@link BpfLruHashMap}) whose keys hold one value per possible CPU (see {@link BpfPerCpuHashMap}).
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class BpfLruPerCpuHashMap<K, V> extends AbstractHashMap<K, List<V>> {
    private static final MapType[] TYPES = {MapType.LRU_PERCPU_HASH};

    private BpfLruPerCpuHashMap(RawMap raw, boolean owner, Codec<K> keys, Codec<V> values) {
        super(raw, owner, keys, perCpu(raw, values));
    }

    /**
     * Creates the map {@code spec} describes, checked against the codecs.
     *
     * @throws MapMismatchException when the spec's type or sizes do not fit the codecs
     */
    public static <K, V> BpfLruPerCpuHashMap<K, V> create(MapSpec spec, Codec<K> keys, Codec<V> values) {
        KernelMap map = Binding.create(spec, "BpfLruPerCpuHashMap", keys.size(), values.size(), TYPES);
        return Binding.adopt(map, m -> new BpfLruPerCpuHashMap<>(m, true, keys, values));
    }

    /** Creates a {@code LRU_PERCPU_HASH} map named {@code name} with room for {@code maxEntries} keys. */
    public static <K, V> BpfLruPerCpuHashMap<K, V> create(String name, int maxEntries, Codec<K> keys, Codec<V> values) {
        return create(MapSpec.of(name, MapType.LRU_PERCPU_HASH, keys.size(), values.size(), maxEntries), keys, values);
    }

    /** A view of {@code raw}, which stays open when the view is closed. */
    public static <K, V> BpfLruPerCpuHashMap<K, V> of(RawMap raw, Codec<K> keys, Codec<V> values) {
        Binding.check(raw.spec(), "BpfLruPerCpuHashMap", keys.size(), values.size(), TYPES);
        return new BpfLruPerCpuHashMap<>(raw, false, keys, values);
    }

    /** Opens the map pinned at {@code path}; closed with this view. */
    public static <K, V> BpfLruPerCpuHashMap<K, V> openPinned(String path, Codec<K> keys, Codec<V> values) {
        return adopt(KernelMap.openPinned(path), keys, values);
    }

    /** Opens the map with kernel id {@code id}; closed with this view. */
    public static <K, V> BpfLruPerCpuHashMap<K, V> fromId(int id, Codec<K> keys, Codec<V> values) {
        return adopt(KernelMap.fromId(id), keys, values);
    }

    private static <K, V> BpfLruPerCpuHashMap<K, V> adopt(KernelMap map, Codec<K> keys, Codec<V> values) {
        return Binding.adopt(map, m -> {
            Binding.check(m.spec(), "BpfLruPerCpuHashMap", keys.size(), values.size(), TYPES);
            return new BpfLruPerCpuHashMap<>(m, true, keys, values);
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
