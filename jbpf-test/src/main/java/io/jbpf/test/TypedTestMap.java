package io.jbpf.test;

import io.jbpf.maps.codec.Codec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link TestMap} through codecs: keys and values as Java values.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class TypedTestMap<K, V> {
    private final TestMap map;
    private final Codec<K> keys;
    private final Codec<V> values;

    TypedTestMap(TestMap map, Codec<K> keys, Codec<V> values) {
        this.map = map;
        this.keys = keys;
        this.values = values;
    }

    /** The map underneath. */
    public TestMap raw() {
        return map;
    }

    /** The value of {@code key}, if any. */
    public Optional<V> get(K key) {
        return map.get(keys.encode(key)).map(values::decode);
    }

    /** Whether {@code key} has a value. */
    public boolean containsKey(K key) {
        return map.containsKey(keys.encode(key));
    }

    /** Sets {@code key} to {@code value}. */
    public void put(K key, V value) {
        map.put(keys.encode(key), values.encode(value));
    }

    /** Removes {@code key}; {@code false} when there was none. */
    public boolean delete(K key) {
        return map.delete(keys.encode(key));
    }

    /** Every entry, decoded, in the map's iteration order. */
    public Map<K, V> entries() {
        Map<K, V> out = new LinkedHashMap<>();
        for (TestMap.Entry e : map.entries()) {
            out.put(keys.decode(e.key()), values.decode(e.value()));
        }
        return out;
    }

    /** The number of keys. */
    public int size() {
        return map.size();
    }

    @Override
    public String toString() {
        return "TypedTestMap[" + map.name() + "]";
    }
}
