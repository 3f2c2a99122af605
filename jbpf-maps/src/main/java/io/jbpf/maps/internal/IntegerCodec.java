package io.jbpf.maps.internal;

import io.jbpf.maps.codec.Codec;

/** A C integer of 1, 2 or 4 bytes as a Java {@code Integer}: zero- or sign-extended. */
public final class IntegerCodec implements Codec<Integer> {
    private final int width;
    private final boolean signed;
    private final boolean bigEndian;
    private final String name;

    public IntegerCodec(int width, boolean signed, boolean bigEndian) {
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
    public void encode(Integer value, byte[] buf, int offset) {
        long v = value;
        if (width < 4 && (signed ? v < -(1L << (width * 8 - 1)) || v >= (1L << (width * 8 - 1))
                : v < 0 || v >= (1L << (width * 8)))) {
            throw new IllegalArgumentException(name + ": " + v + " out of range");
        }
        if (width == 4 && !signed && v < 0) {
            throw new IllegalArgumentException(name + ": " + v + " is negative; use s32 or a Long u32");
        }
        Bytes.put(buf, offset, v, width, bigEndian, name);
    }

    @Override
    public Integer decode(byte[] buf, int offset) {
        long v = Bytes.get(buf, offset, width, bigEndian);
        if (signed) {
            int shift = 64 - width * 8;
            v = (v << shift) >> shift;
        }
        return (int) v;
    }

    @Override
    public String toString() {
        return name;
    }
}
