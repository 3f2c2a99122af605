package io.jbpf.maps;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.RawMap;
import io.jbpf.maps.codec.Codecs;
import io.jbpf.maps.internal.Binding;

/**
 * A {@code BPF_MAP_TYPE_DEVMAP} (slots {@code 0..n-1}) or {@code DEVMAP_HASH} (any {@code u32} key):
 * the network devices {@code bpf_redirect_map} sends XDP frames to. Values are interface indexes
 * (4-byte values; the kernel checks that the device exists). Empty slots read as {@code null}. The
 * kernel has no batch commands for device maps, so bulk operations use single calls.
 */
public final class BpfDevMap extends KeyedMap<Integer, Integer> {

    private BpfDevMap(RawMap raw, boolean owner) {
        super(raw, owner, Codecs.u32(), Codecs.u32());
    }

    /** Creates the device map {@code spec} describes (4-byte keys and values). */
    public static BpfDevMap create(MapSpec spec) {
        KernelMap map = Binding.create(spec, "BpfDevMap", 4, 4, MapType.DEVMAP, MapType.DEVMAP_HASH);
        return Binding.adopt(map, m -> new BpfDevMap(m, true));
    }

    /** Creates a {@code DEVMAP} of {@code length} slots. */
    public static BpfDevMap create(String name, int length) {
        return create(MapSpec.of(name, MapType.DEVMAP, 4, 4, length));
    }

    /** Creates a {@code DEVMAP_HASH} of up to {@code maxEntries} keys. */
    public static BpfDevMap createHash(String name, int maxEntries) {
        return create(MapSpec.of(name, MapType.DEVMAP_HASH, 4, 4, maxEntries));
    }

    /** A view of {@code raw}, which stays open when the view is closed. */
    public static BpfDevMap of(RawMap raw) {
        Binding.check(raw.spec(), "BpfDevMap", 4, 4, MapType.DEVMAP, MapType.DEVMAP_HASH);
        return new BpfDevMap(raw, false);
    }

    /** Empties the slot / removes the key {@code key}; {@code false} when there was nothing. */
    public boolean remove(int key) {
        return raw().delete(keyCodec().encode(key));
    }

    @Override
    boolean deletable() {
        return true;
    }
}
