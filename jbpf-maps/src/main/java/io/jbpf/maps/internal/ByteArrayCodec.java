package io.jbpf.maps.internal;

import io.jbpf.maps.codec.Codec;
import java.util.Arrays;

/** A fixed number of raw bytes. */
public final class ByteArrayCodec implements Codec<byte[]> {
    private final int size;

    public ByteArrayCodec(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("byte array size must not be negative, not " + size);
        }
        this.size = size;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void encode(byte[] value, byte[] buf, int offset) {
        if (value.length != size) {
            throw new IllegalArgumentException("bytes[" + size + "]: got " + value.length + " bytes");
        }
        System.arraycopy(value, 0, buf, offset, size);
    }

    @Override
    public byte[] decode(byte[] buf, int offset) {
        return Arrays.copyOfRange(buf, offset, offset + size);
    }

    @Override
    public String toString() {
        return "bytes[" + size + "]";
    }
}
