package io.jbpf.maps;

import io.jbpf.maps.internal.BtfLayoutCheck;

import io.jbpf.core.BpfException;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.RawMap;
import io.jbpf.maps.codec.Codec;
import io.jbpf.maps.internal.BatchOps;
import io.jbpf.maps.internal.BtfLayoutCheck;
import java.util.AbstractMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * A map with keys: what hash maps and arrays share. Like {@link java.util.Map} where the kernel
 * allows, with these differences:
 * <ul>
 *   <li>{@link #get} returns {@code null} for a missing key, as {@code java.util.Map} does (keys and
 *       values are never null);</li>
 *   <li>iteration walks the kernel's {@code BPF_MAP_GET_NEXT_KEY} order, live, without a snapshot.
 *       When the key an iterator stands on is deleted by someone else, a hash map restarts from its
 *       first key: keys may then be seen twice, and keys added during the walk may or may not be
 *       seen. Use {@link #getAll()} for one consistent-per-bucket copy;</li>
 *   <li>{@link #size()} counts by walking the keys: O(n) syscalls, and approximate while others write;</li>
 *   <li>the bulk operations use the kernel's batch commands (see {@link BatchMode}).</li>
 * </ul>
 *
 * @param <K> key type
 * @param <V> value type (a {@code List} of per-CPU values for per-CPU maps)
 */
public abstract class KeyedMap<K, V> extends BpfMap {
    private final Codec<K> keys;
    private final Codec<V> values;
    private final BatchOps<K, V> batch;

    protected KeyedMap(RawMap raw, boolean owner, Codec<K> keys, Codec<V> values) {
        super(raw, owner);
        if (raw instanceof KernelMap kernel) {
            BtfLayoutCheck.check(kernel, keys, values);
        }
        this.keys = keys;
        this.values = values;
        this.batch = new BatchOps<>(raw, keys, values);
    }

    /** The key codec. */
    public Codec<K> keyCodec() {
        return keys;
    }

    /** The codec of a whole value as the map stores it (for per-CPU maps: all CPUs' values). */
    public Codec<V> valueCodec() {
        return values;
    }

    /** The value of {@code key}, or {@code null} when the map has none. */
    public V get(K key) {
        byte[] v = new byte[values.size()];
        if (!raw().lookup(keys.encode(Objects.requireNonNull(key, "key")), v)) {
            return null;
        }
        return values.decode(v, 0);
    }

    /** Whether the map has {@code key}. */
    public boolean containsKey(K key) {
        return raw().lookup(keys.encode(Objects.requireNonNull(key, "key")), new byte[values.size()]);
    }

    /**
     * Sets {@code key} to {@code value}, creating or replacing. Unlike {@code java.util.Map} it
     * returns nothing (the kernel does not hand back the old value).
     *
     * @throws MapFullException when a new key does not fit (E2BIG)
     */
    public void put(K key, V value) {
        update(key, value, MapFlags.ANY);
    }

    /** One update with the kernel's flags ({@link MapFlags#ANY}, NOEXIST, EXIST). */
    protected void update(K key, V value, long flags) {
        byte[] k = keys.encode(Objects.requireNonNull(key, "key"));
        byte[] v = values.encode(Objects.requireNonNull(value, "value"));
        try {
            raw().update(k, v, flags);
        } catch (BpfException e) {
            throw translate(e);
        }
    }

    /**
     * The number of keys, counted by walking them (one syscall per key). Arrays override this
     * with their fixed length.
     */
    public int size() {
        int n = 0;
        byte[] cur = null;
        byte[] next = new byte[keys.size()];
        while (raw().nextKey(cur, next)) {
            n++;
            cur = next.clone();
        }
        return n;
    }

    /** Whether the map has no keys. */
    public boolean isEmpty() {
        return !raw().nextKey(null, new byte[keys.size()]);
    }

    /** The keys, walked live (see the class comment for concurrent deletes). */
    public Iterable<K> keys() {
        return () -> new KeyIterator();
    }

    /**
     * The entries, walked live: each key's value is read when the walk reaches it; keys deleted in
     * between are skipped. {@code Iterator.remove()} deletes the current key where the map type can.
     */
    public Iterable<Map.Entry<K, V>> entries() {
        return () -> new Iterator<>() {
            private final KeyIterator it = new KeyIterator();
            private Map.Entry<K, V> next;

            @Override
            public boolean hasNext() {
                while (next == null && it.hasNext()) {
                    K k = it.next();
                    byte[] v = new byte[values.size()];
                    if (raw().lookup(it.current, v)) {
                        next = new AbstractMap.SimpleImmutableEntry<>(k, values.decode(v, 0));
                    }
                }
                return next != null;
            }

            @Override
            public Map.Entry<K, V> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Map.Entry<K, V> e = next;
                next = null;
                return e;
            }

            @Override
            public void remove() {
                it.remove();
            }
        };
    }

    /** Calls {@code action} for each entry of a live walk. */
    public void forEach(BiConsumer<? super K, ? super V> action) {
        for (Map.Entry<K, V> e : entries()) {
            action.accept(e.getKey(), e.getValue());
        }
    }

    /**
     * Every entry, read with {@code BPF_MAP_LOOKUP_BATCH} (or a key walk, see {@link BatchMode}).
     *
     * @return a new modifiable map in the kernel's order
     */
    public Map<K, V> getAll() {
        Map<K, V> out = new LinkedHashMap<>();
        batch.lookupAll(batchMode, out);
        return out;
    }

    /**
     * Writes every entry of {@code entries} with {@code BPF_MAP_UPDATE_BATCH} (or single updates).
     * Not atomic: on failure a prefix of the entries may have been written.
     *
     * @throws MapFullException when the map fills up
     */
    public void putAll(Map<? extends K, ? extends V> entries) {
        try {
            batch.updateAll(batchMode, entries);
        } catch (BpfException e) {
            throw translate(e);
        }
    }

    private volatile BatchMode batchMode = BatchMode.AUTO;

    /** How bulk operations reach the kernel. */
    public BatchMode batchMode() {
        return batchMode;
    }

    /** Sets how bulk operations reach the kernel ({@link BatchMode#AUTO} by default). */
    public void batchMode(BatchMode mode) {
        this.batchMode = Objects.requireNonNull(mode, "mode");
    }

    /** Whether the batch commands are in use (false after the kernel refused them once). */
    public boolean batchSupported() {
        return batch.supported();
    }

    /** For subclasses: the batch helper. */
    BatchOps<K, V> batch() {
        return batch;
    }

    /** Whether {@code Iterator.remove()} may delete keys. */
    boolean deletable() {
        return false;
    }

    private final class KeyIterator implements Iterator<K> {
        byte[] current;
        private byte[] next;
        private boolean fetched;
        private boolean has;
        private boolean removable;

        @Override
        public boolean hasNext() {
            if (!fetched) {
                next = new byte[keys.size()];
                has = raw().nextKey(current, next);
                fetched = true;
            }
            return has;
        }

        @Override
        public K next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            current = next;
            fetched = false;
            removable = true;
            return keys.decode(current, 0);
        }

        @Override
        public void remove() {
            if (!deletable()) {
                throw new UnsupportedOperationException("the kernel cannot delete from " + spec().type() + " map '"
                        + name() + "'");
            }
            if (!removable) {
                throw new IllegalStateException("next() first");
            }
            raw().delete(current);
            removable = false;
        }
    }
}
