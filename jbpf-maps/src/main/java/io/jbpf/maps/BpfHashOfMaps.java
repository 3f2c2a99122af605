package io.jbpf.maps;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.maps.codec.Codec;
import io.jbpf.maps.internal.Binding;

/**
 * A {@code BPF_MAP_TYPE_HASH_OF_MAPS}: a hash of maps. Each slot holds an inner map matching the template
 * the map was created with ({@link MapSpec#withInnerMap}); reading a slot gives the inner map's id
 * (open it with {@code KernelMap.fromId}).
 *
 * @param <K> key type
 */
public final class BpfHashOfMaps<K> extends FdSlotMap<K> {

    private BpfHashOfMaps(KernelMap map, boolean owner, Codec<K> keys) {
        super(map, owner, keys);
    }

    /** Creates the map {@code spec} describes; its inner template is {@code spec.innerMap()}. */
    public static <K> BpfHashOfMaps<K> create(MapSpec spec, Codec<K> keys) {
        if (spec.innerMap() == null) {
            throw new IllegalArgumentException("map '" + spec.name() + "': a map of maps needs an inner map template, "
                    + "MapSpec.withInnerMap(...)");
        }
        KernelMap map = Binding.create(spec, "BpfHashOfMaps", keys.size(), 4, MapType.HASH_OF_MAPS);
        return Binding.adopt(map, m -> new BpfHashOfMaps<>(m, true, keys));
    }

    /** A view of {@code map}, which stays open when the view is closed. */
    public static <K> BpfHashOfMaps<K> of(KernelMap map, Codec<K> keys) {
        Binding.check(map.spec(), "BpfHashOfMaps", keys.size(), 4, MapType.HASH_OF_MAPS);
        return new BpfHashOfMaps<>(map, false, keys);
    }

    /**
     * Puts {@code inner} at {@code key}.
     *
     * @throws io.jbpf.core.BpfException EINVAL when {@code inner} does not match the inner template
     */
    public void set(K key, KernelMap inner) {
        setFd(key, inner.fd());
    }
}
