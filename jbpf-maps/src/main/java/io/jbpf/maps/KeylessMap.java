package io.jbpf.maps;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.RawMap;
import io.jbpf.maps.codec.Codec;
import java.util.Objects;

/**
 * A queue or stack: values without keys. {@link #pop()} and {@link #peek()} return {@code null}
 * when empty, as {@code java.util.Queue.poll/peek} do. There is no size: the kernel cannot count them.
 *
 * @param <V> value type
 */
public abstract class KeylessMap<V> extends BpfMap {
    private final Codec<V> values;

    protected KeylessMap(RawMap map, boolean owner, Codec<V> values) {
        super(map, owner);
        this.values = values;
    }

    /** The value codec. */
    public Codec<V> valueCodec() {
        return values;
    }

    /**
     * Adds {@code value}.
     *
     * @throws MapFullException when {@code max_entries} values are waiting
     */
    public void push(V value) {
        push(value, MapFlags.ANY);
    }

    /** Adds {@code value}, dropping the oldest value when full ({@code BPF_EXIST}). */
    public void pushOverwriting(V value) {
        push(value, MapFlags.EXIST);
    }

    private void push(V value, long flags) {
        try {
            raw().update(null, values.encode(Objects.requireNonNull(value, "value")), flags);
        } catch (BpfException e) {
            throw translate(e);
        }
    }

    /** Removes and returns the next value, or {@code null} when empty. */
    public V pop() {
        byte[] v = new byte[values.size()];
        return raw().lookupAndDelete(null, v) ? values.decode(v, 0) : null;
    }

    /** The next value without removing it, or {@code null} when empty. */
    public V peek() {
        byte[] v = new byte[values.size()];
        return raw().lookup(null, v) ? values.decode(v, 0) : null;
    }

    /** Whether nothing is waiting. */
    public boolean isEmpty() {
        return peek() == null;
    }

    @Override
    protected RuntimeException translate(BpfException e) {
        return e.errno() == Errno.E2BIG ? new MapFullException(name(), spec().maxEntries(), e) : e;
    }
}
