package io.jbpf.maps;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.RawMap;
import io.jbpf.maps.codec.Codec;
import java.util.Collection;
import java.util.Objects;

/**
 * What every hash-like map offers beyond {@link KeyedMap}: conditional inserts, removal, atomic
 * get-and-remove and bulk removal.
 *
 * @param <K> key type
 * @param <V> value type
 */
public abstract class AbstractHashMap<K, V> extends KeyedMap<K, V> {

    protected AbstractHashMap(RawMap raw, boolean owner, Codec<K> keys, Codec<V> values) {
        super(raw, owner, keys, values);
    }

    /**
     * Inserts only when {@code key} is absent ({@code BPF_NOEXIST}). Unlike
     * {@code java.util.Map.putIfAbsent} it says whether it inserted instead of returning the
     * present value (the kernel does not return it).
     *
     * @return {@code true} when inserted, {@code false} when the key was present
     * @throws MapFullException when the map is full
     */
    public boolean putIfAbsent(K key, V value) {
        try {
            update(key, value, MapFlags.NOEXIST);
            return true;
        } catch (BpfException e) {
            if (e.errno() == Errno.EEXIST) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Replaces the value of a present key ({@code BPF_EXIST}).
     *
     * @return {@code true} when replaced, {@code false} when the key was absent
     */
    public boolean replace(K key, V value) {
        try {
            update(key, value, MapFlags.EXIST);
            return true;
        } catch (BpfException e) {
            if (e.errno() == Errno.ENOENT) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Removes {@code key}. Unlike {@code java.util.Map.remove} it returns whether a key was removed;
     * use {@link #getAndRemove} for the value.
     */
    public boolean remove(K key) {
        return raw().delete(keyCodec().encode(Objects.requireNonNull(key, "key")));
    }

    /**
     * Removes {@code key} and returns its value atomically ({@code BPF_MAP_LOOKUP_AND_DELETE_ELEM},
     * Linux 5.14 for hash maps), or {@code null} when absent.
     */
    public V getAndRemove(K key) {
        byte[] v = new byte[valueCodec().size()];
        if (!raw().lookupAndDelete(keyCodec().encode(Objects.requireNonNull(key, "key")), v)) {
            return null;
        }
        return valueCodec().decode(v, 0);
    }

    /** Removes every key in {@code keys} that is present, with {@code BPF_MAP_DELETE_BATCH} where available. */
    public void removeAll(Collection<? extends K> keys) {
        batch().deleteAll(batchMode(), keys);
    }

    /** Removes every key (a walk: entries that programs add meanwhile may stay). */
    public void clear() {
        byte[] k = new byte[keyCodec().size()];
        while (raw().nextKey(null, k)) {
            raw().delete(k);
        }
    }

    @Override
    boolean deletable() {
        return true;
    }
}
