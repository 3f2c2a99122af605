package io.jbpf.maps;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.maps.internal.Binding;

/**
 * A {@code BPF_MAP_TYPE_ARRAY_OF_MAPS}: an array of maps. Each slot holds an inner map matching the template
 * the map was created with ({@link MapSpec#withInnerMap}); reading a slot gives the inner map's id
 * (open it with {@code KernelMap.fromId}).
 */
public final class BpfArrayOfMaps extends FdSlotMap<Integer> {

    private BpfArrayOfMaps(KernelMap map, boolean owner) {
        super(map, owner, indexCodec());
    }

    /** Creates the map {@code spec} describes; its inner template is {@code spec.innerMap()}. */
    public static BpfArrayOfMaps create(MapSpec spec) {
        if (spec.innerMap() == null) {
            throw new IllegalArgumentException("map '" + spec.name() + "': a map of maps needs an inner map template, "
                    + "MapSpec.withInnerMap(...)");
        }
        KernelMap map = Binding.create(spec, "BpfArrayOfMaps", 4, 4, MapType.ARRAY_OF_MAPS);
        return Binding.adopt(map, m -> new BpfArrayOfMaps(m, true));
    }

    /** A view of {@code map}, which stays open when the view is closed. */
    public static BpfArrayOfMaps of(KernelMap map) {
        Binding.check(map.spec(), "BpfArrayOfMaps", 4, 4, MapType.ARRAY_OF_MAPS);
        return new BpfArrayOfMaps(map, false);
    }

    /**
     * Puts {@code inner} at {@code key}.
     *
     * @throws io.jbpf.core.BpfException EINVAL when {@code inner} does not match the inner template
     */
    public void set(int key, KernelMap inner) {
        setFd(key, inner.fd());
    }
}
