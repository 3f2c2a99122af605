package io.jbpf.maps;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.RawMap;
import io.jbpf.maps.codec.Codec;
import io.jbpf.maps.internal.Binding;

/**
 * A {@code BPF_MAP_TYPE_STACK}: last in, first out. See {@link KeylessMap}.
 *
 * @param <V> value type
 */
public final class BpfStack<V> extends KeylessMap<V> {

    private BpfStack(RawMap map, boolean owner, Codec<V> values) {
        super(map, owner, values);
    }

    /** Creates the map {@code spec} describes (key size 0). */
    public static <V> BpfStack<V> create(MapSpec spec, Codec<V> values) {
        KernelMap map = Binding.create(spec, "BpfStack", 0, values.size(), MapType.STACK);
        return Binding.adopt(map, m -> new BpfStack<>(m, true, values));
    }

    /** Creates a STACK holding up to {@code maxEntries} values. */
    public static <V> BpfStack<V> create(String name, int maxEntries, Codec<V> values) {
        return create(MapSpec.of(name, MapType.STACK, 0, values.size(), maxEntries), values);
    }

    /**
     * A view of {@code map} (a kernel map, or a {@link io.jbpf.core.map.MemoryMap}), which stays
     * open when the view is closed.
     */
    public static <V> BpfStack<V> of(RawMap map, Codec<V> values) {
        Binding.check(map.spec(), "BpfStack", 0, values.size(), MapType.STACK);
        return new BpfStack<>(map, false, values);
    }

    /** Opens the map pinned at {@code path}; closed with this view. */
    public static <V> BpfStack<V> openPinned(String path, Codec<V> values) {
        return Binding.adopt(KernelMap.openPinned(path), m -> {
            Binding.check(m.spec(), "BpfStack", 0, values.size(), MapType.STACK);
            return new BpfStack<>(m, true, values);
        });
    }
}
