package io.jbpf.maps;

import io.jbpf.core.map.RawMap;
import io.jbpf.maps.codec.Codec;
import io.jbpf.maps.codec.Codecs;

/**
 * An array map: keys are the indices {@code 0 .. length()-1}, every index always has a value
 * (zeroes until written), and nothing can be removed. {@link #get} of an index out of range
 * throws {@link IndexOutOfBoundsException} rather than returning {@code null}.
 *
 * @param <V> value type
 */
public abstract class AbstractArray<V> extends KeyedMap<Integer, V> {

    protected AbstractArray(RawMap raw, boolean owner, Codec<V> values) {
        super(raw, owner, Codecs.u32(), values);
    }

    /** The number of elements ({@code max_entries}). */
    public int length() {
        return spec().maxEntries();
    }

    private int check(int index) {
        if (index < 0 || index >= length()) {
            throw new IndexOutOfBoundsException("index " + index + " of array map '" + name() + "' with "
                    + length() + " elements");
        }
        return index;
    }

    /** The value at {@code index}. */
    public V get(int index) {
        return super.get(check(index));
    }

    @Override
    public V get(Integer index) {
        return get(index.intValue());
    }

    /** Sets the value at {@code index}. */
    public void set(int index, V value) {
        super.put(check(index), value);
    }

    @Override
    public void put(Integer index, V value) {
        set(index.intValue(), value);
    }

    /** The fixed length: every index has a value. */
    @Override
    public int size() {
        return length();
    }
}
