package io.jbpf.maps;

import io.jbpf.core.BpfException;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.RawMap;
import io.jbpf.maps.codec.Codec;
import io.jbpf.maps.internal.Binding;
import java.util.Objects;

/**
 * A {@code BPF_MAP_TYPE_BLOOM_FILTER} (Linux 5.16): a set that can only grow, and answers
 * "certainly not" or "maybe". Nothing can be removed or iterated. The number of hash functions is
 * the spec's {@code mapExtra} (0 means the kernel's default of 5).
 *
 * @param <V> value type
 */
public final class BpfBloomFilter<V> extends BpfMap {
    private final Codec<V> values;

    private BpfBloomFilter(RawMap map, boolean owner, Codec<V> values) {
        super(map, owner);
        this.values = values;
    }

    /** Creates the filter {@code spec} describes (key size 0). */
    public static <V> BpfBloomFilter<V> create(MapSpec spec, Codec<V> values) {
        KernelMap map = Binding.create(spec, "BpfBloomFilter", 0, values.size(), MapType.BLOOM_FILTER);
        return Binding.adopt(map, m -> new BpfBloomFilter<>(m, true, values));
    }

    /** Creates a filter sized for {@code maxEntries} values with {@code hashes} hash functions (1..15). */
    public static <V> BpfBloomFilter<V> create(String name, int maxEntries, int hashes, Codec<V> values) {
        return create(MapSpec.of(name, MapType.BLOOM_FILTER, 0, values.size(), maxEntries).withMapExtra(hashes), values);
    }

    /**
     * A view of {@code map} (a kernel map, or a {@link io.jbpf.core.map.MemoryMap}), which stays
     * open when the view is closed.
     */
    public static <V> BpfBloomFilter<V> of(RawMap map, Codec<V> values) {
        Binding.check(map.spec(), "BpfBloomFilter", 0, values.size(), MapType.BLOOM_FILTER);
        return new BpfBloomFilter<>(map, false, values);
    }

    /** Adds {@code value} to the set. */
    public void add(V value) {
        try {
            raw().update(null, values.encode(Objects.requireNonNull(value, "value")), MapFlags.ANY);
        } catch (BpfException e) {
            throw translate(e);
        }
    }

    /** {@code false} when {@code value} was certainly never added; {@code true} when it may have been. */
    public boolean mightContain(V value) {
        return raw().lookup(null, values.encode(Objects.requireNonNull(value, "value")));
    }
}
