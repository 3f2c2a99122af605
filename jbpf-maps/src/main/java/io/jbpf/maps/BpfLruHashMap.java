package io.jbpf.maps;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.RawMap;
import io.jbpf.maps.codec.Codec;
import io.jbpf.maps.internal.Binding;

/**
 * A {@code BPF_MAP_TYPE_LRU_HASH}: a hash map that evicts its least recently used keys instead of refusing inserts when full. Created with {@link io.jbpf.core.map.MapFlags#NO_COMMON_LRU} it keeps one LRU list per CPU, and may evict before the map is full (each CPU's list holds a share). Which keys are evicted is approximate: the kernel's LRU is not an exact LRU order.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class BpfLruHashMap<K, V> extends AbstractHashMap<K, V> {
    private static final MapType[] TYPES = {MapType.LRU_HASH};

    private BpfLruHashMap(RawMap raw, boolean owner, Codec<K> keys, Codec<V> values) {
        super(raw, owner, keys, values);
    }

    /**
     * Creates the map {@code spec} describes, checked against the codecs.
     *
     * @throws MapMismatchException when the spec's type or sizes do not fit the codecs
     */
    public static <K, V> BpfLruHashMap<K, V> create(MapSpec spec, Codec<K> keys, Codec<V> values) {
        KernelMap map = Binding.create(spec, "BpfLruHashMap", keys.size(), values.size(), TYPES);
        return Binding.adopt(map, m -> new BpfLruHashMap<>(m, true, keys, values));
    }

    /** Creates a {@code LRU_HASH} map named {@code name} with room for {@code maxEntries} keys. */
    public static <K, V> BpfLruHashMap<K, V> create(String name, int maxEntries, Codec<K> keys, Codec<V> values) {
        return create(MapSpec.of(name, MapType.LRU_HASH, keys.size(), values.size(), maxEntries), keys, values);
    }

    /** A view of {@code raw}, which stays open when the view is closed. */
    public static <K, V> BpfLruHashMap<K, V> of(RawMap raw, Codec<K> keys, Codec<V> values) {
        Binding.check(raw.spec(), "BpfLruHashMap", keys.size(), values.size(), TYPES);
        return new BpfLruHashMap<>(raw, false, keys, values);
    }

    /** Opens the map pinned at {@code path}; closed with this view. */
    public static <K, V> BpfLruHashMap<K, V> openPinned(String path, Codec<K> keys, Codec<V> values) {
        return adopt(KernelMap.openPinned(path), keys, values);
    }

    /** Opens the map with kernel id {@code id}; closed with this view. */
    public static <K, V> BpfLruHashMap<K, V> fromId(int id, Codec<K> keys, Codec<V> values) {
        return adopt(KernelMap.fromId(id), keys, values);
    }

    private static <K, V> BpfLruHashMap<K, V> adopt(KernelMap map, Codec<K> keys, Codec<V> values) {
        return Binding.adopt(map, m -> {
            Binding.check(m.spec(), "BpfLruHashMap", keys.size(), values.size(), TYPES);
            return new BpfLruHashMap<>(m, true, keys, values);
        });
    }
}
