package io.jbpf.maps;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.RawMap;
import io.jbpf.maps.codec.Codec;
import io.jbpf.maps.internal.Binding;

/**
 * A {@code BPF_MAP_TYPE_HASH} as a typed map: see {@link KeyedMap} and {@link AbstractHashMap} for how it differs from {@code java.util.Map}.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class BpfHashMap<K, V> extends AbstractHashMap<K, V> {
    private static final MapType[] TYPES = {MapType.HASH};

    private BpfHashMap(RawMap raw, boolean owner, Codec<K> keys, Codec<V> values) {
        super(raw, owner, keys, values);
    }

    /**
     * Creates the map {@code spec} describes, checked against the codecs.
     *
     * @throws MapMismatchException when the spec's type or sizes do not fit the codecs
     */
    public static <K, V> BpfHashMap<K, V> create(MapSpec spec, Codec<K> keys, Codec<V> values) {
        KernelMap map = Binding.create(spec, "BpfHashMap", keys.size(), values.size(), TYPES);
        return Binding.adopt(map, m -> new BpfHashMap<>(m, true, keys, values));
    }

    /** Creates a {@code HASH} map named {@code name} with room for {@code maxEntries} keys. */
    public static <K, V> BpfHashMap<K, V> create(String name, int maxEntries, Codec<K> keys, Codec<V> values) {
        return create(MapSpec.of(name, MapType.HASH, keys.size(), values.size(), maxEntries), keys, values);
    }

    /** A view of {@code raw}, which stays open when the view is closed. */
    public static <K, V> BpfHashMap<K, V> of(RawMap raw, Codec<K> keys, Codec<V> values) {
        Binding.check(raw.spec(), "BpfHashMap", keys.size(), values.size(), TYPES);
        return new BpfHashMap<>(raw, false, keys, values);
    }

    /** Opens the map pinned at {@code path}; closed with this view. */
    public static <K, V> BpfHashMap<K, V> openPinned(String path, Codec<K> keys, Codec<V> values) {
        return adopt(KernelMap.openPinned(path), keys, values);
    }

    /** Opens the map with kernel id {@code id}; closed with this view. */
    public static <K, V> BpfHashMap<K, V> fromId(int id, Codec<K> keys, Codec<V> values) {
        return adopt(KernelMap.fromId(id), keys, values);
    }

    private static <K, V> BpfHashMap<K, V> adopt(KernelMap map, Codec<K> keys, Codec<V> values) {
        return Binding.adopt(map, m -> {
            Binding.check(m.spec(), "BpfHashMap", keys.size(), values.size(), TYPES);
            return new BpfHashMap<>(m, true, keys, values);
        });
    }
}
