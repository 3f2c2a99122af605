package io.jbpf.maps;

import io.jbpf.core.BpfException;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapFlags;
import io.jbpf.maps.codec.Codec;
import io.jbpf.maps.codec.Codecs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A map whose values are kernel objects: written as an fd (of a program, a map, …), read back
 * as the object's kernel id. The map holds its own reference to each object, so the Java object
 * may be closed after {@code set}.
 *
 * @param <K> key type
 */
public abstract class FdSlotMap<K> extends BpfMap {
    private final Codec<K> keys;

    protected FdSlotMap(KernelMap map, boolean owner, Codec<K> keys) {
        super(map, owner);
        this.keys = keys;
    }

    /** The key codec. */
    public Codec<K> keyCodec() {
        return keys;
    }

    /** Stores the object behind {@code fd} at {@code key}. */
    protected void setFd(K key, int fd) {
        byte[] v = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(fd).array();
        try {
            raw().update(keys.encode(Objects.requireNonNull(key, "key")), v, MapFlags.ANY);
        } catch (BpfException e) {
            throw translate(e);
        }
    }

    /** The kernel id of the object at {@code key}, or {@code null} when the slot is empty. */
    public Integer id(K key) {
        byte[] v = new byte[4];
        if (!raw().lookup(keys.encode(Objects.requireNonNull(key, "key")), v)) {
            return null;
        }
        return ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getInt();
    }

    /** Empties the slot at {@code key}; {@code false} when it was empty. */
    public boolean remove(K key) {
        return raw().delete(keys.encode(Objects.requireNonNull(key, "key")));
    }

    /** The keys of filled slots (a snapshot of a next-key walk). */
    public List<K> keys() {
        List<K> out = new ArrayList<>();
        byte[] cur = null;
        byte[] next = new byte[keys.size()];
        while (raw().nextKey(cur, next)) {
            if (id(keys.decode(next, 0)) != null) {
                out.add(keys.decode(next, 0));
            }
            cur = next.clone();
        }
        return out;
    }

    /** Keys of array-like fd maps. */
    static Codec<Integer> indexCodec() {
        return Codecs.u32();
    }
}
