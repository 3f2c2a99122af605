package io.jbpf.maps;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.RawMap;
import io.jbpf.maps.codec.Codec;
import io.jbpf.maps.internal.Binding;

/**
 * A {@code BPF_MAP_TYPE_ARRAY} as a typed map; see {@link AbstractArray}.
 *
 * @param <V> value type
 */
public final class BpfArray<V> extends AbstractArray<V> {

    private BpfArray(RawMap raw, boolean owner, Codec<V> values) {
        super(raw, owner, values);
    }

    /**
     * Creates the map {@code spec} describes (4-byte keys), checked against the codec.
     *
     * @throws MapMismatchException when the spec's type or sizes do not fit
     */
    public static <V> BpfArray<V> create(MapSpec spec, Codec<V> values) {
        KernelMap map = Binding.create(spec, "BpfArray", 4, values.size(), MapType.ARRAY);
        return Binding.adopt(map, m -> new BpfArray<>(m, true, values));
    }

    /** Creates a {@code ARRAY} map named {@code name} of {@code length} elements. */
    public static <V> BpfArray<V> create(String name, int length, Codec<V> values) {
        return create(MapSpec.of(name, MapType.ARRAY, 4, values.size(), length), values);
    }

    /** A view of {@code raw}, which stays open when the view is closed. */
    public static <V> BpfArray<V> of(RawMap raw, Codec<V> values) {
        Binding.check(raw.spec(), "BpfArray", 4, values.size(), MapType.ARRAY);
        return new BpfArray<>(raw, false, values);
    }

    /** Opens the map pinned at {@code path}; closed with this view. */
    public static <V> BpfArray<V> openPinned(String path, Codec<V> values) {
        return adopt(KernelMap.openPinned(path), values);
    }

    /** Opens the map with kernel id {@code id}; closed with this view. */
    public static <V> BpfArray<V> fromId(int id, Codec<V> values) {
        return adopt(KernelMap.fromId(id), values);
    }

    private static <V> BpfArray<V> adopt(KernelMap map, Codec<V> values) {
        return Binding.adopt(map, m -> {
            Binding.check(m.spec(), "BpfArray", 4, values.size(), MapType.ARRAY);
            return new BpfArray<>(m, true, values);
        });
    }
}
