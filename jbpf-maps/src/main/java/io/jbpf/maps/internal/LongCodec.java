package io.jbpf.maps.internal;

import io.jbpf.maps.codec.Codec;

/** A C integer of 4 (unsigned) or 8 bytes as a Java {@code Long}. */
public final class LongCodec implements Codec<Long> {
    private final int width;
    private final boolean signed;
    private final boolean bigEndian;
    private final String name;

    public LongCodec(int width, boolean signed, boolean bigEndian) {
        this.width = width;
        this.signed = signed;
        this.bigEndian = bigEndian;
        this.name = (signed ? "s" : "u") + width * 8 + (bigEndian ? " big-endian" : "");
    }

    @Override
    public int size() {
        return width;
    }

    @Override
    public int alignment() {
        return width;
    }

    @Override
    public void encode(Long value, byte[] buf, int offset) {
        long v = value;
        if (width == 4 && (v < 0 || v > 0xFFFF_FFFFL)) {
            throw new IllegalArgumentException(name + ": " + v + " out of range 0 .. 4294967295");
        }
        Bytes.put(buf, offset, v, width, bigEndian, name);
    }

    @Override
    public Long decode(byte[] buf, int offset) {
        return Bytes.get(buf, offset, width, bigEndian);
    }

    @Override
    public String toString() {
        return name;
    }
}
