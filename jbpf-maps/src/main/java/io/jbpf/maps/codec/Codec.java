package io.jbpf.maps.codec;

/**
 * Turns values of {@code T} into the fixed-size bytes a map stores, and back. Implementations are
 * immutable and thread-safe; {@link #encode(Object, byte[], int)} and {@link #decode(byte[], int)}
 * allocate nothing beyond the decoded value.
 *
 * @param <T> the Java type
 */
public interface Codec<T> {

    /** How many bytes one value takes. */
    int size();

    /** The C alignment of the value (1, 2, 4 or 8), used when the value is a field of a struct. */
    default int alignment() {
        return 1;
    }

    /**
     * Writes {@code value} into {@code buf[offset, offset + size())}, every byte of it (padding is zeroed).
     *
     * @throws NullPointerException     when {@code value} (or a field of it) is null
     * @throws IllegalArgumentException when the value does not fit (a number too wide, an array of the wrong length)
     */
    void encode(T value, byte[] buf, int offset);

    /** Reads a value from {@code buf[offset, offset + size())}. */
    T decode(byte[] buf, int offset);

    /** {@code value} as a new array of {@link #size()} bytes. */
    default byte[] encode(T value) {
        byte[] b = new byte[size()];
        encode(value, b, 0);
        return b;
    }

    /**
     * Decodes a whole array.
     *
     * @throws IllegalArgumentException when {@code bytes} is not exactly {@link #size()} long
     */
    default T decode(byte[] bytes) {
        if (bytes.length != size()) {
            throw new IllegalArgumentException("codec " + this + " decodes " + size() + " bytes, not " + bytes.length);
        }
        return decode(bytes, 0);
    }
}
