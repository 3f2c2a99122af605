package io.jbpf.maps;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.RawMap;
import io.jbpf.maps.codec.Codec;
import io.jbpf.maps.internal.Binding;

/**
 * A {@code BPF_MAP_TYPE_QUEUE}: first in, first out. See {@link KeylessMap}.
 *
 * @param <V> value type
 */
public final class BpfQueue<V> extends KeylessMap<V> {

    private BpfQueue(RawMap map, boolean owner, Codec<V> values) {
        super(map, owner, values);
    }

    /** Creates the map {@code spec} describes (key size 0). */
    public static <V> BpfQueue<V> create(MapSpec spec, Codec<V> values) {
        KernelMap map = Binding.create(spec, "BpfQueue", 0, values.size(), MapType.QUEUE);
        return Binding.adopt(map, m -> new BpfQueue<>(m, true, values));
    }

    /** Creates a QUEUE holding up to {@code maxEntries} values. */
    public static <V> BpfQueue<V> create(String name, int maxEntries, Codec<V> values) {
        return create(MapSpec.of(name, MapType.QUEUE, 0, values.size(), maxEntries), values);
    }

    /**
     * A view of {@code map} (a kernel map, or a {@link io.jbpf.core.map.MemoryMap}), which stays
     * open when the view is closed.
     */
    public static <V> BpfQueue<V> of(RawMap map, Codec<V> values) {
        Binding.check(map.spec(), "BpfQueue", 0, values.size(), MapType.QUEUE);
        return new BpfQueue<>(map, false, values);
    }

    /** Opens the map pinned at {@code path}; closed with this view. */
    public static <V> BpfQueue<V> openPinned(String path, Codec<V> values) {
        return Binding.adopt(KernelMap.openPinned(path), m -> {
            Binding.check(m.spec(), "BpfQueue", 0, values.size(), MapType.QUEUE);
            return new BpfQueue<>(m, true, values);
        });
    }
}
